/**
 * One subscription action, start to finish (SPEC §13). Every step is safe to repeat after a crash:
 * a create sends the description with its marker (the next plan finds it), a move creates on the
 * new sink before it deletes the old subscription (an interrupted move leaves two, and the next
 * plan deletes the extra one), and events are added before any is removed, so a subscription never
 * has none. Right before a subscription is changed or deleted it is read again: one that is gone is
 * done with, and one that is no longer this stack's is left alone.
 */
import { isSinkopsError } from '../errors.js';
import { SENSITIVE_DISPLAY } from '../plan/sensitive.js';
import type { SubscriptionState } from '../plan/model.js';
import type { SinksApi } from '../remote/api.js';
import type { SecretMatcher } from '../secrets.js';
import type { ExecutableSubscriptionAction, SubscriptionResult } from './model.js';

export interface SubscriptionContext {
  readonly api: SinksApi;
  readonly dryRun: boolean;
  readonly secrets: SecretMatcher;
  /** The SID of the sink this apply made for a name (a create or a replacement), once it exists. */
  readonly createdSink: (name: string) => string | undefined;
  /** Sinks whose create failed or was skipped in this apply: what goes on them cannot be made. */
  readonly sinkNotMade: (name: string) => boolean;
}

/** Twilio's code for a subscription on a sink that is not active yet (SPEC §12). */
const SINK_NOT_ACTIVE = 91100;

function twilioCode(e: unknown): number | undefined {
  const code: unknown = isSinkopsError(e) ? (e as { twilioCode?: unknown }).twilioCode : undefined;
  return typeof code === 'number' ? code : undefined;
}

function message(e: unknown, ctx: SubscriptionContext): string {
  const details = isSinkopsError(e) && e.details.length > 0 ? ` (${e.details.join(' ')})` : '';
  return ctx.secrets.scrub(`${e instanceof Error ? e.message : String(e)}${details}`, SENSITIVE_DISPLAY);
}

/** The subscription read again, through its sink's listing (Twilio has no cheaper read that says whose it is). */
type Recheck = { readonly kind: 'gone' } | { readonly kind: 'refused'; readonly reason: string } | { readonly kind: 'as-planned' };

async function recheck(before: SubscriptionState, ctx: SubscriptionContext): Promise<Recheck> {
  const now = (await ctx.api.listSubscriptions({ sinkSid: before.sinkSid })).find((s) => s.sid === before.sid);
  if (now === undefined) return { kind: 'gone' };
  // The description carries the marker: unchanged, the subscription is still what the plan took
  // (this stack's, or the one a `sid:` pins and the update adopts).
  if (now.description !== before.description) {
    return { kind: 'refused', reason: `refused: ${before.sid} changed since the plan (its description); nothing was sent for it. Plan again.` };
  }
  return { kind: 'as-planned' };
}

/** The sink a create or move goes to: the kept one the plan named, or the one this apply made. */
function destination(action: ExecutableSubscriptionAction, ctx: SubscriptionContext): string | undefined {
  return action.sinkSid ?? ctx.createdSink(action.sink);
}

async function create(action: ExecutableSubscriptionAction, sinkSid: string, ctx: SubscriptionContext): Promise<string> {
  const after = action.after;
  if (after === undefined) throw new Error(`${action.sink}#${action.name}: no subscription to create`);
  const made = await ctx.api.createSubscription({ description: after.description, sinkSid, events: after.events });
  return made.sid;
}

async function runCreateOrMove(action: ExecutableSubscriptionAction, ctx: SubscriptionContext): Promise<SubscriptionResult> {
  const sinkSid = destination(action, ctx);
  if (sinkSid === undefined) {
    const why = ctx.sinkNotMade(action.sink) ? `its sink ${action.sink} was not made in this apply` : `its sink ${action.sink} has no SID yet`;
    return { action, status: ctx.dryRun ? 'planned' : 'skipped', ...(ctx.dryRun ? {} : { error: why }) };
  }
  if (action.action === 'move' && action.before !== undefined) {
    const check = await recheck(action.before, ctx);
    if (check.kind === 'refused') return { action, status: 'failed', error: check.reason };
  }
  if (ctx.dryRun) return { action, status: 'planned' };
  let newSid: string;
  try {
    newSid = await create(action, sinkSid, ctx);
  } catch (e) {
    if (twilioCode(e) === SINK_NOT_ACTIVE) {
      return { action, status: 'blocked', error: `${action.sink} is not active yet: run \`sinkops activate ${action.sink}\`, then apply again` };
    }
    // A move whose create failed keeps the old subscription: events go on flowing to the old sink.
    throw e;
  }
  if (action.action !== 'move' || action.before === undefined) return { action, status: 'applied', newSid };
  try {
    await ctx.api.deleteSubscription(action.before.sid);
    return { action, status: 'applied', newSid };
  } catch (e) {
    return { action, status: 'failed', newSid, error: `created ${newSid}, but deleting the old subscription ${action.before.sid} failed: ${message(e, ctx)}` };
  }
}

/** Description first, then events added, versions changed, and only then events removed. */
async function runUpdate(action: ExecutableSubscriptionAction, ctx: SubscriptionContext): Promise<SubscriptionResult> {
  const before = action.before;
  const after = action.after;
  if (before === undefined || after === undefined) throw new Error(`${action.sink}#${action.name}: nothing to update`);
  const check = await recheck(before, ctx);
  if (check.kind === 'gone') return { action, status: 'failed', error: `${before.sid} no longer exists; nothing was sent. Plan again.` };
  if (check.kind === 'refused') return { action, status: 'failed', error: check.reason };
  if (ctx.dryRun) return { action, status: 'planned' };
  if (action.changes.length > 0) await ctx.api.updateSubscription(before.sid, { description: after.description });
  const added = action.events.filter((e) => e.before === undefined && e.after !== undefined);
  const changed = action.events.filter((e) => e.before !== undefined && e.after !== undefined);
  const removed = action.events.filter((e) => e.after === undefined);
  await Promise.all(added.map((e) => ctx.api.addSubscribedEvent(before.sid, { type: e.type, schemaVersion: e.after as number })));
  await Promise.all(changed.map((e) => ctx.api.updateSubscribedEvent(before.sid, { type: e.type, schemaVersion: e.after as number })));
  await Promise.all(removed.map((e) => ctx.api.removeSubscribedEvent(before.sid, e.type)));
  return { action, status: 'applied' };
}

async function runDelete(action: ExecutableSubscriptionAction, ctx: SubscriptionContext): Promise<SubscriptionResult> {
  const before = action.before;
  if (before === undefined) throw new Error(`${action.sink}#${action.name}: nothing to delete`);
  const check = await recheck(before, ctx);
  if (check.kind === 'gone') return { action, status: ctx.dryRun ? 'planned' : 'applied', ...(ctx.dryRun ? {} : { note: 'already deleted' }) };
  if (check.kind === 'refused') return { action, status: 'failed', error: check.reason };
  if (ctx.dryRun) return { action, status: 'planned' };
  await ctx.api.deleteSubscription(before.sid);
  return { action, status: 'applied' };
}

/** Runs one subscription action; never throws: a failure becomes a `failed` result. */
export async function runSubscriptionAction(action: ExecutableSubscriptionAction, ctx: SubscriptionContext): Promise<SubscriptionResult> {
  try {
    switch (action.action) {
      case 'create':
      case 'move':
        return await runCreateOrMove(action, ctx);
      case 'update':
        return await runUpdate(action, ctx);
      case 'delete':
        return await runDelete(action, ctx);
    }
  } catch (e) {
    return { action, status: 'failed', error: message(e, ctx) };
  }
}
