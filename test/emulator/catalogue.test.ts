import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMAS, EVENT_TYPES } from '../../src/emulator/index.js';
import { Catalogue, CATALOGUE } from '../../src/emulator/event-catalogue.js';
import { call, emulator } from './helpers.js';

describe('the event-type catalogue (data)', () => {
  it('holds at least 25 real Twilio types across products, each on a known schema', () => {
    expect(EVENT_TYPES.length).toBeGreaterThanOrEqual(25);
    const names = EVENT_TYPES.map((t) => t.type);
    expect(new Set(names).size).toBe(names.length);
    for (const t of EVENT_TYPES) {
      expect(t.type).toMatch(/^com\.twilio\.[a-z0-9.-]+$/);
      expect(EVENT_SCHEMAS.some((s) => s.id === t.schemaId), t.type).toBe(true);
      expect(t.description).not.toBe('');
      expect(t.dateCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    for (const product of ['messaging', 'voice', 'taskrouter', 'studio', 'conversations']) {
      expect(names.some((n) => n.startsWith(`com.twilio.${product}.`)), product).toBe(true);
    }
  });

  it('has the types the repository uses, with Messaging.MessageStatus versions 1 and 2 at least', () => {
    for (const type of ['com.twilio.messaging.message.delivered', 'com.twilio.messaging.message.failed', 'com.twilio.messaging.inbound-message.received', 'com.twilio.voice.status-callback.call.completed']) {
      expect(CATALOGUE.getType(type), type).toBeDefined();
    }
    const delivered = CATALOGUE.getType('com.twilio.messaging.message.delivered')!;
    expect(delivered.schemaId).toBe('Messaging.MessageStatus');
    const versions = CATALOGUE.getSchema('Messaging.MessageStatus')!.versions.map((v) => v.version);
    expect(versions).toContain(1);
    expect(versions).toContain(2);
  });

  it('marks at least one type deprecated and has a schema with two or more versions', () => {
    expect(EVENT_TYPES.filter((t) => t.status === 'deprecated').length).toBeGreaterThanOrEqual(1);
    expect(EVENT_TYPES.every((t) => t.status === 'available' || t.status === 'deprecated')).toBe(true);
    expect(EVENT_SCHEMAS.some((s) => s.versions.length >= 2)).toBe(true);
  });

  it('gives every version a JSON Schema document of its own, and versions ascending from 1', () => {
    for (const schema of EVENT_SCHEMAS) {
      expect(schema.versions.map((v) => v.version)).toEqual(schema.versions.map((_, i) => i + 1));
      for (const v of schema.versions) {
        const doc = JSON.parse(v.raw) as { $id: string; type: string; properties: Record<string, unknown>; required: string[] };
        expect(doc.$id).toBe(`https://events-schemas.twilio.com/${schema.id}/${v.version}`);
        expect(doc.type).toBe('object');
        for (const name of doc.required) expect(doc.properties, `${schema.id}/${v.version} ${name}`).toHaveProperty(name);
      }
    }
    // Fields a version added are in it and in every later one, not in earlier ones.
    const fields = (n: number): string[] => Object.keys(JSON.parse(CATALOGUE.getVersion('Messaging.MessageStatus', n)!.raw).properties);
    expect(fields(5)).not.toContain('numberOfSegments');
    expect(fields(6)).toContain('numberOfSegments');
    expect(fields(8)).toContain('numberOfSegments');
  });

  it('resolves subscription entries: a known version, the latest when none is given, a problem otherwise', () => {
    const latest = CATALOGUE.latest(CATALOGUE.getSchema('Messaging.MessageStatus')!).version;
    expect(CATALOGUE.resolve({ type: 'com.twilio.messaging.message.delivered', schema_version: 2 })).toEqual({ type: 'com.twilio.messaging.message.delivered', schemaVersion: 2 });
    expect(CATALOGUE.resolve({ type: 'com.twilio.messaging.message.delivered' })).toEqual({ type: 'com.twilio.messaging.message.delivered', schemaVersion: latest });
    expect(CATALOGUE.resolve({ type: 'com.twilio.messaging.message.deliverd' })).toContain('event type "com.twilio.messaging.message.deliverd" does not exist');
    const badVersion = CATALOGUE.resolve({ type: 'com.twilio.messaging.message.delivered', schema_version: 99 });
    expect(badVersion).toContain('schema version 99 does not exist for event type com.twilio.messaging.message.delivered');
    expect(badVersion).toContain('Messaging.MessageStatus has versions 1, 2,');
  });

  it('refuses inconsistent data when built', () => {
    const type = { type: 'com.twilio.x', schemaId: 'X', description: 'x', status: 'available' as const, documentationUrl: null, dateCreated: '2020-01-01T00:00:00Z', dateUpdated: '2020-01-01T00:00:00Z' };
    expect(() => new Catalogue([type], [])).toThrow('unknown schema X');
    expect(() => new Catalogue([], [{ id: 'X', versions: [] }])).toThrow('no versions');
    const v = (version: number): { version: number; dateCreated: string; raw: string } => ({ version, dateCreated: '2020-01-01T00:00:00Z', raw: '{}' });
    expect(() => new Catalogue([], [{ id: 'X', versions: [v(2), v(1)] }])).toThrow('ascend');
    expect(() => new Catalogue([type, type], [{ id: 'X', versions: [v(1)] }])).toThrow('duplicate');
  });
});

describe('GET /v1/Types', () => {
  it('lists every type with Twilio\'s fields, on the emulator\'s origin, under the key types', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v1/Types?PageSize=1000');
    expect(res.status).toBe(200);
    expect(res.body.types).toHaveLength(EVENT_TYPES.length);
    expect(res.body.meta).toMatchObject({ key: 'types', page: 0, page_size: 1000, next_page_url: null, previous_page_url: null });
    const delivered = res.body.types.find((t: { type: string }) => t.type === 'com.twilio.messaging.message.delivered');
    expect(delivered).toEqual({
      date_created: '2020-08-13T13:28:20Z',
      date_updated: '2020-08-13T13:28:20Z',
      type: 'com.twilio.messaging.message.delivered',
      schema_id: 'Messaging.MessageStatus',
      status: 'available',
      documentation_url: 'https://www.twilio.com/docs/events/event-types/messaging/outbound-message',
      description: 'Messaging- delivered message',
      url: `${emu.url}/v1/Types/com.twilio.messaging.message.delivered`,
      links: { schema: `${emu.url}/v1/Schemas/Messaging.MessageStatus/Versions` },
    });
    expect(res.body.types.some((t: { status: string }) => t.status === 'deprecated')).toBe(true);
  });

  it('filters by SchemaId, keeping the filter in the page URLs; an unknown schema lists nothing', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v1/Types?SchemaId=Messaging.MessageStatus&PageSize=4');
    expect(res.body.types.every((t: { schema_id: string }) => t.schema_id === 'Messaging.MessageStatus')).toBe(true);
    expect(res.body.meta.url).toBe(`${emu.url}/v1/Types?SchemaId=Messaging.MessageStatus&PageSize=4&Page=0`);
    expect(res.body.meta.next_page_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/Types\?SchemaId=Messaging\.MessageStatus&PageSize=4&Page=1&PageToken=PA/);
    const next = await call(emu, 'GET', res.body.meta.next_page_url);
    const all = [...res.body.types, ...next.body.types].map((t: { type: string }) => t.type);
    expect(all).toEqual(EVENT_TYPES.filter((t) => t.schemaId === 'Messaging.MessageStatus').map((t) => t.type));
    expect(next.body.meta.next_page_url).toBeNull();
    const none = await call(emu, 'GET', '/v1/Types?SchemaId=No.Such');
    expect(none.status).toBe(200);
    expect(none.body.types).toEqual([]);
  });

  it('pages through the whole catalogue forwards and back', async () => {
    const emu = await emulator();
    const seen: string[] = [];
    let url: string | null = '/v1/Types?PageSize=7';
    let last: { body: any } | undefined;
    while (url) {
      const page = await call(emu, 'GET', url);
      expect(page.status).toBe(200);
      seen.push(...page.body.types.map((t: { type: string }) => t.type));
      last = page;
      url = page.body.meta.next_page_url;
    }
    expect(seen).toEqual(EVENT_TYPES.map((t) => t.type));
    const back = await call(emu, 'GET', last!.body.meta.previous_page_url);
    expect(back.body.types).toHaveLength(7);
    expect((await call(emu, 'GET', '/v1/Types?PageSize=0')).status).toBe(400);
    expect((await call(emu, 'GET', '/v1/Types?PageToken=nonsense')).status).toBe(400);
  });

  it('fetches one type; an unknown one is a 404 with code 20404', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v1/Types/com.twilio.studio.flow.execution.started');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'com.twilio.studio.flow.execution.started', schema_id: 'Studio.FlowExecutionEvent', status: 'available' });
    const missing = await call(emu, 'GET', '/v1/Types/com.twilio.nothing.here');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      code: 20404,
      message: 'The requested resource /v1/Types/com.twilio.nothing.here was not found',
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
    expect((await call(emu, 'POST', '/v1/Types', {})).status).toBe(405);
  });

  it('needs credentials like every API path', async () => {
    const emu = await emulator();
    expect((await call(emu, 'GET', '/v1/Types', undefined, null)).status).toBe(401);
    expect((await call(emu, 'GET', '/v1/Schemas/Messaging.MessageStatus', undefined, null)).status).toBe(401);
  });
});

