import { errors } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { calls, JSON_HEADERS, mockAgent, mockClient, ORIGIN, recordingSleep, sinkSid, sinksPage, wireSink } from './helpers.js';

let agent = mockAgent();
afterEach(async () => {
  await agent.close();
  agent = mockAgent();
});

const LIST = '/v1/Sinks?PageSize=1000';
const RATE_LIMITED = { code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 };
const SERVER_ERROR = { code: 20500, message: 'Internal Server Error', status: 500 };

function withCode(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });
}

describe('429', () => {
  it('waits out Retry-After in seconds and as an HTTP date, and reports each one', async () => {
    const pool = agent.get(ORIGIN);
    const date = new Date(Date.now() + 4000).toUTCString();
    pool.intercept({ path: LIST, method: 'GET' }).reply(429, RATE_LIMITED, { headers: { 'retry-after': '3' } });
    pool.intercept({ path: LIST, method: 'GET' }).reply(429, RATE_LIMITED, { headers: { 'retry-after': date } });
    pool.intercept({ path: LIST, method: 'GET' }).reply(429, RATE_LIMITED);
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([wireSink(1)]), JSON_HEADERS);
    const { sleep, waits } = recordingSleep();
    let rateLimited = 0;

    const sinks = await mockClient(agent, {}, { sleep, onRateLimited: () => rateLimited++ }).listSinks();

    expect(sinks).toHaveLength(1);
    expect(waits[0]).toBe(3000);
    expect(waits[1]).toBeGreaterThan(2000);
    expect(waits[1]).toBeLessThanOrEqual(4000);
    expect(waits[2]).toBe(400); // no header: third retry backs off, random 0.5 × 200·2²
    expect(rateLimited).toBe(3);
  });

  it('without Retry-After (Twilio documents none for 20429), backs off with full jitter', async () => {
    // Each wait is uniform in [0, min(10 s, 200 ms · 2^retry)): the random draw decides where.
    const windows = [200, 400, 800, 1600, 3200, 6400, 10_000];
    for (const [draw, expected] of [
      [0, windows.map(() => 0)],
      [0.5, windows.map((w) => w / 2)],
      [0.999, windows.map((w) => Math.floor(0.999 * w))],
    ] as const) {
      const pool = agent.get(ORIGIN);
      pool.intercept({ path: LIST, method: 'GET' }).reply(429, RATE_LIMITED, JSON_HEADERS).times(windows.length);
      pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([]), JSON_HEADERS);
      const { sleep, waits } = recordingSleep();
      await mockClient(agent, { maxRetries: windows.length }, { sleep, random: () => draw }).listSinks();
      expect(waits).toEqual(expected);
      waits.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(windows[i] ?? 0);
      });
    }
  });

  it('re-sends a create refused with 429 without looking for it first', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(429, RATE_LIMITED, { headers: { 'retry-after': '1' } });
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, wireSink(9), JSON_HEADERS);
    const { sleep, waits } = recordingSleep();
    const sink = await mockClient(agent, {}, { sleep }).createSink({ description: 'd', sinkType: 'webhook', sinkConfiguration: {} });
    expect(sink.sid).toBe(sinkSid(9));
    expect(calls(agent).map((c) => c.method)).toEqual(['POST', 'POST']);
    expect(waits).toEqual([1000]);
  });

  it('does not sleep through a Retry-After longer than a minute', async () => {
    agent.get(ORIGIN).intercept({ path: LIST, method: 'GET' }).reply(429, RATE_LIMITED, { headers: { 'retry-after': '3600' } });
    const { sleep, waits } = recordingSleep();
    const failure = mockClient(agent, {}, { sleep }).listSinks();
    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API', status: 429, twilioCode: 20429 });
    await expect(failure).rejects.toMatchObject({ details: [expect.stringContaining('lower --parallelism'), expect.stringContaining('wait 3600 s')] });
    expect(waits).toEqual([]);
  });
});

