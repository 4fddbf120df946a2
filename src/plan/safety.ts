/**
 * Safety belongs to the plan (octoDNS `raise_if_unsafe`): apply calls `assertSafe` before sending
 * anything, and the error names the flag that overrides the limit.
 */
import { SinkopsError } from '../errors.js';
import { removesSink, sendsRequests } from './action.js';
import type { Plan } from './model.js';

/** `--max-deletes` when not given: enough for routine clean-ups, small enough to stop a wipe-out. */
export const DEFAULT_MAX_DELETES = 10;

export interface SafetyLimits {
  /** Deletes plus replace-deletes plus adopt-replaces allowed (`--max-deletes N`). */
  readonly maxDeletes: number;
  /** Permit a plan that deletes every managed sink and keeps none (`--allow-empty`). */
  readonly allowEmpty: boolean;
}

/** Sinks the plan removes: deletes, the old half of replaces, and adoptions that replace. */
export function countDeletes(plan: Plan): number {
  return plan.actions.filter(removesSink).length;
}

/**
 * Whether the account differs from the repository: anything to do, or something the plan could not
 * do. Blocked actions count, so apply goes on to report them (and exits 3).
 */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.some((a) => a.action !== 'noop') || plan.subscriptions.some((a) => a.action !== 'noop');
}

/**
 * Whether applying the plan would send anything: a sink action that sends requests (blocked ones
 * and noops send none) or a subscription action other than noop. `plan --detailed-exitcode` exits 2
 * only then (SPEC §9): a plan of blocked actions alone is shown, but a CI job that applies on exit 2
 * would have nothing to do. Apply takes its lease only then, too.
 */
export function hasRunnableActions(plan: Pick<Plan, 'actions' | 'subscriptions'>): boolean {
  return plan.actions.some(sendsRequests) || plan.subscriptions.some((a) => a.action !== 'noop');
}

/**
 * "Empty": the plan deletes managed sinks and keeps none of the sinks it found (a mistyped or empty
 * --dir). What it creates does not count — a wrong --dir holding one unrelated sink file would
 * otherwise pass — and neither does a delete blocked because the sink is in use: it says nothing
 * about the --dir being right. Counted from the summary, so a saved plan without its noops listed is
 * judged by the same numbers.
 */
function keepsNoManagedSink(plan: Plan): boolean {
  const { update, adopt, replace, noop } = plan.summary;
  const blockedKeeps = plan.actions.filter((a) => a.action === 'blocked' && a.intended !== 'delete').length;
  return plan.actions.some((a) => a.action === 'delete') && update + adopt + replace + noop + blockedKeeps === 0;
}

/** Throws UNSAFE_PLAN when the plan breaks a limit; the message names the overriding flag(s). */
export function assertSafe(plan: Plan, limits: SafetyLimits): void {
  const problems: { flag: string; detail: string }[] = [];
  const deletes = countDeletes(plan);
  if (keepsNoManagedSink(plan) && !limits.allowEmpty) {
    problems.push({
      flag: '--allow-empty',
      detail: `the plan deletes all ${deletes} managed sink(s) and keeps none of them (is --dir right?); pass --allow-empty to allow it`,
    });
  }
  if (deletes > limits.maxDeletes) {
    problems.push({
      flag: `--max-deletes ${deletes}`,
      detail: `the plan deletes ${deletes} sink(s) (deletes plus replacements), more than the limit of ${limits.maxDeletes}; pass --max-deletes ${deletes} to allow it`,
    });
  }
  if (problems.length === 0) return;
  throw new SinkopsError(
    'UNSAFE_PLAN',
    `refusing an unsafe plan; override with ${problems.map((p) => p.flag).join(' and ')}`,
    { details: problems.map((p) => p.detail) },
  );
}
