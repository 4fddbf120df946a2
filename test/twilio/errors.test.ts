import { afterEach, describe, expect, it } from 'vitest';
import { isSinkopsError } from '../../src/errors.js';
import { TwilioApiError } from '../../src/twilio/errors.js';
import { JSON_HEADERS, mockAgent, mockClient, ORIGIN, sinkSid, wireSink } from './helpers.js';

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
    expect(e.details[0]).toMatch(/TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.*TWILIO_API_KEY and TWILIO_API_SECRET/);
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
