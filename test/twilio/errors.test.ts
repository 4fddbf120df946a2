import { afterEach, describe, expect, it } from 'vitest';
import { isSinkopsError } from '../../src/errors.js';
import { TwilioApiError, twilioApiError } from '../../src/twilio/errors.js';
import { JSON_HEADERS, mockAgent, mockClient, ORIGIN, recordingSleep, sinkSid, wireSink } from './helpers.js';

let agent = mockAgent();
afterEach(async () => {
  await agent.close();
  agent = mockAgent();
});

async function failureOf(promise: Promise<unknown>): Promise<TwilioApiError> {
  const e = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(TwilioApiError);
  return e as TwilioApiError;
}

describe('Twilio error bodies', () => {
  it('keep code, message, more_info and the HTTP status', async () => {
    const body = {
      code: 20404,
      message: `The requested resource /Sinks/${sinkSid(5)} was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    };
    agent.get(ORIGIN).intercept({ path: `/v1/Sinks/${sinkSid(5)}`, method: 'GET' }).reply(404, body, JSON_HEADERS);

    const e = await failureOf(mockClient(agent).fetchSink(sinkSid(5)));

    expect(isSinkopsError(e)).toBe(true);
    expect([e.code, e.status, e.twilioCode, e.twilioMessage, e.moreInfo]).toEqual(['TWILIO_API', 404, 20404, body.message, body.more_info]);
    expect(e.message).toBe(
      `Twilio API error 20404 (HTTP 404): The requested resource /Sinks/${sinkSid(5)} was not found — more info: https://www.twilio.com/docs/errors/20404`,
    );
  });

  it('a 401 says which variables to check', async () => {
    const body = { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 };
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' }).reply(401, body, JSON_HEADERS);
    const e = await failureOf(mockClient(agent).listSinks());
    expect(e.status).toBe(401);
    expect(e.details[0]).toMatch(/TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.*TWILIO_API_KEY and TWILIO_API_SECRET \(TWILIO_ACCOUNT_SID optional\)/);
  });

  it('an error body that is not JSON is not quoted', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Sinks/${sinkSid(5)}`, method: 'GET' }).reply(400, '<html>proxy says no</html>');
    const e = await failureOf(mockClient(agent).fetchSink(sinkSid(5)));
    expect(e.message).toBe(`Twilio API error (HTTP 400): GET /v1/Sinks/${sinkSid(5)} failed`);
    expect([e.twilioCode, e.twilioMessage, e.moreInfo]).toEqual([null, null, null]);
  });

  it('Sink Test and Validate return the result', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `/v1/Sinks/${sinkSid(5)}/Test`, method: 'POST' }).reply(201, { result: 'submitted' }, JSON_HEADERS);
    pool.intercept({ path: `/v1/Sinks/${sinkSid(5)}/Validate`, method: 'POST', body: 'TestId=TE123' }).reply(201, { result: 'valid' }, JSON_HEADERS);
    const client = mockClient(agent);
    expect(await client.testSink(sinkSid(5))).toBe('submitted');
    expect(await client.validateSink(sinkSid(5), 'TE123')).toBe('valid');
  });

  it('a success that is not JSON is an unexpected response', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Sinks/${sinkSid(5)}`, method: 'GET' }).reply(200, 'not json');
    await expect(mockClient(agent).fetchSink(sinkSid(5))).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('not JSON') });
  });

  it('a sink without a SID is an unexpected response', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Sinks/${sinkSid(5)}`, method: 'GET' }).reply(200, wireSink(5, { sid: null }), JSON_HEADERS);
    await expect(mockClient(agent).fetchSink(sinkSid(5))).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('has no sid') });
  });
});

describe('Event Streams error codes a user can act on (SPEC §12)', () => {
  /** A body with every field filled by something a hint must never repeat. */
  function body(code: number, status: number): Record<string, unknown> {
    return { code, message: `ECHOED-MESSAGE ${code}`, more_info: `https://www.twilio.com/docs/errors/${code}?ECHOED-LINK`, status };
  }

  it.each([
    [91003, 400, /maximum number of sinks: delete a sink it no longer needs, or run 'sinkops plan', which counts/],
    [91000, 400, /sink configuration invalid: check the sink's YAML/],
    [91007, 409, /still in use by a subscription: delete the subscription, or re-create it on another sink/],
    [91100, 400, /subscription needs an active sink/],
    [20429, 429, /too many concurrent requests.*lower --parallelism/i],
  ])('%i gets a hint and keeps code, message, more_info and status', (code, status, hint) => {
    const e = twilioApiError(status, body(code, status), { context: 'POST /v1/Sinks' });
    expect([e.status, e.twilioCode, e.twilioMessage, e.moreInfo]).toEqual([status, code, `ECHOED-MESSAGE ${code}`, `https://www.twilio.com/docs/errors/${code}?ECHOED-LINK`]);
    expect(e.message).toBe(`Twilio API error ${code} (HTTP ${status}): ECHOED-MESSAGE ${code} — more info: https://www.twilio.com/docs/errors/${code}?ECHOED-LINK`);
    expect(e.details).toHaveLength(1);
    expect(e.details[0]).toMatch(hint);
    expect(e.details[0]).not.toContain('ECHOED');
  });

  it('the code alone decides the hint: the same code with another body gets the same words', () => {
    const a = twilioApiError(400, body(91003, 400));
    const b = twilioApiError(400, { code: 91003, message: 'Cannot have more than 100 sinks' });
    const c = twilioApiError(409, { code: 91003 });
    expect(b.details).toEqual(a.details);
    expect(c.details).toEqual(a.details);
  });

  it('other codes, and bodies without a code, get no hint', () => {
    expect(twilioApiError(400, body(20001, 400)).details).toEqual([]);
    expect(twilioApiError(404, body(20404, 404)).details).toEqual([]);
    expect(twilioApiError(400, { code: '91003', message: 'a string is not a code' }).details).toEqual([]);
    expect(twilioApiError(400, '<html>91003</html>').details).toEqual([]);
  });

  it('a create refused with 91003 carries the hint', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks', method: 'POST' }).reply(400, body(91003, 400), JSON_HEADERS);
    const e = await failureOf(mockClient(agent).createSink({ description: 'd [sinkops:d]', sinkType: 'webhook', sinkConfiguration: { destination: 'https://x.example' } }));
    expect(e.twilioCode).toBe(91003);
    expect(e.details).toEqual([expect.stringContaining('maximum number of sinks')]);
  });

  it('a 429 that outlasts the retries says to lower --parallelism', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' }).reply(429, body(20429, 429), JSON_HEADERS).times(2);
    const { sleep } = recordingSleep();
    const e = await failureOf(mockClient(agent, { maxRetries: 1 }, { sleep }).listSinks());
    expect(e.details).toEqual([expect.stringContaining('lower --parallelism'), 'Gave up after 2 attempts.']);
  });
});
