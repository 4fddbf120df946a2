import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeed, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { CATALOGUE } from '../../src/emulator/event-catalogue.js';
import { call, createSink, emulator, tempDir, WEBHOOK, type ApiResponse } from './helpers.js';

const DELIVERED = 'com.twilio.messaging.message.delivered';
const FAILED = 'com.twilio.messaging.message.failed';
const INBOUND = 'com.twilio.messaging.inbound-message.received';
const DEPRECATED = 'com.twilio.voice.webhook.status-callback.call.answered';
const LATEST_STATUS = CATALOGUE.latest(CATALOGUE.getSchema('Messaging.MessageStatus')!).version;
const LATEST_INBOUND = CATALOGUE.latest(CATALOGUE.getSchema('Messaging.InboundMessageV1')!).version;
const UNKNOWN_DF = 'DF' + 'a'.repeat(32);

function typesField(...entries: object[]): string[] {
  return entries.map((e) => JSON.stringify(e));
}

async function subscribe(emu: RunningEmulator, ...entries: object[]): Promise<ApiResponse> {
  const sink = await createSink(emu, 'w');
  return call(emu, 'POST', '/v1/Subscriptions', { Description: 'd', SinkSid: sink.sid, Types: typesField(...entries) });
}

async function listed(emu: RunningEmulator, sid: string): Promise<[string, number][]> {
  const res = await call(emu, 'GET', `/v1/Subscriptions/${sid}/SubscribedEvents`);
  expect(res.status).toBe(200);
  return res.body.types.map((t: { type: string; schema_version: number }) => [t.type, t.schema_version]);
}

describe('subscription create checks every Types entry against the catalogue', () => {
  it('keeps the given versions and uses the schema\'s latest where none is given', async () => {
    const emu = await emulator();
    const res = await subscribe(emu, { type: DELIVERED, schema_version: 2 }, { type: INBOUND }, { type: DEPRECATED, schema_version: 1 });
    expect(res.status).toBe(201);
    expect(await listed(emu, res.body.sid)).toEqual([[DELIVERED, 2], [INBOUND, LATEST_INBOUND], [DEPRECATED, 1]]);
  });

  it.each([
    [[{ type: 'com.twilio.messaging.message.deliverd', schema_version: 1 }], 'Invalid Types[0]: event type "com.twilio.messaging.message.deliverd" does not exist'],
    [[{ type: DELIVERED, schema_version: 1 }, { type: FAILED, schema_version: 42 }], `Invalid Types[1]: schema version 42 does not exist for event type ${FAILED} (schema Messaging.MessageStatus has versions 1, 2,`],
    [[{ type: DELIVERED }, { type: FAILED }, { type: DELIVERED, schema_version: 2 }], `Invalid Types[2]: event type ${DELIVERED} is given more than once`],
  ])('refuses %j with 400 20001 naming the entry', async (entries, message) => {
    const emu = await emulator();
    const res = await subscribe(emu, ...entries);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 20001, status: 400 });
    expect(res.body.message).toContain(message);
    expect((await call(emu, 'GET', '/v1/Subscriptions')).body.subscriptions).toEqual([]);
  });

  it('names a malformed entry before any unknown type', async () => {
    const emu = await emulator();
    const res = await subscribe(emu, { type: 'com.twilio.nope' }, { type: DELIVERED, schema_version: 0 });
    expect(res.body.message).toContain('Invalid Types[1]: "schema_version" must be a whole number of at least 1');
  });
});

