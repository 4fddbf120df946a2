import { describe, expect, it } from 'vitest';
import { call, createSink, createSinkForm, createSubscription, emulator, KINESIS, SEGMENT, WEBHOOK } from './helpers.js';

async function testEvents(url: string, sid: string): Promise<{ test_id: string; date_created: string }[]> {
  const res = await fetch(`${url}/__emulator/sinks/${sid}/test-events`);
  return ((await res.json()) as { test_events: { test_id: string; date_created: string }[] }).test_events;
}

describe('activation: current (the default, as Twilio today)', () => {
  it('starts every sink type active', async () => {
    const emu = await emulator();
    expect((await createSink(emu, 'w', 'webhook', WEBHOOK)).status).toBe('active');
    expect((await createSink(emu, 's', 'segment', SEGMENT)).status).toBe('active');
    expect((await createSink(emu, 'k', 'kinesis', KINESIS)).status).toBe('active');
  });

  it('records a test event and leaves the sink active', async () => {
    const emu = await emulator();
    const sink = await createSink(emu, 'k', 'kinesis', KINESIS);
    const test = await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Test`);
    expect(test.status).toBe(201);
    expect(test.body).toEqual({ result: 'submitted' });
    expect((await call(emu, 'GET', `/v1/Sinks/${sink.sid}`)).body.status).toBe('active');
    const events = await testEvents(emu.url, sink.sid);
    expect(events).toHaveLength(1);
    expect(events[0]!.test_id).toMatch(/^TE[0-9a-f]{32}$/);
  });

  it('answers valid to Validate with any TestId, 20001 without one, 404 for an unknown sink', async () => {
    const emu = await emulator();
    const sink = await createSink(emu, 'k', 'kinesis', KINESIS);
    for (const testId of ['TE' + '0'.repeat(32), 'anything at all']) {
      const res = await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Validate`, { TestId: testId });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ result: 'valid' });
    }
    expect((await call(emu, 'GET', `/v1/Sinks/${sink.sid}`)).body.status).toBe('active');
    const missing = await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Validate`, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 20001, message: expect.stringContaining('TestId') });
    const unknown = await call(emu, 'POST', `/v1/Sinks/DG${'a'.repeat(32)}/Validate`, { TestId: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(20404);
  });

  it('keeps a seed\'s explicit status, and Validate activates such a sink', async () => {
    const sid = 'DG' + '7'.repeat(32);
    const emu = await emulator({ seed: { sinks: [{ sid, description: 'old', sink_type: 'kinesis', sink_configuration: KINESIS, status: 'initialized' }], subscriptions: [] } });
    expect((await call(emu, 'GET', `/v1/Sinks/${sid}`)).body.status).toBe('initialized');
    await call(emu, 'POST', `/v1/Sinks/${sid}/Test`);
    expect((await call(emu, 'GET', `/v1/Sinks/${sid}`)).body.status).toBe('initialized');
    expect((await call(emu, 'POST', `/v1/Sinks/${sid}/Validate`, { TestId: 'any' })).body).toEqual({ result: 'valid' });
    expect((await call(emu, 'GET', `/v1/Sinks/${sid}`)).body.status).toBe('active');
  });
});

describe('activation: legacy (older docs: the kinesis test/validate handshake)', () => {
  const legacy = { activation: 'legacy' } as const;

  it('starts webhook and segment sinks active and kinesis sinks initialized', async () => {
    const emu = await emulator(legacy);
    expect((await createSink(emu, 'w', 'webhook', WEBHOOK)).status).toBe('active');
    expect((await createSink(emu, 's', 'segment', SEGMENT)).status).toBe('active');
    expect((await createSink(emu, 'k', 'kinesis', KINESIS)).status).toBe('initialized');
  });

  it('moves a kinesis sink through test (validating) and validate (active)', async () => {
    const emu = await emulator(legacy);
    const sink = await createSink(emu, 'k', 'kinesis', KINESIS);
    const test = await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Test`);
    expect(test.status).toBe(201);
    expect(test.body).toEqual({ result: 'submitted' });
    expect((await call(emu, 'GET', `/v1/Sinks/${sink.sid}`)).body.status).toBe('validating');

    const events = await testEvents(emu.url, sink.sid);
    expect(events).toHaveLength(1);
    expect(events[0]!.test_id).toMatch(/^TE[0-9a-f]{32}$/);

    const wrong = await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Validate`, { TestId: 'TE' + '0'.repeat(32) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe(20001);
    expect((await call(emu, 'GET', `/v1/Sinks/${sink.sid}`)).body.status).toBe('validating');

    const missing = await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Validate`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('TestId');

    const ok = await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Validate`, { TestId: events[0]!.test_id });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ result: 'valid' });
    expect((await call(emu, 'GET', `/v1/Sinks/${sink.sid}`)).body.status).toBe('active');
  });

  it('keeps an active sink active when it is tested, and records the test', async () => {
    const emu = await emulator(legacy);
    const sink = await createSink(emu, 'w');
    await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Test`);
    expect((await call(emu, 'GET', `/v1/Sinks/${sink.sid}`)).body.status).toBe('active');
    expect(await testEvents(emu.url, sink.sid)).toHaveLength(1);
  });

  it('refuses a test-id of another sink', async () => {
    const emu = await emulator(legacy);
    const a = await createSink(emu, 'a', 'kinesis', KINESIS);
    const b = await createSink(emu, 'b', 'kinesis', KINESIS);
    await call(emu, 'POST', `/v1/Sinks/${a.sid}/Test`);
    const [event] = await testEvents(emu.url, a.sid);
    const res = await call(emu, 'POST', `/v1/Sinks/${b.sid}/Validate`, { TestId: event!.test_id });
    expect(res.status).toBe(400);
  });

  it('starts a seeded kinesis sink without a status initialized', async () => {
    const emu = await emulator({ ...legacy, seed: { sinks: [{ description: 'k', sink_type: 'kinesis', sink_configuration: KINESIS }], subscriptions: [] } });
    expect((await call(emu, 'GET', '/v1/Sinks')).body.sinks[0].status).toBe('initialized');
  });

  it('is refused when the mode is unknown', async () => {
    await expect(emulator({ activation: 'eventual' as never })).rejects.toMatchObject({ code: 'CONFIG', details: [expect.stringContaining('activation must be one of current, legacy')] });
  });
});

