import { errors } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { BASIC, captureLogger, JSON_HEADERS, mockAgent, mockClient, ORIGIN, PASSWORD, sinkSid, sinksPage, wireSink } from './helpers.js';

let agent = mockAgent();
afterEach(async () => {
  await agent.close();
  agent = mockAgent();
});

const SECRET = 'external-id-SECRET-42';

describe('logging', () => {
  it('logs method, path, status, duration and attempt — never credentials, form bodies or configurations', async () => {
    const config = { arn: 'arn:aws:kinesis:us-east-1:1:stream/s', role_arn: 'arn:aws:iam::1:role/R', external_id: SECRET };
    const stored = wireSink(3, { description: 'K [sinkops:k]', sink_type: 'kinesis', sink_configuration: config });
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).replyWithError(new errors.HeadersTimeoutError());
    pool.intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' }).reply(200, sinksPage([stored]), JSON_HEADERS);
    pool.intercept({ path: `/v1/Sinks/${sinkSid(3)}`, method: 'GET' }).reply(401, { code: 20003, message: 'Authenticate', status: 401 }, JSON_HEADERS);
    const { logger, output } = captureLogger();
    const client = mockClient(agent, {}, { logger });

    await client.createSink({ description: 'K [sinkops:k]', sinkType: 'kinesis', sinkConfiguration: config });
    await expect(client.fetchSink(sinkSid(3))).rejects.toMatchObject({ status: 401 });

    const log = output();
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'twilio request', method: 'GET', path: '/v1/Sinks?PageSize=1000', status: 200, attempt: 1, durationMs: expect.any(Number) }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'twilio request failed', method: 'POST', path: '/v1/Sinks', attempt: 1 }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'twilio reconcile', found: true }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'twilio request', status: 401 }));
    for (const forbidden of [BASIC, BASIC.slice('Basic '.length), PASSWORD, SECRET, 'SinkConfiguration', 'sink_configuration', 'role_arn']) {
      expect(log).not.toContain(forbidden);
    }
    expect(log.toLowerCase()).not.toContain('authorization');
  });
});
