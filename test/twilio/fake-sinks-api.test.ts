/**
 * The in-memory SinksApi (test/helpers/fake-sinks-api.ts) that test/apply runs the executor
 * against keeps Twilio's subscription rules (SPEC §12–§13) and the seam's contract as the
 * TwilioClient implements it: an executor test that passes against the fake must not rely on
 * something Twilio would refuse.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, FakeSinksApi, remoteSink } from '../helpers/fake-sinks-api.js';

const DELIVERED = 'com.twilio.messaging.message.delivered';
const FAILED = 'com.twilio.messaging.message.failed';
const INBOUND = 'com.twilio.messaging.inbound-message.received';

function setup(): { api: FakeSinksApi; sink: string; inactive: string } {
  const active = remoteSink({ description: 'active' });
  const initialized = remoteSink({ description: 'new kinesis', sinkType: 'kinesis', status: 'initialized' });
  return { api: new FakeSinksApi({ sinks: [active, initialized] }), sink: active.sid, inactive: initialized.sid };
}

describe('FakeSinksApi subscriptions', () => {
  it('creates a subscription with its events, and lists them', async () => {
    const { api, sink } = setup();
    const sub = await api.createSubscription({
      description: 'R [sinkops:s#r]',
      sinkSid: sink,
      events: [
        { type: FAILED, schemaVersion: 1 },
        { type: DELIVERED, schemaVersion: 3 },
      ],
    });
    expect(sub).toEqual({ sid: expect.stringMatching(/^DF[0-9a-f]{32}$/), description: 'R [sinkops:s#r]', sinkSid: sink });
    expect(await api.listSubscriptions({ sinkSid: sink })).toEqual([sub]);
    expect(await api.listSubscribedEvents(sub.sid)).toEqual([
      { type: DELIVERED, schemaVersion: 3 },
      { type: FAILED, schemaVersion: 1 },
    ]);
    expect(api.calls.map((c) => c.op)).toEqual(['createSubscription', 'listSubscriptions', 'listSubscribedEvents']);
    expect(api.mutatingCalls().map((c) => c.op)).toEqual(['createSubscription']);
  });

  it('refuses a subscription on a sink that is not active or does not exist (400 / 91100)', async () => {
    const { api, inactive } = setup();
    for (const sinkSid of [inactive, 'DG' + '0'.repeat(32)]) {
      await expect(api.createSubscription({ description: 'd', sinkSid, events: [{ type: DELIVERED, schemaVersion: 1 }] })).rejects.toMatchObject({
        status: 400,
        twilioCode: 91100,
      });
    }
    expect(api.subscriptions.size).toBe(0);
  });

  it.each([
    ['no event', []],
    ['a type not in the catalogue', [{ type: 'com.twilio.nope', schemaVersion: 1 }]],
    ['a version its schema does not have', [{ type: INBOUND, schemaVersion: 2 }]],
    ['one type twice', [{ type: DELIVERED, schemaVersion: 1 }, { type: DELIVERED, schemaVersion: 2 }]],
  ])('refuses a subscription with %s (400)', async (_name, events) => {
    const { api, sink } = setup();
    await expect(api.createSubscription({ description: 'd', sinkSid: sink, events })).rejects.toMatchObject({ status: 400 });
    expect(api.subscriptions.size).toBe(0);
  });

  it('blocks the delete of a sink a created subscription uses (409 / 91007), until the subscription is deleted', async () => {
    const { api, sink } = setup();
    const sub = await api.createSubscription({ description: 'd', sinkSid: sink, events: [{ type: DELIVERED, schemaVersion: 1 }] });
    await expect(api.deleteSink(sink)).rejects.toMatchObject({ status: 409, twilioCode: 91007 });
    await api.deleteSubscription(sub.sid);
    await api.deleteSink(sink);
    expect(api.sinks.has(sink)).toBe(false);
  });

  it('updates the description only, and deletes; a subscription already gone counts as deleted', async () => {
    const { api, sink } = setup();
    const sub = await api.createSubscription({ description: 'old', sinkSid: sink, events: [{ type: DELIVERED, schemaVersion: 1 }] });
    expect(await api.updateSubscription(sub.sid, { description: 'new' })).toEqual({ ...sub, description: 'new' });
    await api.deleteSubscription(sub.sid);
    await expect(api.deleteSubscription(sub.sid)).resolves.toBeUndefined();
    await expect(api.updateSubscription(sub.sid, { description: 'x' })).rejects.toMatchObject({ status: 404 });
    await expect(api.listSubscribedEvents(sub.sid)).rejects.toMatchObject({ status: 404 });
    expect(api.subscribedEvents.has(sub.sid)).toBe(false);
  });

  it("adds, updates and removes a subscription's events by Twilio's rules", async () => {
    const { api, sink } = setup();
    const sub = await api.createSubscription({ description: 'd', sinkSid: sink, events: [{ type: DELIVERED, schemaVersion: 1 }] });

    await api.addSubscribedEvent(sub.sid, { type: FAILED, schemaVersion: 2 });
    await expect(api.addSubscribedEvent(sub.sid, { type: FAILED, schemaVersion: 2 })).rejects.toMatchObject({ status: 400 }); // once
    await expect(api.addSubscribedEvent(sub.sid, { type: 'com.twilio.nope', schemaVersion: 1 })).rejects.toMatchObject({ status: 400 });
    await api.updateSubscribedEvent(sub.sid, { type: DELIVERED, schemaVersion: 3 });
    await expect(api.updateSubscribedEvent(sub.sid, { type: DELIVERED, schemaVersion: 4 })).rejects.toMatchObject({ status: 400 });
    await expect(api.updateSubscribedEvent(sub.sid, { type: INBOUND, schemaVersion: 1 })).rejects.toMatchObject({ status: 404 });
    expect(api.eventsOf(sub.sid)).toEqual([
      { type: DELIVERED, schemaVersion: 3 },
      { type: FAILED, schemaVersion: 2 },
    ]);

    await api.removeSubscribedEvent(sub.sid, FAILED);
    await expect(api.removeSubscribedEvent(sub.sid, FAILED)).resolves.toBeUndefined(); // already gone
    // The last type stays: a subscription never has none (delete the subscription instead).
    await expect(api.removeSubscribedEvent(sub.sid, DELIVERED)).rejects.toMatchObject({ status: 400 });
    expect(api.eventsOf(sub.sid)).toEqual([{ type: DELIVERED, schemaVersion: 3 }]);

    const logged = api.calls.filter((c) => c.sid === sub.sid).map((c) => [c.op, c.event ?? c.type]);
    expect(logged[0]).toEqual(['addSubscribedEvent', { type: FAILED, schemaVersion: 2 }]);
    expect(logged).toContainEqual(['removeSubscribedEvent', FAILED]);
  });

  it('serves its catalogue (the default, or one given) and the versions of each schema', async () => {
    const { api } = setup();
    expect((await api.listEventTypes()).map((t) => t.type)).toEqual([DELIVERED, FAILED, INBOUND]);
    expect(await api.listSchemaVersions('Messaging.MessageStatus')).toEqual([1, 2, 3]);
    expect(await api.listSchemaVersions('Messaging.InboundMessageV1')).toEqual([1]);
    await expect(api.listSchemaVersions('Nope')).rejects.toMatchObject({ status: 404 });
    expect(api.calls.find((c) => c.op === 'listSchemaVersions')?.schemaId).toBe('Messaging.MessageStatus');

    const custom = new FakeSinksApi({
      catalogue: { types: [...DEFAULT_CATALOGUE.types, { type: 'com.twilio.old', schemaId: 'Old', status: 'deprecated' }], schemaVersions: { ...DEFAULT_CATALOGUE.schemaVersions, Old: [1] } },
    });
    expect((await custom.listEventTypes()).at(-1)).toEqual({ type: 'com.twilio.old', schemaId: 'Old', status: 'deprecated' });
  });

  it('seeds subscriptions with events, without checking the rules', async () => {
    const sink = remoteSink({ description: 's' });
    const sub = { sid: 'DF' + 'a'.repeat(32), description: 'hand made', sinkSid: sink.sid };
    const api = new FakeSinksApi({ sinks: [sink], subscriptions: [sub], subscribedEvents: { [sub.sid]: [{ type: 'com.twilio.unknown', schemaVersion: 9 }] } });
    expect(await api.listSubscribedEvents(sub.sid)).toEqual([{ type: 'com.twilio.unknown', schemaVersion: 9 }]);
    const other = api.subscribe(sink.sid, 'other', [{ type: DELIVERED, schemaVersion: 1 }]);
    expect(api.eventsOf(other.sid)).toEqual([{ type: DELIVERED, schemaVersion: 1 }]);
    expect(api.eventsOf(api.subscribe(sink.sid).sid)).toEqual([]);
  });

  it('fails chosen subscription calls before they take effect', async () => {
    const { sink } = setup();
    const api = new FakeSinksApi({
      sinks: [remoteSink({ sid: sink, description: 'active' })],
      fail: (call) => (call.op === 'createSubscription' ? new Error('lost') : undefined),
    });
    await expect(api.createSubscription({ description: 'd', sinkSid: sink, events: [{ type: DELIVERED, schemaVersion: 1 }] })).rejects.toThrow('lost');
    expect(api.subscriptions.size).toBe(0);
  });
});
