import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import * as addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, createSink, createSinkForm, KINESIS, SEGMENT, WEBHOOK, type ApiResponse } from './helpers.js';

/**
 * Every emulator answer validates against the response schema of the same operation in Twilio's
 * OpenAPI file. Schemas are made stricter than the file (no properties beyond the declared ones)
 * so the emulator cannot invent fields either.
 */

const SPEC_PATH = new URL('../reference/twilio_events_v1.yaml', import.meta.url);
type Json = Record<string, unknown>;

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * Inlines local `$ref`s and makes the schema acceptable to Ajv's strict mode: drops `nullable`
 * where there is no `type`, and `format` on objects (Twilio's `uri-map` on `links`; Ajv formats
 * only apply to strings). Then closes objects: no properties beyond the declared ones.
 */
function prepare(node: unknown, root: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => prepare(n, root));
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Json;
  if (typeof obj['$ref'] === 'string') {
    const target = (obj['$ref'] as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((o, key) => (o as Json)[key], root);
    return prepare(target, root);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, prepare(pv, root)])) : prepare(v, root);
  if (out['nullable'] === true && out['type'] === undefined) delete out['nullable'];
  if (out['type'] === 'object') delete out['format'];
  if (out['properties'] !== undefined) {
    out['additionalProperties'] = false;
    out['type'] ??= 'object';
  }
  return out;
}

/** The operations sinkops uses (and the emulator serves). */
const OPERATIONS = [
  'ListSink', 'CreateSink', 'FetchSink', 'UpdateSink', 'DeleteSink', 'CreateSinkTest', 'CreateSinkValidate',
  'ListSubscription', 'CreateSubscription', 'FetchSubscription', 'UpdateSubscription', 'DeleteSubscription',
  'ListSubscribedEvent', 'CreateSubscribedEvent', 'FetchSubscribedEvent', 'UpdateSubscribedEvent', 'DeleteSubscribedEvent',
  'ListEventType', 'FetchEventType', 'FetchSchema', 'ListSchemaVersion', 'FetchSchemaVersion',
];

const validators = new Map<string, { validate: ValidateFunction; statuses: string[] }>();

beforeAll(() => {
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const pathItem of Object.values(spec['paths'] as Json)) {
    for (const op of Object.values(pathItem as Json)) {
      const operation = op as Json;
      if (typeof operation['operationId'] !== 'string' || !OPERATIONS.includes(operation['operationId'])) continue;
      const responses = operation['responses'] as Json;
      const statuses = Object.keys(responses).filter((s) => s.startsWith('2'));
      const withBody = statuses.find((s) => ((responses[s] as Json)['content'] as Json | undefined)?.['application/json']);
      if (withBody === undefined) {
        validators.set(operation['operationId'], { validate: ajv.compile({ not: {} }), statuses });
        continue;
      }
      const schema = (((responses[withBody] as Json)['content'] as Json)['application/json'] as Json)['schema'];
      validators.set(operation['operationId'], { validate: ajv.compile(prepare(schema, spec) as Json), statuses });
    }
  }
});

function expectConforms(operationId: string, res: ApiResponse): void {
  const entry = validators.get(operationId);
  if (!entry) throw new Error(`no operation ${operationId} in the OpenAPI file`);
  expect(entry.statuses, `${operationId}: ${JSON.stringify(res.body)}`).toContain(String(res.status));
  if (res.status === 204) {
    expect(res.body, operationId).toBeUndefined();
    return;
  }
  const ok = entry.validate(res.body);
  expect(entry.validate.errors ?? [], `${operationId}: ${JSON.stringify(res.body)}`).toEqual([]);
  expect(ok).toBe(true);
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  additionalProperties: false,
  properties: { code: { type: 'integer' }, message: { type: 'string' }, more_info: { type: 'string', format: 'uri' }, status: { type: 'integer' } },
};

