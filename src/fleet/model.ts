/**
 * A run over the accounts of `sinkops.yaml` (SPEC §14), as plain data: each account planned or
 * failed, then applied, unchanged, skipped or failed. One account's failure is a value here, never
 * an exception, so that the others go on and the output names it.
 */
import type { AccountTarget } from '../accounts/model.js';
import type { AdaptiveLimiter } from '../apply/limiter.js';
import type { ApplyResult } from '../apply/model.js';
import type { SinkopsError } from '../errors.js';
import type { Plan } from '../plan/model.js';
import type { SinksApi } from '../remote/api.js';
import type { RemoteState } from '../remote/model.js';

/** An account's client, open until the run ends. */
export interface AccountSession {
  readonly api: SinksApi;
  close(): Promise<void>;
}

export interface PlannedAccount {
  readonly status: 'planned';
  readonly name: string;
  readonly target: AccountTarget;
  readonly plan: Plan;
  /** What the plan was computed from; kept for apply, which checks the account has not changed since. */
  readonly remote: RemoteState;
  readonly session: AccountSession;
  /** The account's apply window, which its client narrows on HTTP 429. */
  readonly limiter: AdaptiveLimiter;
}

export interface FailedAccount {
  readonly status: 'failed';
  readonly name: string;
  readonly error: SinkopsError;
}

export type AccountPlanOutcome = PlannedAccount | FailedAccount;

export type AccountApplyOutcome =
  | { readonly status: 'unchanged'; readonly name: string }
  /** The apply ran (all, part or none of its actions went through: the result says). */
  | { readonly status: 'applied'; readonly name: string; readonly result: ApplyResult; readonly notes: readonly string[] }
  /** It stopped before or while applying; `result` says what was done when it had begun. */
  | { readonly status: 'failed'; readonly name: string; readonly error: SinkopsError; readonly result?: ApplyResult }
  /** Never started: the run was interrupted, or passed its deadline, first. */
  | { readonly status: 'skipped'; readonly name: string };