describe('subscriptions and in-use sinks', () => {
  it('needs an active sink for a subscription (91100)', async () => {
    const emu = await emulator({ activation: 'legacy' });
    const kinesis = await createSink(emu, 'k', 'kinesis', KINESIS);
    const refused = await createSubscription(emu, kinesis.sid);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ code: 91100, message: expect.stringContaining('active'), more_info: 'https://www.twilio.com/docs/errors/91100', status: 400 });
    expect(refused.body.message).toContain(`${kinesis.sid} is initialized`);
    const unknown = await createSubscription(emu, 'DG' + 'f'.repeat(32));
    expect(unknown.status).toBe(400);
  });

  it('refuses to delete a sink in use (91007, naming the subscriptions), and allows it once they are gone', async () => {
    const emu = await emulator();
    const sink = await createSink(emu, 'w');
    const sub = await createSubscription(emu, sink.sid);
    const other = await createSubscription(emu, sink.sid);
    expect(sub.status).toBe(201);
    const refused = await call(emu, 'DELETE', `/v1/Sinks/${sink.sid}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      code: 91007,
      message: expect.stringMatching(/^Sink still in use/),
      more_info: 'https://www.twilio.com/docs/errors/91007',
      status: 409,
    });
    expect(refused.body.message).toContain(`${sub.body.sid}, ${other.body.sid}`);
    expect((await call(emu, 'DELETE', `/v1/Subscriptions/${other.body.sid}`)).status).toBe(204);
    expect((await call(emu, 'DELETE', `/v1/Subscriptions/${sub.body.sid}`)).status).toBe(204);
    expect((await call(emu, 'DELETE', `/v1/Sinks/${sink.sid}`)).status).toBe(204);
    const gone = await call(emu, 'GET', `/v1/Sinks/${sink.sid}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe(20404);
  });

  it('creates, fetches, updates and lists subscriptions with their Types', async () => {
    const emu = await emulator();
    const a = await createSink(emu, 'a');
    const b = await createSink(emu, 'b');
    const sa = (await createSubscription(emu, a.sid, 'on a')).body;
    await createSubscription(emu, b.sid, 'on b');
    expect(sa).toMatchObject({ account_sid: emu.accountSid, sink_sid: a.sid, description: 'on a' });
    expect(sa.url).toBe(`${emu.url}/v1/Subscriptions/${sa.sid}`);
    const updated = await call(emu, 'POST', `/v1/Subscriptions/${sa.sid}`, { Description: 'renamed' });
    expect(updated.body.description).toBe('renamed');
    expect((await call(emu, 'GET', `/v1/Subscriptions/${sa.sid}`)).body.description).toBe('renamed');
    const filtered = await call(emu, 'GET', `/v1/Subscriptions?SinkSid=${a.sid}`);
    expect(filtered.body.subscriptions.map((s: { sid: string }) => s.sid)).toEqual([sa.sid]);
    expect(filtered.body.meta.url).toBe(`${emu.url}/v1/Subscriptions?SinkSid=${a.sid}&PageSize=50&Page=0`);
    expect((await call(emu, 'GET', '/v1/Subscriptions')).body.subscriptions).toHaveLength(2);
    expect((await call(emu, 'GET', '/v1/Subscriptions?SinkSid=nope')).status).toBe(400);
  });

  it('refuses to move a subscription to another sink (its SinkSid is fixed), and keeps it where it was', async () => {
    const emu = await emulator();
    const a = await createSink(emu, 'a');
    const b = await createSink(emu, 'b');
    const sub = (await createSubscription(emu, a.sid, 'on a')).body;
    await call(emu, 'DELETE', '/__emulator/requests');
    for (const form of [{ SinkSid: b.sid }, { SinkSid: b.sid, Description: 'moved' }, { SinkSid: a.sid }]) {
      const res = await call(emu, 'POST', `/v1/Subscriptions/${sub.sid}`, form);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 20001, status: 400 });
      expect(res.body.message).toContain('cannot be changed');
      expect(res.body.message).toContain('create a new Subscription');
    }
    const after = (await call(emu, 'GET', `/v1/Subscriptions/${sub.sid}`)).body;
    expect(after).toMatchObject({ sink_sid: a.sid, description: 'on a', date_updated: sub.date_updated });
    expect((await call(emu, 'GET', `/v1/Sinks?InUse=true`)).body.sinks.map((s: { sid: string }) => s.sid)).toEqual([a.sid]);
  });

  it('validates Types entries', async () => {
    const emu = await emulator();
    const sink = await createSink(emu, 'w');
    const base = { Description: 'd', SinkSid: sink.sid };
    expect((await call(emu, 'POST', '/v1/Subscriptions', base)).body.message).toContain('Types');
    const notJson = await call(emu, 'POST', '/v1/Subscriptions', { ...base, Types: ['{oops'] });
    expect(notJson.status).toBe(400);
    const noType = await call(emu, 'POST', '/v1/Subscriptions', { ...base, Types: [JSON.stringify({ schema_version: 1 })] });
    expect(noType.body.message).toContain('Types[0]');
    const badVersion = await call(emu, 'POST', '/v1/Subscriptions', { ...base, Types: ['{"type":"a"}', '{"type":"b","schema_version":0}'] });
    expect(badVersion.body.message).toContain('Types[1]');
  });
});

