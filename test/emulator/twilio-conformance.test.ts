import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
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
