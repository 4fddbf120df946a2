import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TwilioClient } from '../../src/twilio/client.js';
import type { TwilioConfig } from '../../src/twilio/config.js';
import { VERSION } from '../../src/version.js';
import { startFakeServer, type FakeServer } from './fake-server.js';
import { BASIC, testConfig } from './helpers.js';

let server: FakeServer;
let client: TwilioClient;

function connect(overrides: Partial<TwilioConfig> = {}): TwilioClient {
  client = new TwilioClient(testConfig({ baseUrl: server.url, ...overrides }), { sleep: async () => {} });
  return client;
}

beforeEach(async () => {
  server = await startFakeServer();
});
afterEach(async () => {
  await client.close();
  await server.close();
});

const INPUT = {
  description: 'Orders [sinkops:orders]',
  sinkType: 'webhook',
  sinkConfiguration: { destination: 'https://example.org/orders', method: 'POST', batch_events: true },
};

function sent(): string[] {
  return server.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`);
}

describe('over a real socket', () => {
  it('reuses one keep-alive connection and sends Basic auth and the User-Agent', async () => {
    const c = connect();
    for (let i = 0; i < 10; i++) {
      const created = await c.createSink({ ...INPUT, description: `${i} [sinkops:s${i}]` });
      await c.fetchSink(created.sid);
    }
    for (let i = 0; i < 10; i++) await c.listSinks();
    // Not one per request. (undici may open a second socket while the first is finishing a response.)
    expect(server.requests).toHaveLength(30);
    expect(server.connections).toBeLessThanOrEqual(2);
    expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set([BASIC]));
    expect(new Set(server.requests.map((r) => r.userAgent))).toEqual(new Set([`sinkops/${VERSION}`]));
  });

  it('a create that timed out after the server stored it yields one sink', async () => {
    server.faults.push({ match: 'POST /v1/Sinks', fault: 'hang-after' });
    const sink = await connect({ timeoutMs: 150 }).createSink(INPUT);
    expect(server.sinks.size).toBe(1);
    expect(sink.sid).toBe([...server.sinks.keys()][0]);
    expect(sent()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks']);
  });

  it('a create whose connection dropped after the server stored it yields one sink', async () => {
    server.faults.push({ match: 'POST /v1/Sinks', fault: 'drop-after' });
    const sink = await connect().createSink(INPUT);
    expect([...server.sinks.keys()]).toEqual([sink.sid]);
    expect(sent()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks']);
  });

  it('a create whose connection dropped after the server stored it yields one sink, however Twilio reads it back', async () => {
    const kinesis = {
      description: 'Stream [sinkops:stream]',
      sinkType: 'kinesis',
      sinkConfiguration: { arn: 'arn:aws:kinesis:us-east-1:1:stream/s', role_arn: 'arn:aws:iam::1:role/R', external_id: 'ext-secret' },
    };
    const hook = { description: 'Hook [sinkops:hook]', sinkType: 'webhook', sinkConfiguration: { destination: 'https://example.org/hook' } };
    // Secrets masked, the webhook's defaults written out by the server (as strings, in another order).
    server.readBack = (stored) => {
      const config = stored['sink_configuration'] as Record<string, unknown>;
      const masked = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, k === 'external_id' ? '********' : v]));
      return { ...stored, sink_configuration: stored['sink_type'] === 'webhook' ? { batch_events: 'false', ...masked } : masked };
    };
    const c = connect();
    const created: string[] = [];
    for (const input of [kinesis, hook]) {
      server.faults.push({ match: 'POST /v1/Sinks', fault: 'drop-after' });
      created.push((await c.createSink(input)).sid);
    }
    expect(created).toEqual([...server.sinks.keys()]);
    expect(sent()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'POST /v1/Sinks', 'GET /v1/Sinks']);
    const stored = [...server.sinks.values()].map((s) => s['sink_configuration']);
    expect(stored[1]).toEqual({ destination: 'https://example.org/hook', method: 'POST', batch_events: false });
  });

  it('a create whose connection dropped before the server stored it is sent again', async () => {
    server.faults.push({ match: 'POST /v1/Sinks', fault: 'drop-before' });
    const sink = await connect().createSink(INPUT);
    expect([...server.sinks.keys()]).toEqual([sink.sid]);
    expect(sent()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'POST /v1/Sinks']);
  });

  it('retries a GET whose connection dropped', async () => {
    const c = connect();
    await c.createSink(INPUT);
    server.faults.push({ match: 'GET /v1/Sinks', fault: 'drop-before' }, { match: 'GET /v1/Sinks', fault: 'drop-before' });
    expect(await c.listSinks()).toHaveLength(1);
    expect(sent()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'GET /v1/Sinks', 'GET /v1/Sinks']);
  });

  it('a DELETE whose answer was lost, retried and answered 404, is done', async () => {
    const c = connect();
    const { sid } = await c.createSink(INPUT);
    server.faults.push({ match: `DELETE /v1/Sinks/${sid}`, fault: 'drop-after' });
    await c.deleteSink(sid);
    expect(server.sinks.size).toBe(0);
    expect(sent()).toEqual(['POST /v1/Sinks', `DELETE /v1/Sinks/${sid}`, `DELETE /v1/Sinks/${sid}`]);
  });

  it('a GET that times out every time ends in a NETWORK error naming the origin', async () => {
    const c = connect({ timeoutMs: 100, maxRetries: 1 });
    server.faults.push({ match: 'GET /v1/Sinks', fault: 'hang-after' }, { match: 'GET /v1/Sinks', fault: 'hang-after' });
    const failure = c.listSinks();
    await expect(failure).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining(server.url) });
    await expect(failure).rejects.toThrow(/no complete answer within 100 ms \(after 2 attempts\)/);
  });

  it('wrong credentials get a 401 that names the variables', async () => {
    const c = connect({ password: 'wrong' });
    await expect(c.listSinks()).rejects.toMatchObject({ status: 401, details: [expect.stringContaining('TWILIO_AUTH_TOKEN')] });
  });
});

describe('subscriptions over a real socket', () => {
  const DELIVERED = 'com.twilio.messaging.message.delivered';
  const FAILED = 'com.twilio.messaging.message.failed';

  /** Creates an active sink on the server; returns its SID. */
  async function withSink(c: TwilioClient): Promise<string> {
    return (await c.createSink(INPUT)).sid;
  }

  it('a subscription create whose connection dropped after the server stored it yields one subscription, from one POST', async () => {
    const c = connect();
    const sinkSid = await withSink(c);
    server.faults.push({ match: 'POST /v1/Subscriptions', fault: 'drop-after' });
    const description = 'Receipts [sinkops:orders#receipts]';

    const sub = await c.createSubscription({ description, sinkSid, events: [{ type: DELIVERED, schemaVersion: 2 }, { type: FAILED, schemaVersion: 1 }] });

    expect([...server.subscriptions.keys()]).toEqual([sub.sid]);
    expect(sub).toMatchObject({ description, sinkSid });
    expect(server.subscribedEvents.get(sub.sid)).toEqual(new Map([[DELIVERED, 2], [FAILED, 1]]));
    expect(sent()).toEqual(['POST /v1/Sinks', 'POST /v1/Subscriptions', 'GET /v1/Subscriptions']);
  });

  it('a subscription create that timed out after the server stored it yields one subscription', async () => {
    const c = connect({ timeoutMs: 150 });
    const sinkSid = await withSink(c);
    server.faults.push({ match: 'POST /v1/Subscriptions', fault: 'hang-after' });
    const sub = await c.createSubscription({ description: 'R [sinkops:orders#r]', sinkSid, events: [{ type: DELIVERED, schemaVersion: 1 }] });
    expect([...server.subscriptions.keys()]).toEqual([sub.sid]);
    expect(sent().filter((r) => r === 'POST /v1/Subscriptions')).toHaveLength(1);
  });

  it('an event type added whose answer was lost after the server stored it is added once, from one POST', async () => {
    const c = connect();
    const sinkSid = await withSink(c);
    const sub = await c.createSubscription({ description: 'R [sinkops:orders#r]', sinkSid, events: [{ type: DELIVERED, schemaVersion: 1 }] });
    const events = `/v1/Subscriptions/${sub.sid}/SubscribedEvents`;
    server.faults.push({ match: `POST ${events}`, fault: 'drop-after' });

    await c.addSubscribedEvent(sub.sid, { type: FAILED, schemaVersion: 3 });

    expect(await c.listSubscribedEvents(sub.sid)).toEqual([
      { type: DELIVERED, schemaVersion: 1 },
      { type: FAILED, schemaVersion: 3 },
    ]);
    expect(sent().slice(2)).toEqual([`POST ${events}`, `GET ${events}`, `GET ${events}`]);
  });

  it('an add whose connection dropped before the server stored it is sent again', async () => {
    const c = connect();
    const sinkSid = await withSink(c);
    const sub = await c.createSubscription({ description: 'R [sinkops:orders#r]', sinkSid, events: [{ type: DELIVERED, schemaVersion: 1 }] });
    const events = `/v1/Subscriptions/${sub.sid}/SubscribedEvents`;
    server.faults.push({ match: `POST ${events}`, fault: 'drop-before' });
    await c.addSubscribedEvent(sub.sid, { type: FAILED, schemaVersion: 3 });
    expect(server.subscribedEvents.get(sub.sid)?.get(FAILED)).toBe(3);
    expect(sent().slice(2)).toEqual([`POST ${events}`, `GET ${events}`, `POST ${events}`]);
  });

  it('updates a version, removes a type and deletes the subscription; deletes whose answer was lost are done', async () => {
    const c = connect();
    const sinkSid = await withSink(c);
    const sub = await c.createSubscription({
      description: 'R [sinkops:orders#r]',
      sinkSid,
      events: [{ type: DELIVERED, schemaVersion: 1 }, { type: FAILED, schemaVersion: 1 }],
    });
    const events = `/v1/Subscriptions/${sub.sid}/SubscribedEvents`;
    await c.updateSubscribedEvent(sub.sid, { type: DELIVERED, schemaVersion: 3 });
    server.faults.push({ match: `DELETE ${events}/${FAILED}`, fault: 'drop-after' });
    await c.removeSubscribedEvent(sub.sid, FAILED);
    expect(server.subscribedEvents.get(sub.sid)).toEqual(new Map([[DELIVERED, 3]]));
    server.faults.push({ match: `DELETE /v1/Subscriptions/${sub.sid}`, fault: 'drop-after' });
    await c.deleteSubscription(sub.sid);
    expect(server.subscriptions.size).toBe(0);
    expect(sent().slice(2)).toEqual([
      `POST ${events}/${DELIVERED}`,
      `DELETE ${events}/${FAILED}`,
      `DELETE ${events}/${FAILED}`,
      `DELETE /v1/Subscriptions/${sub.sid}`,
      `DELETE /v1/Subscriptions/${sub.sid}`,
    ]);
  });
});