describe('sink parameters', () => {
  it('names the missing required parameter', async () => {
    const emu = await emulator();
    for (const missing of ['Description', 'SinkType', 'SinkConfiguration']) {
      const form = createSinkForm('d', 'webhook', WEBHOOK) as Record<string, string>;
      delete form[missing];
      const res = await call(emu, 'POST', '/v1/Sinks', form);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 20001, message: `Missing required parameter ${missing} in the post body`, more_info: 'https://www.twilio.com/docs/errors/20001', status: 400 });
    }
  });

  it.each([
    ['kinesis', { arn: 'arn:aws:kinesis:x', role_arn: 'arn:aws:iam::1:role/R' }, 'external_id is required'],
    ['kinesis', { ...KINESIS, arn: 'not-an-arn' }, 'arn must be an Amazon Resource Name'],
    ['webhook', { method: 'POST' }, 'destination is required'],
    ['webhook', { destination: 'ftp://example.org' }, 'destination must be an absolute http(s) URL'],
    ['webhook', { ...WEBHOOK, method: 'PUT' }, 'method must be GET or POST'],
    ['webhook', { ...WEBHOOK, batch_events: 'yes' }, 'batch_events must be true or false'],
    ['webhook', { ...WEBHOOK, extra: 1 }, 'extra is not a webhook sink setting'],
    ['segment', {}, 'write_key is required'],
    ['segment', ['write_key'], 'must be a JSON object'],
  ])('refuses a %s configuration %j as invalid (91000)', async (type, config, message) => {
    const emu = await emulator();
    const res = await call(emu, 'POST', '/v1/Sinks', createSinkForm('d', type, config));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 91000, status: 400, more_info: 'https://www.twilio.com/docs/errors/91000' });
    expect(res.body.message).toContain(message);
    expect((await call(emu, 'GET', '/v1/Sinks')).body.sinks).toEqual([]);
  });

  it('refuses configuration that is not JSON (91000), an unknown type (20001), and a missing update description', async () => {
    const emu = await emulator();
    const notJson = await call(emu, 'POST', '/v1/Sinks', { Description: 'd', SinkType: 'webhook', SinkConfiguration: '{' });
    expect(notJson.body).toMatchObject({ code: 91000, status: 400, message: expect.stringContaining('SinkConfiguration') });
    const badType = await call(emu, 'POST', '/v1/Sinks', createSinkForm('d', 'sqs', {}));
    expect(badType.body).toMatchObject({ code: 20001, status: 400, message: expect.stringContaining('SinkType') });
    const sink = await createSink(emu, 'w');
    const update = await call(emu, 'POST', `/v1/Sinks/${sink.sid}`, {});
    expect(update.status).toBe(400);
    expect(update.body.message).toContain('Description');
  });

  it('updates only the description and date_updated', async () => {
    const emu = await emulator();
    const sink = await createSink(emu, 'before');
    const res = await call(emu, 'POST', `/v1/Sinks/${sink.sid}`, { Description: 'after' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sid: sink.sid, description: 'after', sink_configuration: WEBHOOK, sink_type: 'webhook', date_created: sink.date_created });
  });

  it('answers 404 for unknown resources and paths, 405 for unknown methods', async () => {
    const emu = await emulator();
    const sid = 'DG' + 'a'.repeat(32);
    for (const [method, path] of [
      ['GET', `/v1/Sinks/${sid}`],
      ['POST', `/v1/Sinks/${sid}/Test`],
      ['DELETE', `/v1/Subscriptions/DF${'a'.repeat(32)}`],
      ['GET', '/v1/Nothing'],
      ['GET', '/v1/Sinks/%E0%A4%A'],
    ] as const) {
      const res = await call(emu, method, path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 20404, status: 404, more_info: 'https://www.twilio.com/docs/errors/20404' });
    }
    expect((await call(emu, 'GET', `/v1/Sinks/${sid}`)).body.message).toBe(`The requested resource /v1/Sinks/${sid} was not found`);
    const put = await call(emu, 'PUT', '/v1/Sinks');
    expect(put.status).toBe(405);
    expect(put.body.code).toBe(20004);
  });

  it('returns resources with SIDs, url and links on its own origin', async () => {
    const emu = await emulator();
    const sink = await createSink(emu, 'w');
    expect(sink.sid).toMatch(/^DG[0-9a-f]{32}$/);
    expect(sink.url).toBe(`${emu.url}/v1/Sinks/${sink.sid}`);
    expect(sink.links).toEqual({ sink_test: `${sink.url}/Test`, sink_validate: `${sink.url}/Validate` });
    expect(sink.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});
