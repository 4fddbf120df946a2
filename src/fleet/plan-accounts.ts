/**
 * Plans every account of a run, `accountConcurrency` at a time (SPEC §14): each one's desired state
 * (its directory, stamped for a fleet member), its own client, its own read, the pure planner. What
 * Twilio serves alike to every account (the event-type catalogue, schema versions) is read once.
 * An account that cannot be reached or read fails alone; the others are planned.
 */
import type { AccountCredentials, AccountTarget } from '../accounts/model.js';
import { AdaptiveLimiter } from '../apply/limiter.js';
import { boundedMap } from '../bounded-map.js';
import type { DesiredState } from '../desired/model.js';
import { isSinkopsError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { computePlan } from '../pipeline/compute-plan.js';
import type { PlanOptions } from '../plan/model.js';
import type { SinksApi } from '../remote/api.js';
import { sharedCatalogue, type CatalogueReads } from '../remote/read.js';
import type { AccountPlanOutcome, AccountSession } from './model.js';

export interface PlanAccountsOptions {
  readonly options: PlanOptions;
  readonly accountConcurrency: number;
  /** Actions in flight per account when the plan is applied (its limiter's window). */
  readonly parallelism: number;
  /** The environment the accounts' credentials are read from (names in sinkops.yaml). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly desiredFor: (target: AccountTarget) => DesiredState;
  /** A client for one account's credentials, which calls `onRateLimited` on HTTP 429. */
  readonly open: (credentials: AccountCredentials, onRateLimited: () => void) => SinksApi & { close(): Promise<void> };
  readonly logger: Logger;
}

export async function planAccounts(targets: readonly AccountTarget[], o: PlanAccountsOptions): Promise<AccountPlanOutcome[]> {
  const catalogue = sharedCatalogue();
  return boundedMap(targets, o.accountConcurrency, (target) => planAccount(target, o, catalogue));
}

async function planAccount(target: AccountTarget, o: PlanAccountsOptions, catalogue: CatalogueReads): Promise<AccountPlanOutcome> {
  let session: AccountSession | undefined;
  try {
    const limiter = new AdaptiveLimiter(o.parallelism);
    const api = o.open(target.credentials(o.env), () => limiter.onRateLimited());
    session = { api, close: () => api.close() };
    const { plan, remote } = await computePlan(o.desiredFor(target), api, o.options, undefined, catalogue);
    o.logger.debug({ account: target.name, remoteSinks: remote.sinks.length }, 'account planned');
    return { status: 'planned', name: target.name, target, plan, remote, session, limiter };
  } catch (e) {
    await session?.close();
    // Anything but a SinkopsError is a bug, the same in every account: it stops the run.
    if (!isSinkopsError(e)) throw e;
    o.logger.warn({ account: target.name, code: e.code }, 'account could not be planned');
    return { status: 'failed', name: target.name, error: e };
  }
}
