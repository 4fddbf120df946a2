import { describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { TwilioClient } from '../../src/twilio/client.js';
import { configFromEnv, parseBaseUrl } from '../../src/twilio/config.js';
import { calls, JSON_HEADERS, mockAgent, ORIGIN, sinksPage } from './helpers.js';

const SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

function configError(env: Record<string, string | undefined>): SinkopsError {
  try {
    configFromEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(SinkopsError);
    return e as SinkopsError;
  }
  throw new Error('expected a CONFIG error');
}

describe('configFromEnv', () => {
  it('uses the Account SID and auth token, with defaults', () => {
    expect(configFromEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'tok' })).toEqual({
      baseUrl: 'https://events.twilio.com',
      username: SID,
      password: 'tok',
      accountSid: SID,
      timeoutMs: 30_000,
      maxRetries: 5,
      pageSize: 1000,
    });
  });

  it('prefers an API key pair, keeping the Account SID', () => {
    const c = configFromEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'tok', TWILIO_API_KEY: 'SKkey', TWILIO_API_SECRET: 'sec' });
    expect([c.username, c.password, c.accountSid]).toEqual(['SKkey', 'sec', SID]);
  });

  it('takes an API key pair alone: the Events API paths carry no Account SID (SPEC §12)', () => {
    const c = configFromEnv({ TWILIO_API_KEY: 'SKkey', TWILIO_API_SECRET: 'sec', TWILIO_ACCOUNT_SID: ' ' });
    expect(c).toEqual({ baseUrl: 'https://events.twilio.com', username: 'SKkey', password: 'sec', timeoutMs: 30_000, maxRetries: 5, pageSize: 1000 });
    expect('accountSid' in c).toBe(false);
  });

  it('names every missing variable and never a value', () => {
    const none = configError({});
    expect(none.code).toBe('CONFIG');
    expect(none.message).toContain('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
    expect(none.details.join(' ')).toContain('TWILIO_API_KEY');

    const noToken = configError({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: '  ' });
    expect(noToken.message).toContain('TWILIO_AUTH_TOKEN is not set');
    expect(noToken.message).not.toContain(SID);

    const halfKey = configError({ TWILIO_ACCOUNT_SID: SID, TWILIO_API_KEY: 'SKsecretish' });
    expect(halfKey.message).toContain('TWILIO_API_SECRET');
    expect(halfKey.message).not.toContain('TWILIO_ACCOUNT_SID');
    expect(halfKey.message).not.toContain('SKsecretish');

    const halfKeyNoSid = configError({ TWILIO_API_SECRET: 'hunter2' });
    expect(halfKeyNoSid.message).toContain('TWILIO_API_KEY is not set');
    expect(halfKeyNoSid.message).not.toContain('TWILIO_ACCOUNT_SID');
    expect(halfKeyNoSid.message).not.toContain('hunter2');

    const tokenNoSid = configError({ TWILIO_AUTH_TOKEN: 'tok-value' });
    expect(tokenNoSid.message).toContain('TWILIO_ACCOUNT_SID is not set');
    expect(tokenNoSid.message).not.toContain('tok-value');
  });

  it('a client built from an API key alone authenticates with the key', async () => {
    const agent = mockAgent();
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' }).reply(200, sinksPage([]), JSON_HEADERS);
    const config = configFromEnv({ TWILIO_API_KEY: 'SKkey', TWILIO_API_SECRET: 'sec', TWILIO_EVENTS_BASE_URL: ORIGIN });
    const client = new TwilioClient(config, { dispatcher: agent });
    try {
      expect(await client.listSinks()).toEqual([]);
      expect(calls(agent)[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('SKkey:sec').toString('base64')}`);
    } finally {
      await client.close();
      await agent.close();
    }
  });

  it('says the Account SID is optional with an API key', () => {
    expect(configError({}).details.join(' ')).toContain('TWILIO_API_KEY and TWILIO_API_SECRET (TWILIO_ACCOUNT_SID optional)');
  });

  it('reads TWILIO_EVENTS_BASE_URL as an origin', () => {
    const c = configFromEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_EVENTS_BASE_URL: 'http://127.0.0.1:4010/' });
    expect(c.baseUrl).toBe('http://127.0.0.1:4010');
  });
});

describe('parseBaseUrl', () => {
  it.each([
    ['not a url', 'not a valid URL'],
    ['ftp://events.twilio.com', 'must use http or https'],
    ['https://events.twilio.com/v1', 'origin only'],
    ['https://events.twilio.com/?x=1', 'origin only'],
    ['https://events.twilio.com/#x', 'origin only'],
  ])('refuses %s', (raw, message) => {
    expect(() => parseBaseUrl(raw)).toThrowError(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining(message) }));
  });

  it('refuses credentials in the URL without echoing them', () => {
    try {
      parseBaseUrl('https://user:pa55word@events.twilio.com');
      expect.unreachable();
    } catch (e) {
      expect((e as SinkopsError).code).toBe('CONFIG');
      expect((e as SinkopsError).message).toContain('must not contain credentials');
      expect((e as SinkopsError).message).not.toContain('pa55word');
    }
  });

  it('accepts https and http origins', () => {
    expect(parseBaseUrl('https://events.twilio.com')).toBe('https://events.twilio.com');
    expect(parseBaseUrl('http://localhost:4010/')).toBe('http://localhost:4010');
  });
});
