import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type RunningEmulator } from '../../src/emulator/index.js';
import { CATALOGUE } from '../../src/emulator/event-catalogue.js';
import { emulator, KINESIS, SEGMENT, WEBHOOK } from './helpers.js';

/**
 * The official twilio package, unchanged, pointed at the emulator through its public
 * `client.events.baseUrl`. If these pass, the emulator speaks Twilio's wire format.
 */
function client(emu: RunningEmulator): ReturnType<typeof twilio> {
  const c = twilio(emu.accountSid, emu.authToken);
  c.events.baseUrl = emu.url;
  return c;
}

describe('the twilio npm package against the emulator', () => {
  it('creates, fetches, updates, lists and removes every sink type', async () => {
    const emu = await emulator();
    const c = client(emu);
    const kinesis = await c.events.v1.sinks.create({ description: 'k', sinkType: 'kinesis', sinkConfiguration: KINESIS });
    const webhook = await c.events.v1.sinks.create({ description: 'w', sinkType: 'webhook', sinkConfiguration: WEBHOOK });
    const segment = await c.events.v1.sinks.create({ description: 's', sinkType: 'segment', sinkConfiguration: SEGMENT });
    // Current Twilio: every sink is active on creation, kinesis included.
    expect([kinesis.status, webhook.status, segment.status]).toEqual(['active', 'active', 'active']);
    expect(kinesis.sinkConfiguration).toEqual(KINESIS);
    expect(kinesis.dateCreated).toBeInstanceOf(Date);

    const fetched = await c.events.v1.sinks(webhook.sid).fetch();
    expect(fetched).toMatchObject({ sid: webhook.sid, description: 'w', sinkType: 'webhook', url: `${emu.url}/v1/Sinks/${webhook.sid}` });
    const updated = await c.events.v1.sinks(webhook.sid).update({ description: 'w2' });
    expect(updated.description).toBe('w2');

    expect(await c.events.v1.sinks(segment.sid).remove()).toBe(true);
    const remaining = await c.events.v1.sinks.list();
    expect(remaining.map((s) => s.sid)).toEqual([kinesis.sid, webhook.sid]);

    const missing = await c.events.v1.sinks(segment.sid).fetch().catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 20404, moreInfo: 'https://www.twilio.com/docs/errors/20404' });
  });

  it('lists across pages with pageSize and limit, and iterates with each', async () => {
    const emu = await emulator({
      seed: {
        sinks: Array.from({ length: 11 }, (_, i) => ({ description: `sink ${i}`, sink_type: 'webhook', sink_configuration: WEBHOOK })),
        subscriptions: [],
      },
    });
    const c = client(emu);
    const all = await c.events.v1.sinks.list({ pageSize: 3 });
    expect(all.map((s) => s.description)).toEqual(Array.from({ length: 11 }, (_, i) => `sink ${i}`));
    const limited = await c.events.v1.sinks.list({ pageSize: 2, limit: 5 });
    expect(limited.map((s) => s.description)).toEqual(['sink 0', 'sink 1', 'sink 2', 'sink 3', 'sink 4']);

    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      c.events.v1.sinks.each({ pageSize: 4, done: (err?: Error) => (err ? reject(err) : resolve()) }, (sink) => {
        seen.push(sink.description);
      });
    });
    expect(seen).toHaveLength(11);

    const page = await c.events.v1.sinks.page({ pageSize: 5 });
    expect(page.instances).toHaveLength(5);
    const next = await page.nextPage();
    expect(next?.instances.map((s) => s.description)).toEqual(['sink 5', 'sink 6', 'sink 7', 'sink 8', 'sink 9']);
    const back = await next?.previousPage();
    expect(back?.instances.map((s) => s.description)).toEqual(['sink 0', 'sink 1', 'sink 2', 'sink 3', 'sink 4']);
  });

  it('validates any test id of an active sink, as current Twilio does', async () => {
    const emu = await emulator();
    const c = client(emu);
    const sink = await c.events.v1.sinks.create({ description: 'k', sinkType: 'kinesis', sinkConfiguration: KINESIS });
    expect(sink.status).toBe('active');
    expect((await c.events.v1.sinks(sink.sid).sinkTest.create()).result).toBe('submitted');
    expect((await c.events.v1.sinks(sink.sid).fetch()).status).toBe('active');
    expect((await c.events.v1.sinks(sink.sid).sinkValidate.create({ testId: 'any-test-id' })).result).toBe('valid');
  });

  it('activates a legacy kinesis sink with sinkTest and sinkValidate', async () => {
    const emu = await emulator({ activation: 'legacy' });
    const c = client(emu);
    const sink = await c.events.v1.sinks.create({ description: 'k', sinkType: 'kinesis', sinkConfiguration: KINESIS });
    const test = await c.events.v1.sinks(sink.sid).sinkTest.create();
    expect(test.result).toBe('submitted');
    expect((await c.events.v1.sinks(sink.sid).fetch()).status).toBe('validating');

    const res = await fetch(`${emu.url}/__emulator/sinks/${sink.sid}/test-events`);
    const { test_events: events } = (await res.json()) as { test_events: { test_id: string }[] };
    const validate = await c.events.v1.sinks(sink.sid).sinkValidate.create({ testId: events[0]!.test_id });
    expect(validate.result).toBe('valid');
    expect((await c.events.v1.sinks(sink.sid).fetch()).status).toBe('active');
    expect((await c.events.v1.sinks.list({ status: 'active' })).map((s) => s.sid)).toEqual([sink.sid]);
  });

  it('creates subscriptions with repeated Types, lists them by sinkSid, updates and removes them', async () => {
    const emu = await emulator();
    const c = client(emu);
    const a = await c.events.v1.sinks.create({ description: 'a', sinkType: 'webhook', sinkConfiguration: WEBHOOK });
    const b = await c.events.v1.sinks.create({ description: 'b', sinkType: 'webhook', sinkConfiguration: WEBHOOK });
    const types = [
      { type: 'com.twilio.messaging.message.delivered', schema_version: 1 },
      { type: 'com.twilio.messaging.message.failed', schema_version: 2 },
    ];
    const onA = await c.events.v1.subscriptions.create({ description: 'on a', sinkSid: a.sid, types });
    await c.events.v1.subscriptions.create({ description: 'on b', sinkSid: b.sid, types: [types[0]!] });
    expect(onA).toMatchObject({ accountSid: emu.accountSid, sinkSid: a.sid, description: 'on a' });

    const filtered = await c.events.v1.subscriptions.list({ sinkSid: a.sid, pageSize: 1 });
    expect(filtered.map((s) => s.sid)).toEqual([onA.sid]);
    expect((await c.events.v1.sinks.list({ inUse: true })).map((s) => s.sid)).toEqual([a.sid, b.sid]);

    expect((await c.events.v1.subscriptions(onA.sid).fetch()).description).toBe('on a');
    expect((await c.events.v1.subscriptions(onA.sid).update({ description: 'renamed' })).description).toBe('renamed');
    const blocked = await c.events.v1.sinks(a.sid).remove().catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(twilio.RestException);
    expect(blocked).toMatchObject({ status: 409, code: 91007, moreInfo: 'https://www.twilio.com/docs/errors/91007' });
    expect((blocked as Error).message).toContain('Sink still in use');
    expect(await c.events.v1.subscriptions(onA.sid).remove()).toBe(true);
    expect(await c.events.v1.sinks(a.sid).remove()).toBe(true);
  });

  it('sees the sink limit as a RestException with code 91003 and status 400', async () => {
    const emu = await emulator({
      seed: { sinks: Array.from({ length: 100 }, (_, i) => ({ description: `sink ${i}`, sink_type: 'webhook', sink_configuration: WEBHOOK })), subscriptions: [] },
    });
    const c = client(emu);
    const refused = await c.events.v1.sinks.create({ description: 'one too many', sinkType: 'webhook', sinkConfiguration: WEBHOOK }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(twilio.RestException);
    expect(refused).toMatchObject({
      status: 400,
      code: 91003,
      message: 'Cannot have more than 100 sinks. Make sure to delete at least one sinks before creating another',
      moreInfo: 'https://www.twilio.com/docs/errors/91003',
    });
    expect(await c.events.v1.sinks.list({ pageSize: 1000 })).toHaveLength(100);
  });

  it('sees a subscription on an inactive sink refused with 91100', async () => {
    const emu = await emulator({ activation: 'legacy' });
    const c = client(emu);
    const kinesis = await c.events.v1.sinks.create({ description: 'k', sinkType: 'kinesis', sinkConfiguration: KINESIS });
    const types = [{ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }];
    const refused = await c.events.v1.subscriptions.create({ description: 'early', sinkSid: kinesis.sid, types }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: 91100 });
  });

  it('lists event types (all, by schemaId, across pages) and fetches one', async () => {
    const emu = await emulator();
    const c = client(emu);
    const all = await c.events.v1.eventTypes.list({ pageSize: 10 });
    expect(all.map((t) => t.type)).toEqual(EVENT_TYPES.map((t) => t.type));
    expect(all.some((t) => t.status === 'deprecated')).toBe(true);
    const status = await c.events.v1.eventTypes.list({ schemaId: 'Messaging.MessageStatus', pageSize: 2 });
    expect(status.map((t) => t.type)).toEqual(EVENT_TYPES.filter((t) => t.schemaId === 'Messaging.MessageStatus').map((t) => t.type));
    const delivered = await c.events.v1.eventTypes('com.twilio.messaging.message.delivered').fetch();
    expect(delivered).toMatchObject({ type: 'com.twilio.messaging.message.delivered', schemaId: 'Messaging.MessageStatus', status: 'available', description: 'Messaging- delivered message' });
    expect(delivered.dateCreated).toBeInstanceOf(Date);
    expect(delivered.links).toEqual({ schema: `${emu.url}/v1/Schemas/Messaging.MessageStatus/Versions` });
    const missing = await c.events.v1.eventTypes('com.twilio.nothing').fetch().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(twilio.RestException);
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });

  it('fetches a schema, lists its versions and fetches one', async () => {
    const emu = await emulator();
    const c = client(emu);
    const expected = CATALOGUE.getSchema('Messaging.MessageStatus')!;
    const schema = await c.events.v1.schemas('Messaging.MessageStatus').fetch();
    expect(schema).toMatchObject({ id: 'Messaging.MessageStatus', latestVersion: expected.versions.length });
    expect(schema.latestVersionDateCreated).toBeInstanceOf(Date);
    const versions = await c.events.v1.schemas('Messaging.MessageStatus').versions.list({ pageSize: 3 });
    expect(versions.map((v) => v.schemaVersion)).toEqual(expected.versions.map((v) => v.version));
    const two = await c.events.v1.schemas('Messaging.MessageStatus').versions(2).fetch();
    expect(two).toMatchObject({ id: 'Messaging.MessageStatus', schemaVersion: 2, raw: `${emu.url}/__emulator/event-schemas/Messaging.MessageStatus/2` });
    expect(two.dateCreated).toBeInstanceOf(Date);
    expect(await (await fetch(two.raw)).json()).toMatchObject({ $id: 'https://events-schemas.twilio.com/Messaging.MessageStatus/2' });
    const missing = await c.events.v1.schemas('Messaging.MessageStatus').versions(99).fetch().catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });

  it('lists, adds, fetches, updates and removes a subscription\'s event types', async () => {
    const emu = await emulator();
    const c = client(emu);
    const sink = await c.events.v1.sinks.create({ description: 'w', sinkType: 'webhook', sinkConfiguration: WEBHOOK });
    const sub = await c.events.v1.subscriptions.create({
      description: 's',
      sinkSid: sink.sid,
      types: [{ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }],
    });
    const events = c.events.v1.subscriptions(sub.sid).subscribedEvents;
    const added = await events.create({ type: 'com.twilio.messaging.message.failed', schemaVersion: 2 });
    expect(added).toMatchObject({ accountSid: emu.accountSid, type: 'com.twilio.messaging.message.failed', schemaVersion: 2, subscriptionSid: sub.sid });
    const latest = await events.create({ type: 'com.twilio.messaging.inbound-message.received' });
    expect(latest.schemaVersion).toBe(CATALOGUE.getSchema('Messaging.InboundMessageV1')!.versions.length);
    expect((await events.list({ pageSize: 2 })).map((e) => [e.type, e.schemaVersion])).toEqual([
      ['com.twilio.messaging.message.delivered', 1],
      ['com.twilio.messaging.message.failed', 2],
      ['com.twilio.messaging.inbound-message.received', latest.schemaVersion],
    ]);
    // Adding a type the subscription has answers 200: the client takes it as the instance, version set.
    expect((await events.create({ type: 'com.twilio.messaging.message.delivered', schemaVersion: 2 })).schemaVersion).toBe(2);
    expect((await events('com.twilio.messaging.message.failed').fetch()).schemaVersion).toBe(2);
    expect((await events('com.twilio.messaging.message.failed').update({ schemaVersion: 3 })).schemaVersion).toBe(3);
    expect(await events('com.twilio.messaging.message.failed').remove()).toBe(true);
    expect(await events('com.twilio.messaging.inbound-message.received').remove()).toBe(true);
    const last = await events('com.twilio.messaging.message.delivered').remove().catch((e: unknown) => e);
    expect(last).toBeInstanceOf(twilio.RestException);
    expect(last).toMatchObject({ status: 400, code: 20001 });
    const unknown = await events.create({ type: 'com.twilio.nothing' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 400, code: 20001 });
    const badVersion = await c.events.v1.subscriptions
      .create({ description: 'bad', sinkSid: sink.sid, types: [{ type: 'com.twilio.messaging.message.delivered', schema_version: 99 }] })
      .catch((e: unknown) => e);
    expect(badVersion).toMatchObject({ status: 400, code: 20001 });
    expect((badVersion as Error).message).toContain('schema version 99 does not exist');
  });

  it('authenticates with an API key', async () => {
    const key = { sid: 'SK' + '1'.repeat(32), secret: 'key-secret' };
    const emu = await emulator({ apiKey: key });
    const c = twilio(key.sid, key.secret, { accountSid: emu.accountSid });
    c.events.baseUrl = emu.url;
    expect(await c.events.v1.sinks.list()).toEqual([]);
    const wrong = twilio(key.sid, 'not-the-secret', { accountSid: emu.accountSid });
    wrong.events.baseUrl = emu.url;
    expect(await wrong.events.v1.sinks.list().catch((e: unknown) => e)).toMatchObject({ status: 401, code: 20003 });
  });
});
