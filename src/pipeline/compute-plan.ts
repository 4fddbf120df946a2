/**
 * The middle of the pipeline: read the remote state, then plan (pure). It talks to the account through the SinksApi seam only, so the Twilio client, the local account
 * and the test fakes all serve.
 */
import type { DesiredSink, DesiredState } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import { remoteBasis } from '../plan/canonical.js';
import { isLeaseSink, parseSubscriptionMarker } from '../plan/marker.js';
import type { Plan, PlanOptions } from '../plan/model.js';
import { plan } from '../plan/plan.js';
import { assertCurrent, planFromSaved, savedSubscriptionSids, type SavedPlan } from '../plan/saved-plan.js';
import type { SinksApi } from '../remote/api.js';
import type { RemoteSink, RemoteState } from '../remote/model.js';
import { readRemoteState, type CatalogueReads, type ReadOptions } from '../remote/read.js';

/**
 * What the read needs to know of the repository: whose subscriptions are ours (their events are
 * read), which ones it pins, and whether it declares any (then the event catalogue is read).
 */
export function readOptionsFor(desired: readonly DesiredSink[], options: PlanOptions, catalogue?: CatalogueReads): ReadOptions {
  return {
    desired,
    ownsSubscription: (s) => parseSubscriptionMarker(s.description, options.stack) !== undefined,
    ...(catalogue === undefined ? {} : { catalogue }),
  };
}

/**
 * Reads the account (or takes the state already read, for --watch) and plans. A run over many
 * accounts passes the catalogue reads they share.
 */
export async function computePlan(
  desired: DesiredState,
  api: SinksApi,
  options: PlanOptions,
  cached?: RemoteState,
  catalogue?: CatalogueReads,
): Promise<{ plan: Plan; remote: RemoteState }> {
  const remote = cached ?? (await readRemoteState(api, readOptionsFor(desired.sinks, options, catalogue)));
  return { plan: plan(desired.sinks, remote, options), remote };
}

/**
 * `apply plan.json`: the saved plan checked against the account as it is now, and made executable.
 * Refused (STALE_PLAN) when any sink it touches changed since it was planned.
 */
export async function computeSavedPlan(
  saved: SavedPlan,
  file: string,
  api: SinksApi,
  options: PlanOptions,
): Promise<{ plan: Plan; remote: RemoteState }> {
  // A saved plan's subscription actions name their subscriptions: those are read with their events.
  const remote = await readRemoteState(api, { ownsSubscription: (s) => savedSubscriptionSids(saved).has(s.sid) || parseSubscriptionMarker(s.description, options.stack) !== undefined });
  assertCurrent(saved, remote, file);
  return { plan: planFromSaved(saved, remote, options), remote };
}

/**
 * Refuses (STALE_PLAN) when the account's sinks `now` differ from those the plan was computed from:
 * apply checks the listing its lease made, so what it applies is what the user confirmed. Lease
 * sinks are sinkops's own bookkeeping and do not count.
 */
export function assertUnchangedSince(before: RemoteState, now: readonly RemoteSink[]): void {
  if (remoteBasis(ownSinks(now)) === remoteBasis(ownSinks(before.sinks))) return;
  throw new SinkopsError('STALE_PLAN', 'The account changed between the plan and the apply (another apply, or an edit in the Console); nothing was applied', {
    details: ['Run the apply again: it plans anew against the account as it is now.'],
  });
}

function ownSinks(sinks: readonly RemoteSink[]): RemoteSink[] {
  return sinks.filter((s) => !isLeaseSink(s));
}
