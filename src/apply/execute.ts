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
import { applyPhase, subscriptionPhase } from '../plan/order.js';
import type { Plan, PlannedAction, SubscriptionAction } from '../plan/model.js';
import type { SinksApi } from '../remote/api.js';
import { SecretMatcher } from '../secrets.js';
import { AdaptiveLimiter } from './limiter.js';
import {
  RESULT_STATUSES,
  type ActionResult,
  type ApplyOptions,
  type ApplyResult,
  type ExecutableAction,
  type ExecutableSubscriptionAction,
  type ResultCounts,
  type ResultStatus,
  type SubscriptionResult,
} from './model.js';
import { assertNoPlanErrors, assertResolved, sensitiveValues } from './preflight.js';
import { finishReplace, isTwoPhaseReplace, runAction, startReplace, type RunContext } from './run-action.js';
import { runSubscriptionAction, type SubscriptionContext } from './run-subscription.js';

function isExecutable(action: PlannedAction): action is ExecutableAction {
  return action.action !== 'noop';
}

function isExecutableSubscription(action: SubscriptionAction): action is ExecutableSubscriptionAction {
  return action.action !== 'noop';
}

/** Whether the action makes a sink that subscriptions may be waiting for. */
function makesSink(action: ExecutableAction): boolean {
  return action.action === 'create' || action.action === 'replace' || (action.action === 'adopt' && action.replace);
}

function isFailure(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { status?: unknown }).status === 'failed';
}

/** Where the old halves of replacements run: with the sink deletes, after every subscription step. */
const DELETE_PHASE = applyPhase({ action: 'delete' });

export function countResults(results: readonly { readonly status: ResultStatus }[]): ResultCounts {
  const counts = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;
  for (const r of results) counts[r.status] += 1;
  return counts;
}

function logResult(options: ApplyOptions, r: ActionResult | SubscriptionResult): void {
  // Names, SIDs and statuses only: configuration values never reach the logger.
  const a = r.action;
  const fields = {
    action: a.action,
    name: 'sink' in a ? `${a.sink}#${a.name}` : a.name,
    status: r.status,
    ...('sid' in a ? { sid: a.sid } : 'before' in a && a.before !== undefined ? { sid: a.before.sid } : {}),
    ...(r.newSid !== undefined ? { newSid: r.newSid } : {}),
    ...('subscriptions' in r && r.subscriptions !== undefined && r.subscriptions.length > 0 ? { subscriptions: r.subscriptions } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
  // Blocked actions are part of the result the user reads; a log warning would only repeat it.
  if (r.status === 'failed') options.logger.error(fields, 'action failed');
  else options.logger.info(fields, `action ${r.status}`);
}

/** One unit of work of a phase: runs an action, or one half of a replacement. */
interface Step {
  readonly phase: number;
  run(): Promise<void>;
}

/**
 * Applies `plan`. Throws (before any request) when the plan has errors or, unless it is a dry run
 * (which sends no configuration), a configuration value it sends is unknown; otherwise resolves
 * with one result per non-noop action, sinks and subscriptions.
 *
 * A replacement runs in two halves: the new sink with the creates of its phase, the old sink's
 * delete with the sink deletes — after the subscriptions on it have moved to the new sink (SPEC
 * §13). A subscription that goes to a sink this apply makes waits for it; when that sink was not
 * made, the subscription is skipped, and a move leaves the old subscription where it is.
 */
export async function execute(plan: Plan, api: SinksApi, options: ApplyOptions): Promise<ApplyResult> {
  assertNoPlanErrors(plan);
  if (!options.dryRun) assertResolved(plan);
  const limiter = options.limiter ?? new AdaptiveLimiter(options.parallelism);
  const secrets = new SecretMatcher(sensitiveValues(plan));
  const ctx: RunContext = { api, stack: plan.options.stack, dryRun: options.dryRun, logger: options.logger, secrets };

  const actions = plan.actions.filter(isExecutable);
  const subscriptionActions = plan.subscriptions.filter(isExecutableSubscription);
  const results: ActionResult[] = new Array<ActionResult>(actions.length);
  const subscriptionResults: SubscriptionResult[] = new Array<SubscriptionResult>(subscriptionActions.length);
  const total = actions.length + subscriptionActions.length;
  let completed = 0;
  const report = (result: ActionResult | SubscriptionResult): void => {
    completed += 1;
    logResult(options, result);
    options.onProgress?.({ completed, total, result });
  };

  /** The sinks this apply made, by name, and those it set out to make and did not. */
  const made = new Map<string, string>();
  const notMade = new Set<string>();
  const subscriptionCtx: SubscriptionContext = {
    api,
    dryRun: options.dryRun,
    secrets,
    createdSink: (name) => made.get(name),
    sinkNotMade: (name) => notMade.has(name),
  };

  /** Runs `work` under the limiter, or records it as skipped once the apply is aborted. */
  const limited = async <R>(work: () => Promise<R>, skipped: () => R): Promise<R> => {
    const permit = await limiter.acquire();
    if (options.signal?.aborted === true) {
      permit.release(false);
      return skipped();
    }
    const result = await work();
    permit.release(!isFailure(result));
    return result;
  };

  const steps: Step[] = [];
  actions.forEach((action, index) => {
    const finish = (result: ActionResult): void => {
      results[index] = result;
      if (result.newSid !== undefined) made.set(action.name, result.newSid);
      else if (makesSink(action)) notMade.add(action.name);
      report(result);
    };
    if (!isTwoPhaseReplace(action)) {
      steps.push({ phase: applyPhase(action), run: async () => finish(await limited(() => runAction(action, ctx), () => ({ action, status: 'skipped' }))) });
      return;
    }
    // The subscriptions that move away from the old sink: they do not hold it.
    const moving = new Set(subscriptionActions.flatMap((a) => (a.before?.sinkSid === action.sid ? [a.before.sid] : [])));
    let newSid: string | undefined;
    steps.push({
      phase: applyPhase(action),
      run: async () => {
        const started = await limited(() => startReplace(action, ctx, moving), () => ({ action, status: 'skipped' }) as ActionResult);
        if (typeof started !== 'string') return finish(started);
        newSid = started;
        made.set(action.name, started);
      },
    });
    steps.push({
      phase: DELETE_PHASE,
      run: async () => {
        if (newSid === undefined) return;
        const sid = newSid;
        finish(await limited(() => finishReplace(action, sid, ctx), () => ({ action, status: 'skipped', newSid: sid, error: `created ${sid}; the old sink ${action.sid} was left for the next apply` })));
      },
    });
  });
  subscriptionActions.forEach((action, index) => {
    steps.push({
      phase: subscriptionPhase(action),
      run: async () => {
        const result = await limited(() => runSubscriptionAction(action, subscriptionCtx), () => ({ action, status: 'skipped' }) as SubscriptionResult);
        subscriptionResults[index] = result;
        report(result);
      },
    });
  });

  const phases = new Map<number, Step[]>();
  for (const step of steps) phases.set(step.phase, [...(phases.get(step.phase) ?? []), step]);
  for (const [, phase] of [...phases].sort(([a], [b]) => a - b)) {
    await Promise.all(phase.map((step) => step.run()));
  }

  options.logger.debug({ window: limiter.window, rateLimited: limiter.rateLimitedCount }, 'apply finished');
  return {
    results,
    subscriptions: subscriptionResults,
    counts: countResults([...results, ...subscriptionResults]),
    dryRun: options.dryRun,
  };
}