describe('5xx and dropped connections', () => {
  it('retries a GET with backoff', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: LIST, method: 'GET' }).reply(503, 'Service Unavailable');
    pool.intercept({ path: LIST, method: 'GET' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: LIST, method: 'GET' }).replyWithError(withCode('ECONNRESET'));
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([wireSink(1)]), JSON_HEADERS);
    const { sleep, waits } = recordingSleep();
    expect(await mockClient(agent, {}, { sleep }).listSinks()).toHaveLength(1);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('retries a DELETE, and a 404 after a lost answer means it was done', async () => {
    const path = `/v1/Sinks/${sinkSid(4)}`;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path, method: 'DELETE' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path, method: 'DELETE' }).reply(404, { code: 20404, message: 'not found', status: 404 }, JSON_HEADERS);
    await expect(mockClient(agent).deleteSink(sinkSid(4))).resolves.toBeUndefined();
    expect(calls(agent)).toHaveLength(2);
  });

  it('reports a 404 on the first DELETE', async () => {
    const path = `/v1/Sinks/${sinkSid(4)}`;
    agent.get(ORIGIN).intercept({ path, method: 'DELETE' }).reply(404, { code: 20404, message: 'not found', status: 404 }, JSON_HEADERS);
    await expect(mockClient(agent).deleteSink(sinkSid(4))).rejects.toMatchObject({ code: 'TWILIO_API', status: 404 });
  });

  it('retries a DELETE answered 500, then 204', async () => {
    const path = `/v1/Sinks/${sinkSid(4)}`;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path, method: 'DELETE' }).reply(500, SERVER_ERROR, JSON_HEADERS);
    pool.intercept({ path, method: 'DELETE' }).reply(204, '');
    await mockClient(agent).deleteSink(sinkSid(4));
    expect(calls(agent)).toHaveLength(2);
  });

  it('retries the description update, which sets a value', async () => {
    const path = `/v1/Sinks/${sinkSid(2)}`;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path, method: 'POST' }).reply(502, 'Bad Gateway');
    pool.intercept({ path, method: 'POST' }).reply(200, wireSink(2, { description: 'new [sinkops:x]' }), JSON_HEADERS);
    const sink = await mockClient(agent).updateSink(sinkSid(2), { description: 'new [sinkops:x]' });
    expect(sink.description).toBe('new [sinkops:x]');
    const sent = calls(agent);
    expect(sent.map((c) => c.body)).toEqual(['Description=new+%5Bsinkops%3Ax%5D', 'Description=new+%5Bsinkops%3Ax%5D']);
    expect(sent[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('does not repeat a Sink Test whose outcome is unknown', async () => {
    const path = `/v1/Sinks/${sinkSid(2)}/Test`;
    agent.get(ORIGIN).intercept({ path, method: 'POST' }).reply(502, '<html>bad gateway</html>');
    const failure = mockClient(agent).testSink(sinkSid(2));
    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API', status: 502, twilioCode: null });
    await expect(failure).rejects.toThrow(`Twilio API error (HTTP 502): POST /v1/Sinks/${sinkSid(2)}/Test failed`);
    await expect(failure).rejects.toMatchObject({ details: [expect.stringContaining('may have sent the test event')] });
    expect(calls(agent)).toHaveLength(1);
  });

  it('re-sends any request that never reached the server', async () => {
    const path = `/v1/Sinks/${sinkSid(2)}/Test`;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path, method: 'POST' }).replyWithError(withCode('ECONNREFUSED'));
    pool.intercept({ path, method: 'POST' }).reply(201, { result: 'submitted' }, JSON_HEADERS);
    expect(await mockClient(agent).testSink(sinkSid(2))).toBe('submitted');
  });

  it('gives up after the retry budget with the last API error', async () => {
    agent.get(ORIGIN).intercept({ path: LIST, method: 'GET' }).reply(500, SERVER_ERROR, JSON_HEADERS).times(3);
    const failure = mockClient(agent, { maxRetries: 2 }).listSinks();
    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API', status: 500, twilioCode: 20500, details: ['Gave up after 3 attempts.'] });
    expect(calls(agent)).toHaveLength(3);
  });

  it('gives up after the retry budget with a NETWORK error naming the origin', async () => {
    agent.get(ORIGIN).intercept({ path: LIST, method: 'GET' }).replyWithError(withCode('ECONNRESET')).times(2);
    const failure = mockClient(agent, { maxRetries: 1 }).listSinks();
    await expect(failure).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(failure).rejects.toThrow(`Could not reach the Twilio Events API at ${ORIGIN}: GET /v1/Sinks failed`);
    await expect(failure).rejects.toThrow(/after 2 attempts/);
  });

  it('does not retry a failure that cannot get better', async () => {
    agent.get(ORIGIN).intercept({ path: LIST, method: 'GET' }).replyWithError(withCode('ENOTFOUND'));
    await expect(mockClient(agent).listSinks()).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('ENOTFOUND') });
    expect(calls(agent)).toHaveLength(1);
  });

  it('does not retry a 4xx', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Sinks/${sinkSid(1)}`, method: 'GET' }).reply(403, { code: 20403, message: 'Forbidden', status: 403 }, JSON_HEADERS);
    await expect(mockClient(agent).fetchSink(sinkSid(1))).rejects.toMatchObject({ status: 403 });
    expect(calls(agent)).toHaveLength(1);
  });
});
