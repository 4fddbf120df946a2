/**
 * Twilio's sink limit (SPEC §12): an account holds at most 100 sinks, and a create beyond that is
 * refused (error 91003) — halfway through an apply, unless the plan counts first. Pure.
 *
 * The count follows the apply order (src/plan/order.ts `applyPhase`), assuming the worst of each
 * phase: the creates of one phase, a replacement's new sink among them, may all land before any
 * sink of that phase is deleted. When the usual order (creates first, deletes last) would pass the
 * limit, the plan changes the order in two steps, the cheaper first:
 * 1. prunes run before the creates: they are sinks no subscription uses, deleted either way;
 * 2. then, one by one, replacements of sinks no subscription uses delete the old sink before they
 *    create the new one: no event flows through an unused sink, so none is lost in between.
 * A replacement of a sink in use always creates first (its subscriptions must move to a sink that
 * exists). When even that does not fit, the plan has a SINK_LIMIT error that says how much room to
 * make, on the first action that would not fit.
 */
import type { RemoteState } from '../remote/model.js';
import { effectOf } from './action.js';
import { isLeaseOf } from './marker.js';
import type { PlanError, PlannedAction, PlanWarning, SinkCount } from './model.js';

/** Twilio's limit (error 91003 names it); `--sink-limit N` for an account whose limit Twilio raised. */
export const DEFAULT_SINK_LIMIT = 100;

export interface SinkLimitFit {
  /** The actions, in the same order, with `beforeCreates` / `deleteFirst` set where the limit needs them. */
  readonly actions: PlannedAction[];
  readonly sinkCount: SinkCount;
  readonly errors: PlanError[];
  readonly warnings: PlanWarning[];
}

type Replacing = Extract<PlannedAction, { action: 'replace' | 'adopt' }>;
/** The actions that add a sink: a create, or a replacement's new sink. */
type Located = Extract<PlannedAction, { action: 'create' | 'replace' | 'adopt' }>;

function isReplacement(a: PlannedAction): a is Replacing {
  const effect = effectOf(a);
  return effect === 'replace' || effect === 'adopt-replace';
}

/** The action without any order flag: the fit decides them afresh (a saved plan's are checked against it). */
function unflagged(a: PlannedAction): PlannedAction {
  if (a.action === 'delete' && a.beforeCreates !== undefined) {
    const { beforeCreates: _, ...rest } = a;
    return rest;
  }
  if ((a.action === 'replace' || a.action === 'adopt') && a.deleteFirst !== undefined) {
    const { deleteFirst: _, ...rest } = a;
    return rest;
  }
  return a;
}

/**
 * `fitSinkLimit` against the account as read: every sink counts but this stack's own apply lease
 * (the apply that takes the next one removes it first), and a sink is in use when the listing or
 * its subscriptions say so.
 */
export function fitToAccount(planned: readonly PlannedAction[], remote: RemoteState, stack: string | undefined, limit: number): SinkLimitFit {
  const now = remote.sinks.filter((s) => !isLeaseOf(s, stack)).length;
  const inUse = (sid: string): boolean => remote.inUse.has(sid) || (remote.subscriptionsBySink.get(sid)?.length ?? 0) > 0;
  return fitSinkLimit(planned, now, limit, inUse);
}

/**
 * Fits the actions (in the one documented order) under `limit`, with `now` sinks in the account.
 * `inUse` tells which sinks a subscription uses.
 */
export function fitSinkLimit(
  planned: readonly PlannedAction[],
  now: number,
  limit: number,
  inUse: (sid: string) => boolean,
): SinkLimitFit {
  const actions = planned.map(unflagged);
  const creates = actions.filter((a) => a.action === 'create').length;
  const replacements = actions.filter(isReplacement);
  const deletes = actions.filter((a) => a.action === 'delete').length;
  const adds = creates + replacements.length;
  const usual = now + adds;
  if (adds === 0 || usual <= limit) {
    return { actions, sinkCount: { limit, now, peak: Math.max(now, usual) }, errors: [], warnings: [] };
  }

  const free = replacements.filter((a) => !inUse(a.sid));
  const afterPrunes = now - deletes + adds;
  const deleteFirst = Math.max(0, afterPrunes - limit);
  if (deleteFirst > free.length) {
    const least = afterPrunes - free.length;
    // The error sits on the first sink that cannot be made (adds > 0, so there is one).
    const at = (actions.find((a) => a.action === 'create') ?? replacements.find((a) => inUse(a.sid)) ?? replacements[0]) as Located;
    const counts = { now, limit, creates, inUse: replacements.length - free.length, deletes, least };
    return { actions, sinkCount: { limit, now, peak: usual }, errors: [limitError(at, counts)], warnings: [] };
  }

  const early = new Set(free.slice(0, deleteFirst).map((a) => a.sid));
  const fitted = actions.map((a): PlannedAction => {
    if (a.action === 'delete') return { ...a, beforeCreates: true };
    if (isReplacement(a) && early.has(a.sid)) return { ...a, deleteFirst: true };
    return a;
  });
  const peak = Math.max(now, afterPrunes - deleteFirst);
  const names = fitted.flatMap((a) => ((a.action === 'replace' || a.action === 'adopt') && a.deleteFirst === true ? [a.name] : []));
  return { actions: fitted, sinkCount: { limit, now, peak }, errors: [], warnings: [orderWarning({ now, limit, deletes, peak, names })] };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function orderWarning(f: { now: number; limit: number; deletes: number; peak: number; names: readonly string[] }): PlanWarning {
  const steps = [
    ...(f.deletes > 0 ? [`deletes ${plural(f.deletes, 'sink')} before it creates any`] : []),
    ...(f.names.length > 0
      ? [`replaces ${f.names.join(', ')} by deleting the old sink first (no subscription uses it, so no event is lost)`]
      : []),
  ];
  return {
    code: 'SINK_LIMIT_ORDER',
    message:
      `the account may hold ${f.limit} sinks and holds ${f.now}: to stay within the limit, the apply ${steps.join(', and ')}. ` +
      `It holds at most ${f.peak} during the apply`,
  };
}

function limitError(
  at: Located,
  f: { now: number; limit: number; creates: number; inUse: number; deletes: number; least: number },
): PlanError {
  const parts = [
    `the account holds ${f.now}`,
    ...(f.deletes > 0 ? [`the plan deletes ${f.deletes} first`] : []),
    ...(f.creates > 0 ? [`creates ${f.creates}`] : []),
    ...(f.inUse > 0 ? [`replaces ${f.inUse} in use (their new sink must exist before the old one goes)`] : []),
  ];
  return {
    code: 'SINK_LIMIT',
    name: at.name,
    source: at.source,
    message:
      `the apply would need ${f.least} sinks at once, more than the ${f.limit} the account may hold (${parts.join(', ')}). ` +
      `Make room for ${f.least - f.limit}: delete sinks the account no longer needs (the unmanaged ones are listed), ` +
      `or remove sinks from the repository; if Twilio raised this account's limit, pass --sink-limit N`,
  };
}
