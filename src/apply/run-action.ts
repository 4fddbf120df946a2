/**
 * One action, start to finish. Every step is safe to repeat after a crash: a create sends the full
 * description with its ownership marker (so the next plan finds the sink instead of creating
 * another), a replace creates before it deletes, and a delete lists the sink's subscriptions again
 * right before it is sent.
 *
 * Right before anything that changes or removes an existing sink, the sink is read again: it must
 * still be this stack's (an adoption's: still nobody's in this stack) and still be what the plan
 * saw. A marker removed in the Console during the prompt or a long apply, or a configuration
 * changed since the plan, leaves the sink untouched and the action refused.
 */
import { isSinkopsError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { canonicalJson } from '../plan/canonical.js';
import { markerFor, parseMarker } from '../plan/marker.js';
import type { AdoptAction, DeleteAction, ReplaceAction, SinkSpec, UpdateAction } from '../plan/model.js';
import type { RemoteSink } from '../remote/model.js';
// The planner's words for a blocked action, so plan and apply say the same thing.
import { SENSITIVE_DISPLAY } from '../plan/sensitive.js';
import { inUseReason } from '../plan/warnings.js';
import type { SecretMatcher } from '../secrets.js';
import type { SinksApi } from '../remote/api.js';
import type { ActionResult, ExecutableAction } from './model.js';
import { resolvedConfiguration } from './preflight.js';

export interface RunContext {
  readonly api: SinksApi;
  /** `--stack`: whose markers make a sink ours. */
  readonly stack: string | undefined;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** The plan's resolved sensitive values, scrubbed out of any error text we keep. */
  readonly secrets: SecretMatcher;
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

/**
 * An error's text and what to do about it (a SinkopsError's details: the client's hint for a
 * Twilio error code), with every encoding of every secret of the plan replaced.
 */
function message(e: unknown, ctx: RunContext): string {
  const details = isSinkopsError(e) && e.details.length > 0 ? ` (${e.details.join(' ')})` : '';
  const text = e instanceof Error ? `${e.message}${details}` : String(e);
  return ctx.secrets.scrub(text, SENSITIVE_DISPLAY);
}

async function holders(api: SinksApi, sid: string): Promise<string[]> {
  const subscriptions = await api.listSubscriptions({ sinkSid: sid });
  // Filtered by the server already; filtered again so a lax server cannot block the wrong sink.
  return subscriptions.filter((s) => s.sinkSid === sid).map((s) => s.sid);
}

/** An action on a sink that exists: the sink it targets as planned, and whose it must still be. */
type Targeting = UpdateAction | AdoptAction | ReplaceAction | DeleteAction;

/** What the re-check compares: the description (which carries the marker), type and configuration; not the status, which Twilio changes on its own. */
function content(sink: RemoteSink): string {
  return canonicalJson([sink.description, sink.sinkType, sink.sinkConfiguration]);
}

/**
 * Names the sink's marker may carry for the action to go ahead, or `unowned` when the action takes
 * a sink no name of this stack holds (an adoption, or the pinned half of an interrupted one).
 */
function expectedOwner(action: Targeting): readonly string[] | 'unowned' {
  if (action.action === 'adopt' || action.reasons.some((r) => r.kind === 'pinned')) return 'unowned';
  const renamed = action.reasons.flatMap((r) => (r.kind === 'renamed' ? [r.from] : []));
  return [action.name, ...renamed];
}

/** The sink read again: `gone`, refused (no longer ours, or changed since the plan), or as planned. */
type Recheck = { readonly kind: 'gone' } | { readonly kind: 'refused'; readonly reason: string } | { readonly kind: 'as-planned' };

async function recheck(action: Targeting, ctx: RunContext): Promise<Recheck> {
  let now: RemoteSink;
  try {
    now = await ctx.api.fetchSink(action.sid);
  } catch (e) {
    if (httpStatus(e) === 404) return { kind: 'gone' };
    throw e;
  }
  const owner = parseMarker(now.description, ctx.stack);
  const expected = expectedOwner(action);
  if (expected === 'unowned' ? owner !== undefined : owner === undefined || !expected.includes(owner)) {
    const wanted = expected === 'unowned' ? 'no marker of this stack' : markerFor(expected[0] ?? action.name, ctx.stack);
    return { kind: 'refused', reason: `refused: ${action.sid} no longer carries ${wanted} (its description changed since the plan); nothing was sent for it` };
  }
  if (content(now) !== content(action.before)) {
    return { kind: 'refused', reason: `refused: ${action.sid} changed since the plan (description, type or configuration); nothing was sent for it. Plan again.` };
  }
  return { kind: 'as-planned' };
}

/** For an action that changes a sink (not one that deletes it): the failed result when it may not go ahead. */
async function refusedChange(action: Targeting, ctx: RunContext): Promise<ActionResult | undefined> {
  const check = await recheck(action, ctx);
  if (check.kind === 'gone') return { action, status: 'failed', error: `${action.sid} no longer exists; nothing was sent. Plan again.` };
  if (check.kind === 'refused') return { action, status: 'failed', error: check.reason };
  return undefined;
}

type DeleteOutcome =
  | { readonly kind: 'deleted'; readonly note?: string }
  | { readonly kind: 'planned' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'blocked'; readonly subscriptions: readonly string[]; readonly reason: string };

/** Reads the sink and its subscriptions again, then deletes. Throws only on failures that are not a refusal. */
async function guardedDelete(action: Targeting, ctx: RunContext): Promise<DeleteOutcome> {
  const sid = action.sid;
  const check = await recheck(action, ctx);
  if (check.kind === 'gone') return ctx.dryRun ? { kind: 'planned' } : { kind: 'deleted', note: 'already deleted' };
  if (check.kind === 'refused') return check;
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

/** Creates the sink `spec` describes; `replacing` is the sink it takes the place of, if any. */
async function createFrom(spec: SinkSpec, ctx: RunContext, replacing?: string): Promise<string> {
  const sink = await ctx.api.createSink({
    description: spec.description,
    sinkType: spec.sinkType,
    sinkConfiguration: resolvedConfiguration(spec.sinkConfiguration),
    ...(replacing === undefined ? {} : { replacing }),
  });
  return sink.sid;
}

/**
 * A replace that the sink limit turned around (SPEC §12): the old sink goes first, then the new one
 * is created. The planner allows it only for a sink no subscription uses, and the delete checks that
 * again right before it is sent; a create that fails after it leaves the name without a sink, which
 * the next apply creates.
 */
async function runDeleteFirstReplace(action: ReplaceAction | AdoptAction, ctx: RunContext): Promise<ActionResult> {
  const outcome = await guardedDelete(action, ctx);
  if (outcome.kind === 'blocked') return { action, status: 'blocked', subscriptions: outcome.subscriptions, error: outcome.reason };
  if (outcome.kind === 'refused') return { action, status: 'failed', error: outcome.reason };
  if (outcome.kind === 'planned') return { action, status: 'planned' };
  try {
    return { action, status: 'applied', newSid: await createFrom(action.after, ctx, action.sid) };
  } catch (e) {
    return {
      action,
      status: 'failed',
      error: `deleted the old sink ${action.sid} first (to stay within the sink limit), but creating its replacement failed: ${message(e, ctx)}. Apply again to create it.`,
    };
  }
}

/**
 * The first half of a replace, or of an adopt whose configuration differs: the new sink is created
 * (the old one is deleted by `finishReplace`, with the sink deletes, once the subscriptions that
 * `moving` names have moved to the new sink). Returns the new SID, or the action's final result.
 */
export async function startReplace(action: ReplaceAction | AdoptAction, ctx: RunContext, moving: ReadonlySet<string>): Promise<string | ActionResult> {
  // Checked before the create as well: a replace whose old sink cannot go is not started, so no
  // second sink with the same marker is left behind (the planner would have blocked it too).
  const refused = await refusedChange(action, ctx);
  if (refused !== undefined) return refused;
  const before = (await holders(ctx.api, action.sid)).filter((sid) => !moving.has(sid));
  if (before.length > 0) {
    return { action, status: 'blocked', subscriptions: before, error: inUseReason(before) };
  }
  if (ctx.dryRun) return { action, status: 'planned' };
  try {
    const newSid = await createFrom(action.after, ctx, action.sid);
    ctx.logger.info({ action: action.action, name: action.name, sid: newSid }, 'replacement sink created');
    return newSid;
  } catch (e) {
    // The old sink is untouched: a failed create never leads to a delete.
    return { action, status: 'failed', error: `creating the replacement failed: ${message(e, ctx)}` };
  }
}

/** The second half of a replace: the old sink, read again and checked for subscriptions, is deleted. */
export async function finishReplace(action: ReplaceAction | AdoptAction, newSid: string, ctx: RunContext): Promise<ActionResult> {
  try {
    const outcome = await guardedDelete(action, ctx);
    if (outcome.kind === 'blocked') {
      return {
        action,
        status: 'blocked',
        newSid,
        subscriptions: outcome.subscriptions,
        error: `created ${newSid}, but the old sink ${action.sid} was not deleted: ${outcome.reason}`,
      };
    }
    if (outcome.kind === 'refused') {
      return { action, status: 'failed', newSid, error: `created ${newSid}, but the old sink ${action.sid} was not deleted: ${outcome.reason}` };
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

/** Whether an action is a replacement run in two halves (all but the sink limit's delete-first ones). */
export function isTwoPhaseReplace(action: ExecutableAction): action is ReplaceAction | AdoptAction {
  return (action.action === 'replace' || (action.action === 'adopt' && action.replace)) && action.deleteFirst !== true;
}

/** A replace, or an adopt whose configuration differs, run whole: new sink first, old one deleted after. */
async function runReplace(action: ReplaceAction | AdoptAction, ctx: RunContext): Promise<ActionResult> {
  if (action.deleteFirst === true) return runDeleteFirstReplace(action, ctx);
  const started = await startReplace(action, ctx, new Set());
  return typeof started === 'string' ? finishReplace(action, started, ctx) : started;
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
    case 'update': {
      if (action.action === 'adopt' && action.replace) return runReplace(action, ctx);
      const refused = await refusedChange(action, ctx);
      if (refused !== undefined) return refused;
      if (ctx.dryRun) return { action, status: 'planned' };
      await ctx.api.updateSink(action.sid, { description: action.after.description });
      return { action, status: 'applied' };
    }
    case 'replace':
      return runReplace(action, ctx);
    case 'delete': {
      const outcome = await guardedDelete(action, ctx);
      if (outcome.kind === 'blocked') {
        return { action, status: 'blocked', subscriptions: outcome.subscriptions, error: outcome.reason };
      }
      if (outcome.kind === 'refused') return { action, status: 'failed', error: outcome.reason };
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
