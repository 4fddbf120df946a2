/**
 * A run over many accounts with in-memory accounts (no server): each account planned through its
 * own client, the catalogue read once for all, one account's failure kept to that account, and
 * the apply of the others going on; after a stop, accounts not begun are skipped.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { AccountTarget } from '../../src/accounts/model.js';
import { SinkopsError } from '../../src/errors.js';
import { applyAccounts, readyToApply } from '../../src/fleet/apply-accounts.js';
import type { PlannedAccount } from '../../src/fleet/model.js';
import { planAccounts, type PlanAccountsOptions } from '../../src/fleet/plan-accounts.js';
import type { DesiredState } from '../../src/desired/model.js';
import { LEASE_DESTINATION, leaseMarker } from '../../src/plan/marker.js';
import { TwilioApiError } from '../../src/twilio/errors.js';
import { FakeSinksApi, remoteSink } from '../helpers/fake-sinks-api.js';
import type { RemoteSink } from '../../src/remote/model.js';
import { desired, subscription } from '../plan/helpers.js';

const logger = pino({ level: 'silent' });

function target(name: string): AccountTarget {
  return { name, dir: 'sinks', credentials: () => ({ username: `user-${name}`, password: `token-${name}` }) };
}

function world(names: readonly string[], state: DesiredState, fail: Record<string, Error> = {}, sinks: Record<string, RemoteSink[]> = {}) {
  const apis = new Map<string, FakeSinksApi>();
  const options: PlanAccountsOptions = {
    options: { prune: true },
    accountConcurrency: 2,
    parallelism: 4,
    env: {},
    desiredFor: () => state,
    open: (credentials) => {
      const name = credentials.username.replace(/^user-/, '');
      const error = fail[name];
      const api = new FakeSinksApi({ sinks: sinks[name] ?? [], ...(error === undefined ? {} : { fail: () => error }) });
      apis.set(name, api);
      return Object.assign(api, { close: async () => undefined });
    },
    logger,
  };
  return { targets: names.map(target), options, apis };
}

const STATE: DesiredState = { sinks: [desired('orders')], diagnostics: [], files: ['sinks/orders.yaml'] };

describe('planAccounts', () => {
  it('plans each account with its own client; one that fails is a failed outcome, the others are planned', async () => {
    const unauthorized = new TwilioApiError({ status: 401, twilioCode: 20003, twilioMessage: 'Authenticate', moreInfo: null });
    const { targets, options, apis } = world(['a', 'b', 'c'], STATE, { b: unauthorized });
    const outcomes = await planAccounts(targets, options);
    expect(outcomes.map((o) => [o.name, o.status])).toEqual([['a', 'planned'], ['b', 'failed'], ['c', 'planned']]);
    expect(apis.size).toBe(3);
    const failed = outcomes[1];
    expect(failed?.status === 'failed' && failed.error).toBeInstanceOf(SinkopsError);
  });

  it('reads the event-type catalogue once for every account', async () => {
    const withSubscriptions: DesiredState = { ...STATE, sinks: [desired('orders', { subscriptions: [subscription('status', { 'com.twilio.messaging.message.delivered': 1 })] })] };
    const { targets, options, apis } = world(['a', 'b', 'c', 'd'], withSubscriptions);
    const outcomes = await planAccounts(targets, options);
    expect(outcomes.every((o) => o.status === 'planned')).toBe(true);
    const catalogueReads = [...apis.values()].flatMap((api) => api.calls.filter((c) => c.op === 'listEventTypes' || c.op === 'listSchemaVersions'));
    expect(catalogueReads.filter((c) => c.op === 'listEventTypes')).toHaveLength(1);
    expect(catalogueReads.filter((c) => c.op === 'listSchemaVersions')).toHaveLength(1);
  });

  it('a bug (an error that is not a SinkopsError) stops the run instead of passing for an account failure', async () => {
    const { targets, options } = world(['a'], STATE);
    await expect(planAccounts(targets, { ...options, desiredFor: () => { throw new TypeError('bug'); } })).rejects.toThrow('bug');
  });
});

describe('readyToApply and applyAccounts', () => {
  async function planned(names: readonly string[], state = STATE, sinks: Record<string, RemoteSink[]> = {}): Promise<PlannedAccount[]> {
    const { targets, options } = world(names, state, {}, sinks);
    return (await planAccounts(targets, options)).filter((o): o is PlannedAccount => o.status === 'planned');
  }

  it('settles accounts without changes and those a safety limit refuses; the rest are ready', async () => {
    const accounts = await planned(['a', 'b']);
    const empty: DesiredState = { sinks: [], diagnostics: [], files: [] };
    const [nothing] = await planned(['c'], empty);
    const { ready, settled } = readyToApply([...accounts, nothing!], { maxDeletes: 10, allowEmpty: false, dryRun: false });
    expect(ready.map((a) => a.name)).toEqual(['a', 'b']);
    expect(settled).toEqual([{ status: 'unchanged', name: 'c' }]);
    // An account whose plan deletes more than --max-deletes allows is refused alone.
    const old = [1, 2].map((n) => remoteSink({ sid: `DG${String(n).padStart(32, '0')}`, description: `old ${n} [sinkops:old-${n}]` }));
    const [deleting] = await planned(['d'], STATE, { d: old });
    const limited = readyToApply([...accounts, deleting!], { maxDeletes: 1, allowEmpty: false, dryRun: false });
    expect(limited.ready.map((a) => a.name)).toEqual(['a', 'b']);
    expect(limited.settled).toMatchObject([{ status: 'failed', name: 'd', error: { code: 'UNSAFE_PLAN' } }]);
  });

  it('applies every ready account; one whose requests fail is failed alone, with what was done', async () => {
    const accounts = await planned(['a', 'b', 'c']);
    const b = accounts[1]!.session.api as FakeSinksApi;
    b.options = { ...b.options, fail: (call) => (call.op === 'createSink' ? new TwilioApiError({ status: 500, twilioCode: 20500, twilioMessage: 'down', moreInfo: null }) : undefined) };
    const done: string[] = [];
    const outcomes = await applyAccounts(accounts, {
      accountConcurrency: 2,
      parallelism: 4,
      dryRun: false,
      logger,
      lease: undefined,
      signal: new AbortController().signal,
      onAccountDone: (o) => done.push(o.name),
      releaseLate: async () => undefined,
    });
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    const counts = outcomes.map((o) => (o.status === 'applied' ? o.result.counts : undefined));
    expect(counts[0]).toMatchObject({ applied: 1, failed: 0 });
    expect(counts[1]).toMatchObject({ applied: 0, failed: 1 });
    expect(counts[2]).toMatchObject({ applied: 1, failed: 0 });
    expect(done.sort()).toEqual(['a', 'b', 'c']);
  });

  it('once stopped, accounts not yet begun are skipped', async () => {
    const accounts = await planned(['a', 'b', 'c']);
    const stop = new AbortController();
    const outcomes = await applyAccounts(accounts, {
      accountConcurrency: 1,
      parallelism: 1,
      dryRun: false,
      logger,
      lease: undefined,
      signal: stop.signal,
      onAccountDone: () => stop.abort(),
      releaseLate: async () => undefined,
    });
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'skipped', 'skipped']);
  });

  it('an account changed between its plan and its apply fails alone (STALE_PLAN); nothing is sent to it', async () => {
    const accounts = await planned(['a', 'b']);
    const a = accounts[0]!.session.api as FakeSinksApi;
    // Someone edits account a in the Console after the plan was shown.
    await a.createSink({ description: 'made in the Console', sinkType: 'webhook', sinkConfiguration: { destination: 'https://example.org/console', method: 'POST' } });
    const before = a.calls.length;
    const outcomes = await applyAccounts(accounts, {
      accountConcurrency: 2,
      parallelism: 2,
      dryRun: false,
      logger,
      lease: { host: 'here', pid: 1, ttlMs: 60_000, now: () => new Date('2026-01-01T00:00:00Z'), isRunning: () => true },
      signal: new AbortController().signal,
      releaseLate: async () => undefined,
    });
    expect(outcomes[0]).toMatchObject({ status: 'failed', name: 'a', error: { code: 'STALE_PLAN' } });
    expect(outcomes[1]).toMatchObject({ status: 'applied', name: 'b', result: { counts: { applied: 1 } } });
    // Only the lease's own requests reached account a: no create of the planned sink, and the lease is gone.
    expect(a.calls.slice(before).filter((c) => c.op === 'createSink' && !(c.input?.description ?? '').includes('sinkops-lease'))).toEqual([]);
    expect([...a.sinks.values()].some((s) => s.description.includes('sinkops-lease'))).toBe(false);
  });

  it('a lease that is held elsewhere fails that account (LOCKED), not the run', async () => {
    const accounts = await planned(['a', 'b']);
    const a = accounts[0]!.session.api as FakeSinksApi;
    await a.createSink({ description: `sinkops apply in progress by other:1 until 2999-01-01T00:00:00.000Z ${leaseMarker()}`, sinkType: 'webhook', sinkConfiguration: { destination: LEASE_DESTINATION, method: 'POST', batch_events: false } });
    const outcomes = await applyAccounts(accounts, {
      accountConcurrency: 2,
      parallelism: 2,
      dryRun: false,
      logger,
      lease: { host: 'here', pid: 1, ttlMs: 60_000, now: () => new Date('2026-01-01T00:00:00Z'), isRunning: () => true },
      signal: new AbortController().signal,
      releaseLate: async () => undefined,
    });
    expect(outcomes[0]).toMatchObject({ status: 'failed', name: 'a', error: { code: 'LOCKED' } });
    expect(outcomes[1]).toMatchObject({ status: 'applied', name: 'b' });
  });
});
