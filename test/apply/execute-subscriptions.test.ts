/**
 * Applying subscription changes (SPEC §13): the real planner over the in-memory account, then the
 * executor, then the planner again — the order of the requests, and convergence.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/apply/execute.js';
import type { DesiredSink } from '../../src/desired/model.js';
import { computePlan } from '../../src/pipeline/compute-plan.js';
import type { PlanOptions } from '../../src/plan/model.js';
import { TwilioApiError } from '../../src/twilio/errors.js';
import { FakeSinksApi, remoteSink } from '../helpers/fake-sinks-api.js';
import { desired, lit, subscription } from '../plan/helpers.js';

const DELIVERED = 'com.twilio.messaging.message.delivered';
const FAILED = 'com.twilio.messaging.message.failed';
const INBOUND = 'com.twilio.messaging.inbound-message.received';
const OPTIONS: PlanOptions = { prune: true };
const apply = { parallelism: 4, dryRun: false, logger: pino({ level: 'silent' }) };

const state = (sinks: DesiredSink[]) => ({ sinks, diagnostics: [], files: [] });
const hook = (destination: string, events: Record<string, number>) =>
  desired('orders', { config: { destination: lit(destination), method: lit('POST') }, subscriptions: [subscription('status', events, { description: 'Status' })] });

/** What the apply sent, in order: `createSink`, `createSubscription`, … */
const sent = (api: FakeSinksApi): string[] => api.mutatingCalls().map((c) => c.op);

async function converge(api: FakeSinksApi, wanted: DesiredSink[]): Promise<void> {
  const { plan } = await computePlan(state(wanted), api, OPTIONS);
  expect(plan.errors).toEqual([]);
  const result = await execute(plan, api, apply);
  expect(result.counts).toMatchObject({ failed: 0, blocked: 0, skipped: 0 });
}

async function expectNoChanges(api: FakeSinksApi, wanted: DesiredSink[]): Promise<void> {
  const { plan } = await computePlan(state(wanted), api, OPTIONS);
  expect(plan.actions.map((a) => a.action)).toEqual(plan.actions.map(() => 'noop'));
  expect(plan.subscriptions.map((a) => a.action)).toEqual(plan.subscriptions.map(() => 'noop'));
}

describe('apply: subscriptions', () => {
  it('creates the sink, then its subscription on the new SID', async () => {
    const api = new FakeSinksApi();
    const wanted = [hook('https://example.org/a', { [DELIVERED]: 2 })];
    await converge(api, wanted);
    expect(sent(api)).toEqual(['createSink', 'createSubscription']);
    const [sink] = [...api.sinks.values()];
    const [sub] = [...api.subscriptions.values()];
    expect(sub?.sinkSid).toBe(sink?.sid);
    expect(sub?.description).toBe('Status [sinkops:orders#status]');
    expect(api.eventsOf(sub?.sid ?? '')).toEqual([{ type: DELIVERED, schemaVersion: 2 }]);
    await expectNoChanges(api, wanted);
  });

  it('updates in place: description, then events added and changed, and only then removed', async () => {
    const api = new FakeSinksApi();
    await converge(api, [hook('https://example.org/a', { [DELIVERED]: 1, [INBOUND]: 1 })]);
    api.calls.length = 0;
    const wanted = [hook('https://example.org/a', { [DELIVERED]: 2, [FAILED]: 3 })];
    await converge(api, wanted);
    expect(sent(api)).toEqual(['addSubscribedEvent', 'updateSubscribedEvent', 'removeSubscribedEvent']);
    await expectNoChanges(api, wanted);
  });

  it('replaces a sink its managed subscription uses: new sink, new subscription, old subscription, old sink', async () => {
    const api = new FakeSinksApi();
    await converge(api, [hook('https://example.org/a', { [DELIVERED]: 2 })]);
    const [oldSink] = [...api.sinks.keys()];
    api.calls.length = 0;
    const wanted = [hook('https://example.org/b', { [DELIVERED]: 2 })];
    await converge(api, wanted);
    expect(sent(api)).toEqual(['createSink', 'createSubscription', 'deleteSubscription', 'deleteSink']);
    expect(api.mutatingCalls().at(-1)?.sid).toBe(oldSink);
    expect(api.sinks.size).toBe(1);
    expect(api.subscriptions.size).toBe(1);
    expect([...api.subscriptions.values()][0]?.sinkSid).not.toBe(oldSink);
    await expectNoChanges(api, wanted);
  });

  it('keeps the old sink and its subscription when the subscription cannot be made on the new sink', async () => {
    const api = new FakeSinksApi();
    await converge(api, [hook('https://example.org/a', { [DELIVERED]: 2 })]);
    const [oldSink] = [...api.sinks.keys()];
    const [oldSub] = [...api.subscriptions.keys()];
    api.options = { ...api.options, fail: (c) => (c.op === 'createSubscription' ? new TwilioApiError({ status: 500, twilioCode: 20500, twilioMessage: 'boom', moreInfo: null }) : undefined) };
    const { plan } = await computePlan(state([hook('https://example.org/b', { [DELIVERED]: 2 })]), api, OPTIONS);
    const result = await execute(plan, api, apply);
    expect(result.subscriptions.map((r) => r.status)).toEqual(['failed']);
    // The old sink is held by its subscription: the replace leaves it, and says so.
    expect(result.results.map((r) => r.status)).toEqual(['blocked']);
    expect(api.sinks.has(oldSink ?? '')).toBe(true);
    expect(api.subscriptions.has(oldSub ?? '')).toBe(true);
  });

  it('skips the subscriptions of a sink whose create failed, and sends nothing for them', async () => {
    const api = new FakeSinksApi({ fail: (c) => (c.op === 'createSink' ? new TwilioApiError({ status: 400, twilioCode: 91000, twilioMessage: 'invalid', moreInfo: null }) : undefined) });
    const { plan } = await computePlan(state([hook('https://example.org/a', { [DELIVERED]: 2 })]), api, OPTIONS);
    const result = await execute(plan, api, apply);
    expect(result.results.map((r) => r.status)).toEqual(['failed']);
    expect(result.subscriptions.map((r) => [r.status, r.error])).toEqual([['skipped', 'its sink orders was not made in this apply']]);
    expect(api.count('createSubscription')).toBe(0);
  });

  it('prunes a sink after the subscriptions on it', async () => {
    const api = new FakeSinksApi();
    await converge(api, [hook('https://example.org/a', { [DELIVERED]: 2 }), desired('kept')]);
    api.calls.length = 0;
    await converge(api, [desired('kept')]);
    expect(sent(api)).toEqual(['deleteSubscription', 'deleteSink']);
  });

  it('dry run sends nothing and reports every step as planned', async () => {
    const api = new FakeSinksApi({ sinks: [remoteSink({ description: 'orders sink [sinkops:orders]', sinkConfiguration: { destination: 'https://example.org/a', method: 'POST' } })] });
    const { plan } = await computePlan(state([hook('https://example.org/b', { [DELIVERED]: 2 })]), api, OPTIONS);
    const result = await execute(plan, api, { ...apply, dryRun: true });
    expect(sent(api)).toEqual([]);
    expect([...result.results, ...result.subscriptions].map((r) => r.status)).toEqual(['planned', 'planned']);
  });
});