describe('/v1/Subscriptions/{Sid}/SubscribedEvents', () => {
  it('adds a type with its version (201), or with the schema\'s latest when none is given', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 })).body;
    const added = await call(emu, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, { Type: FAILED, SchemaVersion: '2' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      account_sid: emu.accountSid,
      type: FAILED,
      schema_version: 2,
      subscription_sid: sub.sid,
      url: `${emu.url}/v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED}`,
    });
    const latest = await call(emu, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, { Type: INBOUND });
    expect(latest.status).toBe(201);
    expect(latest.body.schema_version).toBe(LATEST_INBOUND);
    expect(await listed(emu, sub.sid)).toEqual([[DELIVERED, 1], [FAILED, 2], [INBOUND, LATEST_INBOUND]]);
    expect((await call(emu, 'GET', `/v1/Subscriptions/${sub.sid}`)).body.date_updated >= sub.date_updated).toBe(true);
  });

  it('answers 200 and sets the version when the type is already there (the OpenAPI file\'s create200)', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 })).body;
    const again = await call(emu, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, { Type: DELIVERED, SchemaVersion: '2' });
    expect(again.status).toBe(200);
    expect(again.body.schema_version).toBe(2);
    const latest = await call(emu, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, { Type: DELIVERED });
    expect(latest.status).toBe(200);
    expect(latest.body.schema_version).toBe(LATEST_STATUS);
    expect(await listed(emu, sub.sid)).toEqual([[DELIVERED, LATEST_STATUS]]);
  });

  it('refuses an unknown type, a version its schema lacks, and a malformed or missing parameter (400 20001)', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 })).body;
    const path = `/v1/Subscriptions/${sub.sid}/SubscribedEvents`;
    const cases: [Record<string, string>, string][] = [
      [{ Type: 'com.twilio.nope' }, 'Invalid Type: event type "com.twilio.nope" does not exist'],
      [{ Type: 'com.twilio.nope', SchemaVersion: '1' }, 'Invalid Type: event type "com.twilio.nope" does not exist'],
      [{ Type: FAILED, SchemaVersion: '99' }, `Invalid SchemaVersion: schema version 99 does not exist for event type ${FAILED}`],
      [{ Type: FAILED, SchemaVersion: 'two' }, 'Invalid SchemaVersion "two": must be a whole number of at least 1'],
      [{ Type: FAILED, SchemaVersion: '0' }, 'Invalid SchemaVersion "0"'],
      [{ SchemaVersion: '1' }, 'Missing required parameter Type in the post body'],
    ];
    for (const [form, message] of cases) {
      const res = await call(emu, 'POST', path, form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(res.body).toMatchObject({ code: 20001, status: 400 });
      expect(res.body.message).toContain(message);
    }
    expect(await listed(emu, sub.sid)).toEqual([[DELIVERED, 1]]);
  });

  it('fetches, updates and removes one type', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 }, { type: FAILED, schema_version: 1 })).body;
    const one = `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED}`;
    expect((await call(emu, 'GET', one)).body).toMatchObject({ type: FAILED, schema_version: 1, subscription_sid: sub.sid });
    const updated = await call(emu, 'POST', one, { SchemaVersion: '3' });
    expect(updated.status).toBe(200);
    expect(updated.body.schema_version).toBe(3);
    const unchanged = await call(emu, 'POST', one, {});
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.schema_version).toBe(3);
    const bad = await call(emu, 'POST', one, { SchemaVersion: '99' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('schema version 99 does not exist');
    expect((await call(emu, 'DELETE', one)).status).toBe(204);
    expect(await listed(emu, sub.sid)).toEqual([[DELIVERED, 1]]);
    expect((await call(emu, 'GET', one)).status).toBe(404);
  });

  it('refuses to remove the last type (400 20001), so a subscription always delivers something', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 })).body;
    const res = await call(emu, 'DELETE', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${DELIVERED}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 20001, status: 400 });
    expect(res.body.message).toContain(`it is the last event type of Subscription ${sub.sid}`);
    expect(await listed(emu, sub.sid)).toEqual([[DELIVERED, 1]]);
    // Add first, then remove: the order SPEC §13 prescribes, and it works.
    await call(emu, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, { Type: FAILED, SchemaVersion: '1' });
    expect((await call(emu, 'DELETE', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${DELIVERED}`)).status).toBe(204);
    expect(await listed(emu, sub.sid)).toEqual([[FAILED, 1]]);
  });

  it('answers 404 (20404) for an unknown subscription or a type the subscription does not have', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 })).body;
    for (const [method, path, form] of [
      ['GET', `/v1/Subscriptions/${UNKNOWN_DF}/SubscribedEvents`, undefined],
      ['POST', `/v1/Subscriptions/${UNKNOWN_DF}/SubscribedEvents`, { Type: DELIVERED }],
      ['POST', `/v1/Subscriptions/${UNKNOWN_DF}/SubscribedEvents`, {}],
      ['GET', `/v1/Subscriptions/${UNKNOWN_DF}/SubscribedEvents/${DELIVERED}`, undefined],
      ['GET', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED}`, undefined],
      ['POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED}`, { SchemaVersion: '1' }],
      ['POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/com.twilio.nope`, { SchemaVersion: 'x' }],
      ['DELETE', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED}`, undefined],
    ] as const) {
      const res = await call(emu, method, path, form);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe(20404);
    }
    const missing = await call(emu, 'GET', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED}`);
    expect(missing.body.message).toBe(`The requested resource /v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED} was not found`);
    expect((await call(emu, 'PUT', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`)).status).toBe(405);
  });

  it('pages the list with PageSize and PageToken, and the tokens survive a removal', async () => {
    const emu = await emulator();
    const types = ['queued', 'sent', 'delivered', 'failed', 'undelivered', 'read'].map((s) => ({ type: `com.twilio.messaging.message.${s}`, schema_version: 1 }));
    const sub = (await subscribe(emu, ...types)).body;
    const first = await call(emu, 'GET', `/v1/Subscriptions/${sub.sid}/SubscribedEvents?PageSize=4`);
    expect(first.body.types).toHaveLength(4);
    expect(first.body.meta).toMatchObject({ key: 'types', page_size: 4, url: `${emu.url}/v1/Subscriptions/${sub.sid}/SubscribedEvents?PageSize=4&Page=0` });
    await call(emu, 'DELETE', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/com.twilio.messaging.message.undelivered`);
    const second = await call(emu, 'GET', first.body.meta.next_page_url);
    expect(second.body.types.map((t: { type: string }) => t.type)).toEqual(['com.twilio.messaging.message.read']);
    expect(second.body.meta.next_page_url).toBeNull();
    const back = await call(emu, 'GET', second.body.meta.previous_page_url);
    expect(back.body.types.map((t: { type: string }) => t.type)).toEqual(types.slice(0, 4).map((t) => t.type));
  });

  it('forgets the types of a deleted subscription', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 })).body;
    expect((await call(emu, 'DELETE', `/v1/Subscriptions/${sub.sid}`)).status).toBe(204);
    expect((await call(emu, 'GET', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`)).status).toBe(404);
  });

  it('logs the requests and applies faults like every API path', async () => {
    const emu = await emulator();
    const sub = (await subscribe(emu, { type: DELIVERED, schema_version: 1 })).body;
    await call(emu, 'DELETE', '/__emulator/requests');
    await call(emu, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, { Type: FAILED });
    await call(emu, 'GET', '/v1/Types?PageSize=1');
    const log = (await (await fetch(`${emu.url}/__emulator/requests`)).json()) as { requests: unknown[] };
    expect(log.requests).toEqual([
      { method: 'POST', path: `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, status: 201, account: emu.accountSid },
      { method: 'GET', path: '/v1/Types?PageSize=1', status: 200, account: emu.accountSid },
    ]);
    emu.setFaults({ errorRate: 1 });
    expect((await call(emu, 'GET', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`)).status).toBe(500);
    expect((await call(emu, 'GET', '/v1/Types')).status).toBe(500);
  });
});

describe('subscription types in seeds and state files', () => {
  const sinkSid = 'DG' + '1'.repeat(32);
  const sink = { sid: sinkSid, description: 'w', sink_type: 'webhook', sink_configuration: WEBHOOK };

  it('checks a seed\'s types against the catalogue, reporting every problem', async () => {
    const dir = await tempDir();
    const path = join(dir, 'seed.json');
    await writeFile(
      path,
      JSON.stringify({
        sinks: [sink],
        subscriptions: [
          { description: 'a', sink_sid: sinkSid, types: [{ type: 'com.twilio.nope' }, { type: DELIVERED, schema_version: 77 }] },
          { description: 'b', sink_sid: sinkSid, types: [{ type: FAILED }, { type: FAILED, schema_version: 1 }] },
        ],
      }),
    );
    const error = await loadSeed(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect((error as { details: string[] }).details).toEqual([
      'subscriptions[0].types[0]: event type "com.twilio.nope" does not exist (GET /v1/Types lists the event types)',
      expect.stringContaining(`subscriptions[0].types[1]: schema version 77 does not exist for event type ${DELIVERED}`),
      `subscriptions[1].types: ${FAILED} is given more than once`,
    ]);
  });

  it('seeds resolved types (the latest version where none is given), and allows a subscription without types', async () => {
    const subSid = 'DF' + '2'.repeat(32);
    const emu = await emulator({
      seed: {
        sinks: [sink],
        subscriptions: [
          { sid: subSid, description: 'a', sink_sid: sinkSid, types: [{ type: DELIVERED, schema_version: 2 }, { type: FAILED }] },
          { sid: 'DF' + '3'.repeat(32), description: 'b', sink_sid: sinkSid },
        ],
      },
    });
    expect(await listed(emu, subSid)).toEqual([[DELIVERED, 2], [FAILED, LATEST_STATUS]]);
    expect(await listed(emu, 'DF' + '3'.repeat(32))).toEqual([]);
  });

  it('keeps type changes across a restart', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'account.json');
    const first = await startEmulator({ statePath });
    const sub = (await subscribe(first, { type: DELIVERED, schema_version: 1 }, { type: FAILED, schema_version: 1 })).body;
    await call(first, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents`, { Type: INBOUND });
    await call(first, 'POST', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${DELIVERED}`, { SchemaVersion: '2' });
    await call(first, 'DELETE', `/v1/Subscriptions/${sub.sid}/SubscribedEvents/${FAILED}`);
    await first.close();
    const onDisk = JSON.parse(await readFile(statePath, 'utf8')) as { subscriptions: { types: unknown[] }[] };
    expect(onDisk.subscriptions[0]!.types).toEqual([{ type: DELIVERED, schema_version: 2 }, { type: INBOUND, schema_version: LATEST_INBOUND }]);
    const second = await emulator({ statePath });
    expect(await listed(second, sub.sid)).toEqual([[DELIVERED, 2], [INBOUND, LATEST_INBOUND]]);
  });

  it('loads a state file from before the catalogue: versions filled in, unknown types kept; a repeated type is damage', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'account.json');
    const first = await startEmulator({ statePath });
    const sub = (await subscribe(first, { type: DELIVERED, schema_version: 1 })).body;
    await first.close();
    const data = JSON.parse(await readFile(statePath, 'utf8')) as { subscriptions: { types: unknown[] }[] };
    data.subscriptions[0]!.types = [{ type: DELIVERED }, { type: 'com.example.legacy' }];
    await writeFile(statePath, JSON.stringify(data));
    const second = await startEmulator({ statePath });
    expect(await listed(second, sub.sid)).toEqual([[DELIVERED, LATEST_STATUS], ['com.example.legacy', 1]]);
    await second.close();
    data.subscriptions[0]!.types = [{ type: DELIVERED }, { type: DELIVERED, schema_version: 1 }];
    await writeFile(statePath, JSON.stringify(data));
    await expect(startEmulator({ statePath })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining(`has event type ${DELIVERED} twice`) });
  });
});