describe('responses conform to twilio_events_v1.yaml', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // Not through the per-test helper: one emulator serves the whole walk.
    const { startEmulator } = await import('../../src/emulator/index.js');
    emu = await startEmulator();
    return () => emu.close();
  });

  it('walks the sink operations', async () => {
    expectConforms('ListSink', await call(emu, 'GET', '/v1/Sinks'));
    const created: string[] = [];
    for (const [type, config] of [['kinesis', KINESIS], ['webhook', WEBHOOK], ['segment', SEGMENT]] as const) {
      const res = await call(emu, 'POST', '/v1/Sinks', createSinkForm(`a ${type} sink`, type, config));
      expectConforms('CreateSink', res);
      created.push(res.body.sid);
    }
    const [kinesis, webhook, segment] = created as [string, string, string];
    expectConforms('FetchSink', await call(emu, 'GET', `/v1/Sinks/${kinesis}`));
    expectConforms('UpdateSink', await call(emu, 'POST', `/v1/Sinks/${webhook}`, { Description: 'changed' }));
    expectConforms('CreateSinkTest', await call(emu, 'POST', `/v1/Sinks/${kinesis}/Test`));
    const events = (await (await fetch(`${emu.url}/__emulator/sinks/${kinesis}/test-events`)).json()) as { test_events: { test_id: string }[] };
    expectConforms('CreateSinkValidate', await call(emu, 'POST', `/v1/Sinks/${kinesis}/Validate`, { TestId: events.test_events[0]!.test_id }));
    for (const query of ['', '?PageSize=1', '?InUse=true', '?InUse=false&Status=active&PageSize=2']) {
      const res = await call(emu, 'GET', `/v1/Sinks${query}`);
      expectConforms('ListSink', res);
      if (res.body.meta.next_page_url) expectConforms('ListSink', await call(emu, 'GET', res.body.meta.next_page_url));
    }
    expectConforms('DeleteSink', await call(emu, 'DELETE', `/v1/Sinks/${segment}`));
  });

  it('walks the subscription operations', async () => {
    expectConforms('ListSubscription', await call(emu, 'GET', '/v1/Subscriptions'));
    const sink = await createSink(emu, 'for subscriptions');
    const types = [JSON.stringify({ type: 'com.twilio.messaging.message.delivered', schema_version: 1 })];
    const first = await call(emu, 'POST', '/v1/Subscriptions', { Description: 's1', SinkSid: sink.sid, Types: types });
    expectConforms('CreateSubscription', first);
    await call(emu, 'POST', '/v1/Subscriptions', { Description: 's2', SinkSid: sink.sid, Types: types });
    expectConforms('FetchSubscription', await call(emu, 'GET', `/v1/Subscriptions/${first.body.sid}`));
    expectConforms('UpdateSubscription', await call(emu, 'POST', `/v1/Subscriptions/${first.body.sid}`, { Description: 'renamed' }));
    const page = await call(emu, 'GET', `/v1/Subscriptions?SinkSid=${sink.sid}&PageSize=1`);
    expectConforms('ListSubscription', page);
    expectConforms('ListSubscription', await call(emu, 'GET', page.body.meta.next_page_url));
    expectConforms('DeleteSubscription', await call(emu, 'DELETE', `/v1/Subscriptions/${first.body.sid}`));
  });

  it('walks the subscribed-event operations', async () => {
    const sink = await createSink(emu, 'for subscribed events');
    const types = [JSON.stringify({ type: 'com.twilio.messaging.message.delivered', schema_version: 1 })];
    const sub = (await call(emu, 'POST', '/v1/Subscriptions', { Description: 'se', SinkSid: sink.sid, Types: types })).body;
    const base = `/v1/Subscriptions/${sub.sid}/SubscribedEvents`;
    expectConforms('ListSubscribedEvent', await call(emu, 'GET', base));
    const created = await call(emu, 'POST', base, { Type: 'com.twilio.messaging.message.failed', SchemaVersion: '2' });
    expect(created.status).toBe(201);
    expectConforms('CreateSubscribedEvent', created);
    const again = await call(emu, 'POST', base, { Type: 'com.twilio.messaging.message.failed' });
    expect(again.status).toBe(200);
    expectConforms('CreateSubscribedEvent', again);
    await call(emu, 'POST', base, { Type: 'com.twilio.studio.flow.execution.started' });
    const page = await call(emu, 'GET', `${base}?PageSize=1`);
    expectConforms('ListSubscribedEvent', page);
    expectConforms('ListSubscribedEvent', await call(emu, 'GET', page.body.meta.next_page_url));
    expectConforms('FetchSubscribedEvent', await call(emu, 'GET', `${base}/com.twilio.messaging.message.failed`));
    expectConforms('UpdateSubscribedEvent', await call(emu, 'POST', `${base}/com.twilio.messaging.message.failed`, { SchemaVersion: '3' }));
    expectConforms('UpdateSubscribedEvent', await call(emu, 'POST', `${base}/com.twilio.messaging.message.failed`, {}));
    expectConforms('DeleteSubscribedEvent', await call(emu, 'DELETE', `${base}/com.twilio.messaging.message.failed`));
  });

  it('walks the event-type and schema operations', async () => {
    for (const query of ['', '?PageSize=5', '?SchemaId=Messaging.MessageStatus&PageSize=2', '?SchemaId=No.Such']) {
      const res = await call(emu, 'GET', `/v1/Types${query}`);
      expectConforms('ListEventType', res);
      if (res.body.meta.next_page_url) expectConforms('ListEventType', await call(emu, 'GET', res.body.meta.next_page_url));
    }
    // Every type, deprecated ones and those without documentation_url included.
    for (const t of (await call(emu, 'GET', '/v1/Types?PageSize=1000')).body.types as { type: string }[]) {
      expectConforms('FetchEventType', await call(emu, 'GET', `/v1/Types/${t.type}`));
    }
    const schemaIds = new Set(((await call(emu, 'GET', '/v1/Types?PageSize=1000')).body.types as { schema_id: string }[]).map((t) => t.schema_id));
    for (const id of schemaIds) {
      expectConforms('FetchSchema', await call(emu, 'GET', `/v1/Schemas/${id}`));
      const versions = await call(emu, 'GET', `/v1/Schemas/${id}/Versions?PageSize=1`);
      expectConforms('ListSchemaVersion', versions);
      if (versions.body.meta.next_page_url) expectConforms('ListSchemaVersion', await call(emu, 'GET', versions.body.meta.next_page_url));
      expectConforms('FetchSchemaVersion', await call(emu, 'GET', `/v1/Schemas/${id}/Versions/1`));
    }
  });

  it('answers subscribed-event, type and schema errors with Twilio error bodies', async () => {
    const ajv = new Ajv({ strict: true });
    addFormats(ajv);
    const validate = ajv.compile(ERROR_SCHEMA);
    const sink = await createSink(emu, 'for errors');
    const types = [JSON.stringify({ type: 'com.twilio.messaging.message.delivered', schema_version: 1 })];
    const sub = (await call(emu, 'POST', '/v1/Subscriptions', { Description: 'e', SinkSid: sink.sid, Types: types })).body;
    const base = `/v1/Subscriptions/${sub.sid}/SubscribedEvents`;
    const answers = [
      await call(emu, 'POST', '/v1/Subscriptions', { Description: 'e', SinkSid: sink.sid, Types: [JSON.stringify({ type: 'com.twilio.nope' })] }),
      await call(emu, 'POST', base, { Type: 'com.twilio.messaging.message.failed', SchemaVersion: '99' }),
      await call(emu, 'DELETE', `${base}/com.twilio.messaging.message.delivered`),
      await call(emu, 'GET', `/v1/Subscriptions/DF${'0'.repeat(32)}/SubscribedEvents`),
      await call(emu, 'GET', `${base}/com.twilio.messaging.message.failed`),
      await call(emu, 'GET', '/v1/Types/com.twilio.nope'),
      await call(emu, 'GET', '/v1/Schemas/No.Such'),
      await call(emu, 'GET', '/v1/Schemas/Messaging.MessageStatus/Versions/99'),
      await call(emu, 'GET', '/v1/Types', undefined, null),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual([
      [400, 20001], [400, 20001], [400, 20001], [404, 20404], [404, 20404], [404, 20404], [404, 20404], [404, 20404], [401, 20003],
    ]);
    expectTwilioErrors(validate, answers);
  });

  it('answers errors with Twilio error bodies', async () => {
    const ajv = new Ajv({ strict: true });
    addFormats(ajv);
    const validate = ajv.compile(ERROR_SCHEMA);
    const answers = [
      await call(emu, 'GET', '/v1/Sinks', undefined, null),
      await call(emu, 'GET', `/v1/Sinks/DG${'0'.repeat(32)}`),
      await call(emu, 'POST', '/v1/Sinks', {}),
      await call(emu, 'GET', '/v1/Sinks?PageToken=x'),
      await call(emu, 'PATCH', '/v1/Sinks'),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 404, 400, 400, 405]);
    expectTwilioErrors(validate, answers);
  });

  it('answers the Event Streams rule errors (91000, 91003, 91007, 91100) with Twilio error bodies', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const small = await startEmulator({ sinkLimit: 2, activation: 'legacy', readBack: 'masked' });
    try {
      const ajv = new Ajv({ strict: true });
      addFormats(ajv);
      const validate = ajv.compile(ERROR_SCHEMA);
      const kinesis = await call(small, 'POST', '/v1/Sinks', createSinkForm('k', 'kinesis', KINESIS));
      expectConforms('CreateSink', kinesis);
      const webhook = await createSink(small, 'w');
      await call(small, 'POST', '/v1/Subscriptions', { Description: 's', SinkSid: webhook.sid, Types: [JSON.stringify({ type: 'com.twilio.messaging.message.delivered' })] });
      const answers = [
        await call(small, 'POST', '/v1/Sinks', createSinkForm('bad', 'webhook', { destination: 'ftp://x' })),
        await call(small, 'POST', '/v1/Sinks', createSinkForm('third', 'segment', SEGMENT)),
        await call(small, 'DELETE', `/v1/Sinks/${webhook.sid}`),
        await call(small, 'POST', '/v1/Subscriptions', { Description: 's', SinkSid: kinesis.body.sid, Types: [JSON.stringify({ type: 'com.twilio.messaging.message.delivered' })] }),
      ];
      expect(answers.map((a) => [a.status, a.body.code])).toEqual([[400, 91000], [400, 91003], [409, 91007], [400, 91100]]);
      expectTwilioErrors(validate, answers);
    } finally {
      await small.close();
    }
  });
});

function expectTwilioErrors(validate: ValidateFunction, answers: readonly ApiResponse[]): void {
  for (const a of answers) {
    expect(validate(a.body), JSON.stringify(validate.errors)).toBe(true);
    expect(a.body.status).toBe(a.status);
    expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
  }
}

it('knows every operation it walks', () => {
  expect([...validators.keys()].sort()).toEqual([...OPERATIONS].sort());
});
