import { describe, expect, it } from 'vitest';
import { acquireLease, type LeaseOptions } from '../../src/apply/lease.js';
import { SinkopsError } from '../../src/errors.js';
import { isLeaseSink, LEASE_DESTINATION, leaseMarker } from '../../src/plan/marker.js';
import { FakeSinksApi, remoteSink } from '../helpers/fake-sinks-api.js';

const NOW = new Date('2026-11-28T12:00:00Z');

function options(overrides: Partial<LeaseOptions> = {}): LeaseOptions {
  return { host: 'ci-runner', pid: 4242, ttlMs: 31 * 60_000, now: () => NOW, isRunning: () => true, ...overrides };
}

function leaseSink(holder: string, until: Date, stack?: string) {
  return remoteSink({
    description: `sinkops apply in progress by ${holder} until ${until.toISOString()} ${leaseMarker(stack)}`,
    sinkConfiguration: { destination: LEASE_DESTINATION, method: 'POST', batch_events: false },
  });
}

async function locked(promise: Promise<unknown>): Promise<SinkopsError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e instanceof SinkopsError && e.code === 'LOCKED') return e;
  throw new Error(`expected LOCKED, got ${String(e)}`);
}

const leases = (api: FakeSinksApi) => [...api.sinks.values()].filter(isLeaseSink);

describe('acquireLease', () => {
  it('takes the lease as a sink that can never receive events, and gives it back', async () => {
    const api = new FakeSinksApi({ sinks: [remoteSink({ description: 'unrelated' })] });
    const lease = await acquireLease(api, options());
    const [held] = leases(api);
    expect(held?.sid).toBe(lease.sid);
    expect(held?.description).toBe(`sinkops apply in progress by ci-runner:4242 until 2026-11-28T12:31:00.000Z ${leaseMarker()}`);
    expect(held?.sinkConfiguration).toEqual({ destination: 'https://lease.sinkops.invalid/', method: 'POST', batch_events: false });
    await lease.release();
    expect(leases(api)).toEqual([]);
  });

  it('refuses while another apply holds a live lease, naming it, and creates nothing', async () => {
    const other = leaseSink('laptop:77', new Date(NOW.getTime() + 60_000));
    const api = new FakeSinksApi({ sinks: [other] });
    const e = await locked(acquireLease(api, options()));
    expect(e.details.join('\n')).toContain(`lease sink ${other.sid}, held by laptop:77, until 2026-11-28T12:01:00.000Z`);
    expect(api.mutatingCalls()).toEqual([]);
  });

  it('removes an expired lease, and the lease of a holder known to be gone, then takes it', async () => {
    const expired = leaseSink('laptop:77', new Date(NOW.getTime() - 1));
    const killed = leaseSink('this-host:99', new Date(NOW.getTime() + 60_000));
    const api = new FakeSinksApi({ sinks: [expired, killed] });
    const lease = await acquireLease(api, options({ host: 'this-host', isRunning: (pid) => pid !== 99 }));
    expect(leases(api).map((s) => s.sid)).toEqual([lease.sid]);
  });

  it('never counts a lease it cannot read as expired', async () => {
    const garbled = remoteSink({ description: `someone edited this ${leaseMarker()}`, sinkConfiguration: { destination: LEASE_DESTINATION, method: 'POST' } });
    await locked(acquireLease(new FakeSinksApi({ sinks: [garbled] }), options()));
  });

  it('never takes a real sink that carries the lease marker for a lease: not blocking, never deleted', async () => {
    // Someone who can edit descriptions gives a real sink an expired lease's description.
    const planted = remoteSink({ description: `sinkops apply in progress by x:1 until 2000-01-01T00:00:00.000Z ${leaseMarker()}` });
    const api = new FakeSinksApi({ sinks: [planted] });
    const lease = await acquireLease(api, options({ breakOthers: true }));
    expect(api.sinks.has(planted.sid)).toBe(true);
    expect(leases(api).map((s) => s.sid)).toEqual([lease.sid]);
  });

  it('with --break-lease removes a live lease of another apply', async () => {
    const other = leaseSink('laptop:77', new Date(NOW.getTime() + 60_000));
    const api = new FakeSinksApi({ sinks: [other] });
    const lease = await acquireLease(api, options({ breakOthers: true }));
    expect(leases(api).map((s) => s.sid)).toEqual([lease.sid]);
  });

  it('ignores the lease of another stack', async () => {
    const api = new FakeSinksApi({ sinks: [leaseSink('laptop:77', new Date(NOW.getTime() + 60_000), 'prod')] });
    await acquireLease(api, options({ stack: 'dev' }));
    expect(leases(api)).toHaveLength(2);
  });

  it('backs off when a racing apply created its lease meanwhile, leaving only the other', async () => {
    let lists = 0;
    let rival = '';
    const api = new FakeSinksApi({
      beforeCall: (call, fake) => {
        if (call.op !== 'listSinks' || (lists += 1) !== 2) return;
        const sink = leaseSink('other-ci:1', new Date(NOW.getTime() + 60_000));
        rival = sink.sid;
        fake.sinks.set(sink.sid, sink);
      },
    });
    await locked(acquireLease(api, options()));
    expect(leases(api).map((s) => s.sid)).toEqual([rival]);
  });

  it('lets at most one of many applies racing on one account go on', async () => {
    for (let round = 0; round < 20; round += 1) {
      const api = new FakeSinksApi({ latencyMs: () => Math.floor(Math.random() * 3) });
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => acquireLease(api, options({ host: 'runner', pid: i }))));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won.length).toBeLessThanOrEqual(1);
      for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as SinkopsError).code).toBe('LOCKED');
      expect(leases(api)).toHaveLength(won.length);
    }
  });
});
