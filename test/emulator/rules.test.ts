import { describe, expect, it } from 'vitest';
import { call, createSink, createSinkForm, createSubscription, emulator, KINESIS, SEGMENT, WEBHOOK } from './helpers.js';

async function testEvents(url: string, sid: string): Promise<{ test_id: string; date_created: string }[]> {
  const res = await fetch(`${url}/__emulator/sinks/${sid}/test-events`);
  return ((await res.json()) as { test_events: { test_id: string; date_created: string }[] }).test_events;
}

describe('sink status rules', () => {
  it('starts webhook and segment sinks active and kinesis sinks initialized', async () => {
    const emu = await emulator();
    expect((await createSink(emu, 'w', 'webhook', WEBHOOK)).status).toBe('active');
    expect((await createSink(emu, 's', 'segment', SEGMENT)).status).toBe('active');
    expect((await createSink(emu, 'k', 'kinesis', KINESIS)).status).toBe('initialized');
  });

  it('moves a kinesis sink through test (validating) and validate (active)', async () => {
    const emu = await emulator();
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
    const emu = await emulator();
    const sink = await createSink(emu, 'w');
    await call(emu, 'POST', `/v1/Sinks/${sink.sid}/Test`);
    expect((await call(emu, 'GET', `/v1/Sinks/${sink.sid}`)).body.status).toBe('active');
    expect(await testEvents(emu.url, sink.sid)).toHaveLength(1);
  });

  it('refuses a test-id of another sink', async () => {
    const emu = await emulator();
    const a = await createSink(emu, 'a', 'kinesis', KINESIS);
    const b = await createSink(emu, 'b', 'kinesis', KINESIS);
    await call(emu, 'POST', `/v1/Sinks/${a.sid}/Test`);
    const [event] = await testEvents(emu.url, a.sid);
    const res = await call(emu, 'POST', `/v1/Sinks/${b.sid}/Validate`, { TestId: event!.test_id });
    expect(res.status).toBe(400);
  });
});

describe('subscriptions and in-use sinks', () => {
  it('needs an active sink for a subscription', async () => {
    const emu = await emulator();
    const kinesis = await createSink(emu, 'k', 'kinesis', KINESIS);
    const refused = await createSubscription(emu, kinesis.sid);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 20001, status: 400 });
    expect(refused.body.message).toContain('active');
    const unknown = await createSubscription(emu, 'DG' + 'f'.repeat(32));
    expect(unknown.status).toBe(400);
  });

  it('refuses to delete a sink in use, and allows it once the subscription is gone', async () => {
    const emu = await emulator();
    const sink = await createSink(emu, 'w');
    const sub = await createSubscription(emu, sink.sid);
    expect(sub.status).toBe(201);
    const refused = await call(emu, 'DELETE', `/v1/Sinks/${sink.sid}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      code: 20409,
      message: expect.stringContaining(sub.body.sid),
      more_info: 'https://www.twilio.com/docs/errors/20409',
      status: 409,
    });
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
  ])('refuses a %s configuration %j', async (type, config, message) => {
    const emu = await emulator();
    const res = await call(emu, 'POST', '/v1/Sinks', createSinkForm('d', type, config));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(20001);
    expect(res.body.message).toContain(message);
  });

  it('refuses configuration that is not JSON, an unknown type, and a missing update description', async () => {
    const emu = await emulator();
    const notJson = await call(emu, 'POST', '/v1/Sinks', { Description: 'd', SinkType: 'webhook', SinkConfiguration: '{' });
    expect(notJson.body.message).toContain('SinkConfiguration');
    const badType = await call(emu, 'POST', '/v1/Sinks', createSinkForm('d', 'sqs', {}));
    expect(badType.body.message).toContain('SinkType');
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
