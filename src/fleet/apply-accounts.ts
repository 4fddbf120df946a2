/**
 * Applies the planned accounts of a run, `accountConcurrency` at a time, each exactly as a run of
 * one account applies (SPEC §14): its own lease, the check that the account is still what was
 * planned, the executor with its own window. An account that fails stops alone; once the run is
 * interrupted or past its deadline, accounts not yet begun are skipped, and those begun stop
 * starting actions (the executor's signal).
 */
import { execute } from '../apply/execute.js';
import { acquireLease, leaseFits, type Lease, type LeaseOptions } from '../apply/lease.js';
import { assertNoPlanErrors, assertResolved } from '../apply/preflight.js';
import type { ProgressEvent } from '../apply/model.js';
import { boundedMap } from '../bounded-map.js';
import { isSinkopsError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { assertUnchangedSince } from '../pipeline/compute-plan.js';
import { assertSafe, hasChanges, hasRunnableActions, type SafetyLimits } from '../plan/safety.js';
import type { AccountApplyOutcome, AccountPlanOutcome, PlannedAccount } from './model.js';

/**
 * Sorts the planned accounts before anything is sent: those with nothing to do, those whose plan
 * cannot be applied (plan errors, a safety limit, a secret not set) — failed, with the reason —
 * and those to apply. What is refused here is refused for that account alone.
 */
export function readyToApply(
  outcomes: readonly AccountPlanOutcome[],
  limits: SafetyLimits & { readonly dryRun: boolean },
): { ready: PlannedAccount[]; settled: AccountApplyOutcome[] } {
  const ready: PlannedAccount[] = [];
  const settled: AccountApplyOutcome[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'failed') {
      settled.push(outcome);
      continue;
    }
    if (!hasChanges(outcome.plan)) {
      settled.push({ status: 'unchanged', name: outcome.name });
      continue;
    }
    try {
      assertNoPlanErrors(outcome.plan);
      assertSafe(outcome.plan, limits);
      if (!limits.dryRun) assertResolved(outcome.plan);
      ready.push(outcome);
    } catch (e) {
      if (!isSinkopsError(e)) throw e;
      settled.push({ status: 'failed', name: outcome.name, error: e });
    }
  }
  return { ready, settled };
}

export interface ApplyAccountsOptions {
  readonly accountConcurrency: number;
  readonly parallelism: number;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** Who holds each account's lease and for how long; undefined: no lease (the local account has its own lock). */
  readonly lease: LeaseOptions | undefined;
  /** Stops starting accounts and, in those begun, actions (a signal, the deadline). */
  readonly signal: AbortSignal;
  /** Called as each account finishes. */
  readonly onAccountDone?: (outcome: AccountApplyOutcome) => void;
  readonly onProgress?: (account: string, event: ProgressEvent) => void;
  /** Releases a lease after the run's own clients were cancelled (by the deadline). */
  readonly releaseLate: (account: PlannedAccount, lease: Lease) => Promise<void>;
}

export async function applyAccounts(accounts: readonly PlannedAccount[], o: ApplyAccountsOptions): Promise<AccountApplyOutcome[]> {
  return boundedMap(accounts, o.accountConcurrency, async (account) => {
    const outcome: AccountApplyOutcome = o.signal.aborted ? { status: 'skipped', name: account.name } : await applyAccount(account, o);
    o.onAccountDone?.(outcome);
    return outcome;
  });
}

async function applyAccount(account: PlannedAccount, o: ApplyAccountsOptions): Promise<AccountApplyOutcome> {
  const { plan, session } = account;
  const notes: string[] = [];
  let lease: Lease | undefined;
  try {
    if (!o.dryRun && o.lease !== undefined && hasRunnableActions(plan)) {
      if (leaseFits(plan.sinkCount)) {
        lease = await acquireLease(session.api, o.lease);
        assertUnchangedSince(account.remote, lease.sinks);
      } else {
        const { limit, peak } = plan.sinkCount;
        notes.push(`the apply takes the account to ${peak} of its ${limit} sinks, which leaves no slot for the apply lease; applied without it`);
        o.logger.warn({ account: account.name, peak, limit }, 'no sink slot for the apply lease; applying without it');
        assertUnchangedSince(account.remote, await session.api.listSinks());
      }
    }
    const result = await execute(plan, session.api, {
      parallelism: o.parallelism,
      limiter: account.limiter,
      dryRun: o.dryRun,
      logger: o.logger.child({ account: account.name }),
      signal: o.signal,
      ...(o.onProgress === undefined ? {} : { onProgress: (event: ProgressEvent) => o.onProgress?.(account.name, event) }),
    });
    return { status: 'applied', name: account.name, result, notes };
  } catch (e) {
    if (!isSinkopsError(e)) throw e;
    return { status: 'failed', name: account.name, error: e };
  } finally {
    if (lease !== undefined) await giveBack(account, lease, o);
  }
}

async function giveBack(account: PlannedAccount, lease: Lease, o: ApplyAccountsOptions): Promise<void> {
  try {
    await lease.release();
  } catch {
    // The account's client is cancelled once the deadline passes; a client of its own may still
    // delete the lease, and if not, it expires by itself.
    await o.releaseLate(account, lease).catch((e: unknown) => {
      o.logger.warn({ account: account.name, sid: lease.sid, error: String(e) }, 'the apply lease could not be released; it expires by itself');
    });
  }
}
