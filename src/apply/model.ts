/**
 * What the executor takes and gives back. Results are plain data: the renderers
 * (src/apply/render-result.ts) and the CLI read them and compute nothing again.
 */
import type { Logger } from '../log/logger.js';
import type { PlannedAction, SubscriptionAction } from '../plan/model.js';
import type { AdaptiveLimiter } from './limiter.js';

/**
 * - `applied`: the requests were sent and Twilio accepted them.
 * - `blocked`: a delete (or the delete half of a replace) was refused because a Subscription uses the sink.
 * - `failed`: a request failed; independent actions went on.
 * - `skipped`: never started (the apply was aborted first).
 * - `planned`: dry run; this is what would be sent.
 */
export type ResultStatus = 'applied' | 'blocked' | 'failed' | 'skipped' | 'planned';

export const RESULT_STATUSES: readonly ResultStatus[] = ['applied', 'blocked', 'failed', 'skipped', 'planned'];

/** An action the executor runs: everything in a plan except `noop`. */
export type ExecutableAction = Exclude<PlannedAction, { readonly action: 'noop' }>;

export interface ActionResult {
  readonly action: ExecutableAction;
  readonly status: ResultStatus;
  /** The SID of the sink this apply created (create, replace, adopt with replace). */
  readonly newSid?: string;
  /** Why it failed or was blocked, for humans; sensitive values are scrubbed out. */
  readonly error?: string;
  /** For `blocked`: the Subscriptions that hold the sink. */
  readonly subscriptions?: readonly string[];
  /** Something worth saying about a success, for example that the sink was already gone. */
  readonly note?: string;
}

/** An executable subscription action: everything but `noop`. */
export type ExecutableSubscriptionAction = SubscriptionAction & { readonly action: Exclude<SubscriptionAction['action'], 'noop'> };

export interface SubscriptionResult {
  readonly action: ExecutableSubscriptionAction;
  readonly status: ResultStatus;
  /** The SID of the subscription this apply created (create, move). */
  readonly newSid?: string;
  /** Why it failed, was blocked or skipped, for humans; sensitive values are scrubbed out. */
  readonly error?: string;
  readonly note?: string;
}

export type ResultCounts = Readonly<Record<ResultStatus, number>>;

export interface ApplyResult {
  /** In the plan's order (not completion order), noops left out. */
  readonly results: readonly ActionResult[];
  /** The subscription actions' results, in the plan's order, noops left out. */
  readonly subscriptions: readonly SubscriptionResult[];
  /** Sinks and subscriptions together. */
  readonly counts: ResultCounts;
  readonly dryRun: boolean;
}

/** Sent once per action (sink or subscription) when it finishes, for progress output on long applies. */
export interface ProgressEvent {
  /** How many actions have finished, this one included. */
  readonly completed: number;
  readonly total: number;
  readonly result: ActionResult | SubscriptionResult;
}

export interface ApplyOptions {
  /** Most actions in flight at once within a phase (at least 1). */
  readonly parallelism: number;
  /** Send no mutating request; report what would happen (`planned`). */
  readonly dryRun: boolean;
  readonly logger: Logger;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Stops starting actions; those in flight finish, the rest are `skipped`. */
  readonly signal?: AbortSignal;
  /**
   * A limiter made by the caller, so that the client's `onRateLimited` can be wired to it before
   * the client exists. Its `max` is the parallelism; without one, a limiter of `parallelism` is made.
   */
  readonly limiter?: AdaptiveLimiter;
}
