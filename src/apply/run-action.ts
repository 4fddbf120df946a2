/**
 * One action, start to finish. Every step is safe to repeat after a crash: a create sends the full
 * description with its ownership marker (so the next plan finds the sink instead of creating
 * another), a replace creates before it deletes, and a delete lists the sink's subscriptions again
 * right before it is sent.
 */
import { isSinkopsError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { AdoptAction, ReplaceAction, SinkSpec } from '../plan/model.js';
// The planner's words for a blocked action, so plan and apply say the same thing.
import { inUseReason } from '../plan/warnings.js';
import type { SinksApi } from '../remote/api.js';
import type { ActionResult, ExecutableAction } from './model.js';
import { resolvedConfiguration, scrub } from './preflight.js';

export interface RunContext {
  readonly api: SinksApi;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** Resolved sensitive values, scrubbed out of any error text we keep. */
  readonly secrets: readonly string[];
}

/** The HTTP status of an API error, when the client gave one. */
function httpStatus(e: unknown): number | undefined {
  if (!isSinkopsError(e) || e.code !== 'TWILIO_API') return undefined;
  const status: unknown = (e as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A 4xx answer to a delete means Twilio refused it for this sink (in use, or otherwise not
 * deletable): blocked, like the planner's own check. Credentials (401/403) and rate limiting (429,
 * already retried by the client) say nothing about the sink and stay failures; 404 means the sink
 * is already gone, which is what the delete wanted.
 */
function isRefusal(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && ![401, 403, 404, 429].includes(status);
}

function message(e: unknown, ctx: RunContext): string {
  const text = e instanceof Error ? e.message : String(e);
  return scrub(text, ctx.secrets);
}

async function holders(api: SinksApi, sid: string): Promise<string[]> {
  const subscriptions = await api.listSubscriptions({ sinkSid: sid });
  // Filtered by the server already; filtered again so a lax server cannot block the wrong sink.
  return subscriptions.filter((s) => s.sinkSid === sid).map((s) => s.sid);
}

type DeleteOutcome =
  | { readonly kind: 'deleted'; readonly note?: string }
  | { readonly kind: 'planned' }
  | { readonly kind: 'blocked'; readonly subscriptions: readonly string[]; readonly reason: string };

/** Re-checks the subscriptions, then deletes. Throws only on failures that are not a refusal. */
async function guardedDelete(sid: string, ctx: RunContext): Promise<DeleteOutcome> {
  const held = await holders(ctx.api, sid);
  if (held.length > 0) return { kind: 'blocked', subscriptions: held, reason: inUseReason(held) };
  if (ctx.dryRun) return { kind: 'planned' };
  try {
    await ctx.api.deleteSink(sid);
    return { kind: 'deleted' };
  } catch (e) {
    const status = httpStatus(e);
    if (status === 404) return { kind: 'deleted', note: 'already deleted' };
    if (!isRefusal(status)) throw e;
    // Name the holders when we can; the refusal itself stands even if this listing fails.
    const after = await holders(ctx.api, sid).catch(() => []);
    const reason = after.length > 0 ? inUseReason(after) : `Twilio refused the delete: ${message(e, ctx)}`;
    return { kind: 'blocked', subscriptions: after, reason };
  }
}

async function createFrom(spec: SinkSpec, ctx: RunContext): Promise<string> {
  const sink = await ctx.api.createSink({
    description: spec.description,
    sinkType: spec.sinkType,
    sinkConfiguration: resolvedConfiguration(spec.sinkConfiguration),
  });
  return sink.sid;
}

/** A replace, or an adopt whose configuration differs: new sink first, old one deleted after. */
async function runReplace(action: ReplaceAction | AdoptAction, ctx: RunContext): Promise<ActionResult> {
  // Checked before the create as well: a replace whose old sink cannot go is not started, so no
  // second sink with the same marker is left behind (the planner would have blocked it too).
  const before = await holders(ctx.api, action.sid);
  if (before.length > 0) {
    return { action, status: 'blocked', subscriptions: before, error: inUseReason(before) };
  }
  if (ctx.dryRun) return { action, status: 'planned' };
  let newSid: string;
  try {
    newSid = await createFrom(action.after, ctx);
  } catch (e) {
    // The old sink is untouched: a failed create never leads to a delete.
    return { action, status: 'failed', error: `creating the replacement failed: ${message(e, ctx)}` };
  }
  ctx.logger.info({ action: action.action, name: action.name, sid: newSid }, 'replacement sink created');
  try {
    const outcome = await guardedDelete(action.sid, ctx);
    if (outcome.kind === 'blocked') {
      return {
        action,
        status: 'blocked',
        newSid,
        subscriptions: outcome.subscriptions,
        error: `created ${newSid}, but the old sink ${action.sid} was not deleted: ${outcome.reason}`,
      };
    }
    const note = outcome.kind === 'deleted' ? outcome.note : undefined;
    return { action, status: 'applied', newSid, ...(note !== undefined ? { note } : {}) };
  } catch (e) {
    return {
      action,
      status: 'failed',
      newSid,
      error: `created ${newSid}, but deleting the old sink ${action.sid} failed: ${message(e, ctx)}`,
    };
  }
}

async function runOne(action: ExecutableAction, ctx: RunContext): Promise<ActionResult> {
  switch (action.action) {
    case 'blocked':
      // The planner already refused it; nothing is sent.
      return { action, status: 'blocked', subscriptions: action.subscriptions, error: action.reason };
    case 'create': {
      if (ctx.dryRun) return { action, status: 'planned' };
      return { action, status: 'applied', newSid: await createFrom(action.after, ctx) };
    }
    case 'adopt':
      if (action.replace) return runReplace(action, ctx);
      if (ctx.dryRun) return { action, status: 'planned' };
      await ctx.api.updateSink(action.sid, { description: action.after.description });
      return { action, status: 'applied' };
    case 'update':
      if (ctx.dryRun) return { action, status: 'planned' };
      await ctx.api.updateSink(action.sid, { description: action.after.description });
      return { action, status: 'applied' };
    case 'replace':
      return runReplace(action, ctx);
    case 'delete': {
      const outcome = await guardedDelete(action.sid, ctx);
      if (outcome.kind === 'blocked') {
        return { action, status: 'blocked', subscriptions: outcome.subscriptions, error: outcome.reason };
      }
      if (outcome.kind === 'planned') return { action, status: 'planned' };
      return { action, status: 'applied', ...(outcome.note ? { note: outcome.note } : {}) };
    }
  }
}

/** Runs one action; never throws: a failure becomes a `failed` result so independent actions go on. */
export async function runAction(action: ExecutableAction, ctx: RunContext): Promise<ActionResult> {
  try {
    return await runOne(action, ctx);
  } catch (e) {
    return { action, status: 'failed', error: message(e, ctx) };
  }
}
