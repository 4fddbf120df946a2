/**
 * The apply executor: runs a plan's actions against a SinksApi, phase by phase.
 *
 * Phases run one after another, one per rank of the documented order (src/plan/action.ts: creates →
 * updates → adopts → replaces, new first then old deleted → blocked, which send nothing → deletes),
 * except where the plan moved an action ahead to stay within the sink limit (src/plan/order.ts
 * `applyPhase`). Grouping by phase rather than trusting the array order keeps "creates before
 * deletes" true for any plan given to us. Within a phase, actions run concurrently through an adaptive limiter. A failure
 * does not stop independent actions; it is reported in the result.
 */
import { applyPhase } from '../plan/order.js';
import type { Plan, PlannedAction } from '../plan/model.js';
import type { SinksApi } from '../remote/api.js';
import { SecretMatcher } from '../secrets.js';
import { AdaptiveLimiter } from './limiter.js';
import {
  RESULT_STATUSES,
  type ActionResult,
  type ApplyOptions,
  type ApplyResult,
  type ExecutableAction,
  type ResultCounts,
  type ResultStatus,
} from './model.js';
import { assertNoPlanErrors, assertResolved, sensitiveValues } from './preflight.js';
import { runAction, type RunContext } from './run-action.js';

function isExecutable(action: PlannedAction): action is ExecutableAction {
  return action.action !== 'noop';
}

export function countResults(results: readonly ActionResult[]): ResultCounts {
  const counts = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;
  for (const r of results) counts[r.status] += 1;
  return counts;
}

function logResult(options: ApplyOptions, r: ActionResult): void {
  // Names, SIDs and statuses only: configuration values never reach the logger.
  const fields = {
    action: r.action.action,
    name: r.action.name,
    status: r.status,
    ...('sid' in r.action ? { sid: r.action.sid } : {}),
    ...(r.newSid !== undefined ? { newSid: r.newSid } : {}),
    ...(r.subscriptions !== undefined && r.subscriptions.length > 0 ? { subscriptions: r.subscriptions } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
  // Blocked actions are part of the result the user reads; a log warning would only repeat it.
  if (r.status === 'failed') options.logger.error(fields, 'action failed');
  else options.logger.info(fields, `action ${r.status}`);
}

/**
 * Applies `plan`. Throws (before any request) when the plan has errors or a configuration value is
 * unknown; otherwise resolves with one result per non-noop action.
 */
export async function execute(plan: Plan, api: SinksApi, options: ApplyOptions): Promise<ApplyResult> {
  assertNoPlanErrors(plan);
  assertResolved(plan);
  const limiter = options.limiter ?? new AdaptiveLimiter(options.parallelism);
  const ctx: RunContext = { api, stack: plan.options.stack, dryRun: options.dryRun, logger: options.logger, secrets: new SecretMatcher(sensitiveValues(plan)) };

  const actions = plan.actions.filter(isExecutable);
  const results: ActionResult[] = new Array<ActionResult>(actions.length);
  let completed = 0;
  const finish = (index: number, result: ActionResult): void => {
    results[index] = result;
    completed += 1;
    logResult(options, result);
    options.onProgress?.({ completed, total: actions.length, result });
  };

  const phases = new Map<number, number[]>();
  actions.forEach((action, index) => {
    const phase = phases.get(applyPhase(action));
    if (phase === undefined) phases.set(applyPhase(action), [index]);
    else phase.push(index);
  });

  for (const [, indexes] of [...phases].sort(([a], [b]) => a - b)) {
    await Promise.all(
      indexes.map(async (index) => {
        const action = actions[index] as ExecutableAction;
        const permit = await limiter.acquire();
        if (options.signal?.aborted === true) {
          permit.release(false);
          finish(index, { action, status: 'skipped' });
          return;
        }
        const result = await runAction(action, ctx);
        permit.release(result.status !== 'failed');
        finish(index, result);
      }),
    );
  }

  options.logger.debug({ window: limiter.window, rateLimited: limiter.rateLimitedCount }, 'apply finished');
  return { results, counts: countResults(results), dryRun: options.dryRun };
}