describe('GET /v1/Schemas/{Id}[/Versions[/{N}]]', () => {
  it('fetches a schema with its latest version', async () => {
    const emu = await emulator();
    const schema = CATALOGUE.getSchema('Messaging.MessageStatus')!;
    const latest = schema.versions[schema.versions.length - 1]!;
    const res = await call(emu, 'GET', '/v1/Schemas/Messaging.MessageStatus');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'Messaging.MessageStatus',
      url: `${emu.url}/v1/Schemas/Messaging.MessageStatus`,
      links: { versions: `${emu.url}/v1/Schemas/Messaging.MessageStatus/Versions` },
      latest_version_date_created: latest.dateCreated,
      latest_version: latest.version,
    });
  });

  it('lists a schema\'s versions under schema_versions, paged', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v1/Schemas/Messaging.MessageStatus/Versions?PageSize=3');
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ key: 'schema_versions', page_size: 3 });
    expect(res.body.schema_versions[0]).toEqual({
      id: 'Messaging.MessageStatus',
      schema_version: 1,
      date_created: CATALOGUE.getVersion('Messaging.MessageStatus', 1)!.dateCreated,
      url: `${emu.url}/v1/Schemas/Messaging.MessageStatus/Versions/1`,
      raw: `${emu.url}/__emulator/event-schemas/Messaging.MessageStatus/1`,
    });
    const versions: number[] = res.body.schema_versions.map((v: { schema_version: number }) => v.schema_version);
    let next = res.body.meta.next_page_url as string | null;
    while (next) {
      const page = await call(emu, 'GET', next);
      versions.push(...page.body.schema_versions.map((v: { schema_version: number }) => v.schema_version));
      next = page.body.meta.next_page_url;
    }
    expect(versions).toEqual(CATALOGUE.getSchema('Messaging.MessageStatus')!.versions.map((v) => v.version));
  });

  it('fetches one version, whose raw link serves its JSON Schema without credentials', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v1/Schemas/Messaging.MessageStatus/Versions/2');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'Messaging.MessageStatus', schema_version: 2 });
    const raw = await fetch(res.body.raw);
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual(JSON.parse(CATALOGUE.getVersion('Messaging.MessageStatus', 2)!.raw));
    expect((await fetch(`${emu.url}/__emulator/event-schemas/Messaging.MessageStatus/99`)).status).toBe(404);
  });

  it('answers 404 for an unknown schema or version, and for the schema list Twilio does not serve', async () => {
    const emu = await emulator();
    for (const path of [
      '/v1/Schemas/No.Such',
      '/v1/Schemas/No.Such/Versions',
      '/v1/Schemas/No.Such/Versions/1',
      '/v1/Schemas/Messaging.MessageStatus/Versions/99',
      '/v1/Schemas/Messaging.MessageStatus/Versions/0',
      '/v1/Schemas/Messaging.MessageStatus/Versions/one',
      '/v1/Schemas',
    ]) {
      const res = await call(emu, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.code, path).toBe(20404);
    }
  });
});
