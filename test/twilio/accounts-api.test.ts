/**
 * The Accounts API client against a real local HTTP server: pages, filters, and a server that
 * lies — about where the next page is, about the shape of an account, about ever ending.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AccountsClient, nextAccountsPath, toRemoteAccount, type RemoteAccount } from '../../src/twilio/accounts-api.js';
import { apiBaseUrlFromEnv, parseBaseUrl } from '../../src/twilio/config.js';
import { sendJson, startHostileServer, writeForever, type HostileServer } from '../helpers/hostile-server.js';

const PARENT = `AC${'a'.repeat(32)}`;
const TOKEN = 'parent-auth-token-SECRET';
const BASIC = `Basic ${Buffer.from(`${PARENT}:${TOKEN}`).toString('base64')}`;

function sid(n: number): string {
  return `AC${n.toString(16).padStart(32, '0')}`;
}

function wireAccount(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sid: sid(n),
    friendly_name: `cust-${n}`,
    status: 'active',
    owner_account_sid: PARENT,
    auth_token: `token-${n}-SECRET`,
    type: 'Full',
    date_created: 'Thu, 01 Jan 2024 00:00:00 +0000',
    uri: `/2010-04-01/Accounts/${sid(n)}.json`,
    ...overrides,
  };
}

function page(accounts: readonly unknown[], next: unknown = null): Record<string, unknown> {
  return { accounts, next_page_uri: next, page: 0, page_size: 1000, first_page_uri: '/2010-04-01/Accounts.json?PageSize=1000&Page=0', previous_page_uri: null };
}

/** A server whose `pages(path)` says what each request gets (after checking the credentials). */
async function accountsServer(pages: (path: string) => Record<string, unknown> | [number, unknown]): Promise<HostileServer> {
  return startHostileServer((req, res) => {
    if (req.headers.authorization !== BASIC) return sendJson(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    const answer = pages(req.url ?? '');
    if (Array.isArray(answer)) return sendJson(res, answer[0], answer[1]);
    sendJson(res, 200, answer);
  });
}

function client(server: HostileServer, options: ConstructorParameters<typeof AccountsClient>[1] = {}): AccountsClient {
  return new AccountsClient({ baseUrl: server.url, username: PARENT, password: TOKEN }, { sleep: async () => {}, random: () => 0.5, ...options });
}

async function list(server: HostileServer, filter: Parameters<AccountsClient['listAccounts']>[0] = {}, options: ConstructorParameters<typeof AccountsClient>[1] = {}): Promise<RemoteAccount[]> {
  const c = client(server, options);
  try {
    return await c.listAccounts(filter);
  } finally {
    await c.close();
  }
}

describe('AccountsClient.listAccounts', () => {
  it('lists every page with PageSize=1000 and the filters, following next_page_uri on the same origin', async () => {
    const server = await accountsServer((path) =>
      path.includes('Page=1') ? page([wireAccount(3)]) : page([wireAccount(1), wireAccount(2)], '/2010-04-01/Accounts.json?PageSize=1000&Page=1&PageToken=PA1'),
    );
    const accounts = await list(server, { status: 'active', friendlyName: 'cust 1&2' });
    expect(accounts.map((a) => [a.sid, a.friendly_name, a.status, a.owner_account_sid, a.auth_token])).toEqual([
      [sid(1), 'cust-1', 'active', PARENT, 'token-1-SECRET'],
      [sid(2), 'cust-2', 'active', PARENT, 'token-2-SECRET'],
      [sid(3), 'cust-3', 'active', PARENT, 'token-3-SECRET'],
    ]);
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/2010-04-01/Accounts.json?FriendlyName=cust+1%262&Status=active&PageSize=1000'],
      ['GET', '/2010-04-01/Accounts.json?PageSize=1000&Page=1&PageToken=PA1'],
    ]);
    expect(server.requests.every((r) => r.headers.authorization === BASIC)).toBe(true);
  });

  it('keeps each account once when a listing shifts between pages', async () => {
    const server = await accountsServer((path) =>
      path.includes('Page=1') ? page([wireAccount(2), wireAccount(3)]) : page([wireAccount(1), wireAccount(2)], '/2010-04-01/Accounts.json?Page=1'),
    );
    expect((await list(server)).map((a) => a.sid)).toEqual([sid(1), sid(2), sid(3)]);
  });

  it('retries a 500 on a listing, which changes nothing', async () => {
    let calls = 0;
    const server = await accountsServer(() => (++calls === 1 ? [500, { code: 20500, message: 'Internal', status: 500 }] : page([wireAccount(1)])));
    expect((await list(server)).map((a) => a.sid)).toEqual([sid(1)]);
    expect(server.requests).toHaveLength(2);
  });

  it('reports a 401 as the Twilio error it is', async () => {
    const server = await accountsServer(() => page([]));
    const c = new AccountsClient({ baseUrl: server.url, username: PARENT, password: 'wrong' }, { sleep: async () => {} });
    await expect(c.listAccounts()).rejects.toMatchObject({ code: 'TWILIO_API', status: 401, twilioCode: 20003 });
    await c.close();
  });

  it('hides every auth token from JSON, inspection and spreading', async () => {
    const server = await accountsServer(() => page([wireAccount(1)]));
    const [account] = await list(server);
    expect(account?.auth_token).toBe('token-1-SECRET');
    expect(JSON.stringify(account)).not.toContain('SECRET');
    expect(inspect(account, { depth: 5 })).not.toContain('SECRET');
    expect(JSON.stringify({ ...account })).not.toContain('SECRET');
  });
});

describe('AccountsClient: credentials never leave the configured origin', () => {
  const hostileNext = [
    '//evil.example/2010-04-01/Accounts.json?Page=1',
    'https://evil.example/2010-04-01/Accounts.json?Page=1',
    'http://evil.example/2010-04-01/Accounts.json',
    '/2010-04-01/../../x',
    '/2010-04-01/Accounts.json/../../../x',
    '/2010-04-01/Accounts.json/../Accounts/ACx.json',
    '/2010-04-01/Accounts.jsonx',
    '/2010-04-01/Accounts.json#frag',
    '/2010-04-01/Accounts.json?a=b c',
    '/2010-04-01/Accounts.json?a=\\evil',
    '/2010-04-01/Accounts.json?a=\r\nHost: evil',
    '/v1/Sinks',
    '/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Keys.json',
    '\\\\evil.example\\2010-04-01\\Accounts.json',
  ];

  it.each(hostileNext)('does not follow next_page_uri %j', async (next) => {
    const server = await accountsServer(() => page([wireAccount(1)], next));
    const error = await list(server).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('sinkops did not follow it, so the credentials were not sent there') });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a next_page_uri that is not a string', async () => {
    const server = await accountsServer(() => page([], { evil: true }));
    await expect(list(server)).rejects.toMatchObject({ code: 'TWILIO_API', message: 'Unexpected response from the Accounts API: next_page_uri is an object, not a path.' });
  });

  it('accepts the pages of the Accounts list itself, and only those', () => {
    const origin = 'http://127.0.0.1:4010';
    expect(nextAccountsPath('/2010-04-01/Accounts.json', origin)).toBe('/2010-04-01/Accounts.json');
    expect(nextAccountsPath('/2010-04-01/Accounts.json?PageSize=50&Page=1&PageToken=PA%2B1', origin)).toBe('/2010-04-01/Accounts.json?PageSize=50&Page=1&PageToken=PA%2B1');
    for (const next of hostileNext) expect(() => nextAccountsPath(next, origin)).toThrowError(/did not follow it/);
  });

  it('stops a list that never ends, and one that loops', async () => {
    let n = 0;
    const endless = await accountsServer(() => page([wireAccount(++n)], `/2010-04-01/Accounts.json?Page=${n}`));
    await expect(list(endless, {}, { maxPages: 5 })).rejects.toMatchObject({
      code: 'TWILIO_API',
      message: 'Unexpected response from the Accounts API: the list of accounts did not end after 5 pages (5 accounts so far); sinkops stopped following next_page_uri.',
    });
    expect(endless.requests).toHaveLength(5);
    const loop = await accountsServer(() => page([wireAccount(1)], '/2010-04-01/Accounts.json?PageSize=1000'));
    await expect(list(loop)).rejects.toMatchObject({ message: expect.stringContaining('pages back to a page it already returned') });
  });

  it('stops reading an answer that never ends, at the response size limit', async () => {
    const server = await startHostileServer((_req, res) => writeForever(res));
    const error = await list(server, {}, { maxResponseBytes: 64 * 1024 }).catch((e: unknown) => e);
    // Named as the API it is, with the variable that points at it.
    expect(error).toMatchObject({ code: 'TWILIO_API', message: expect.stringMatching(/^The Accounts API's answer to GET \/2010-04-01\/Accounts\.json is larger than 64 KiB/) });
    expect((error as { details: string[] }).details.join('\n')).toContain('check TWILIO_API_BASE_URL');
    expect(await server.bytesWrittenWhenIdle()).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('toRemoteAccount: hostile accounts', () => {
  const cases: [string, Record<string, unknown> | unknown, string][] = [
    ['not an object', 'AC1', 'an account is a string, not an object'],
    ['a list', [], 'an account is a list, not an object'],
    ['no sid', wireAccount(1, { sid: undefined }), 'an account has no sid'],
    ['a numeric sid', wireAccount(1, { sid: 12 }), 'the sid of an account is a number, not an Account SID'],
    ['a sid that is not one', wireAccount(1, { sid: '../../x' }), 'an account has sid "../../x", which is not an Account SID (AC followed by 32 hexadecimal digits)'],
    ['a friendly name that is an object', wireAccount(1, { friendly_name: { x: 1 } }), `the friendly_name of account ${sid(1)} is an object, not a string`],
    ['a huge friendly name', wireAccount(1, { friendly_name: 'x'.repeat(5000) }), `account ${sid(1)} has a friendly_name of 5000 characters (more than 1024)`],
    ['no status', wireAccount(1, { status: undefined }), `account ${sid(1)} has no status`],
    ['an owner that is not a SID', wireAccount(1, { owner_account_sid: null }), `the owner_account_sid of account ${sid(1)} is null, not an Account SID`],
  ];
  it.each(cases)('refuses %s, naming the field', (_what, wire, message) => {
    expect(() => toRemoteAccount(wire)).toThrowError(expect.objectContaining({ code: 'TWILIO_API', message: `Unexpected response from the Accounts API: ${message}.` }));
  });

  it('never quotes an auth token of the wrong type or size', () => {
    for (const token of [123456789, { secret: 'SECRET-IN-OBJECT' }, ['SECRET-IN-LIST'], 'SECRET'.repeat(500)]) {
      const error = (() => {
        try {
          toRemoteAccount(wireAccount(1, { auth_token: token }));
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(error?.message).toBe(`Unexpected response from the Accounts API: account ${sid(1)} has an auth_token that is not a string of a token's length.`);
      expect(error?.message).not.toMatch(/SECRET|123456789/);
    }
  });

  it('reads an account listed without a token (a closed one) as having none', () => {
    expect(toRemoteAccount(wireAccount(1, { auth_token: null, status: 'closed' })).auth_token).toBeUndefined();
    expect(toRemoteAccount(wireAccount(1, { auth_token: undefined })).auth_token).toBeUndefined();
  });

  it('fails the listing on a hostile account in a page', async () => {
    const server = await accountsServer(() => page([wireAccount(1), wireAccount(2, { sid: true })]));
    await expect(list(server)).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('the sid of an account is a boolean, not an Account SID') });
  });

  it('refuses a page without an accounts array', async () => {
    const server = await accountsServer(() => ({ sinks: [] }));
    await expect(list(server)).rejects.toMatchObject({ message: "Unexpected response from the Accounts API: a page of the list has no 'accounts' array." });
  });
});

describe('TWILIO_API_BASE_URL', () => {
  it('defaults to https://api.twilio.com and is read as an origin', () => {
    expect(apiBaseUrlFromEnv({})).toBe('https://api.twilio.com');
    expect(apiBaseUrlFromEnv({ TWILIO_API_BASE_URL: ' ' })).toBe('https://api.twilio.com');
    expect(apiBaseUrlFromEnv({ TWILIO_API_BASE_URL: 'http://127.0.0.1:4010/' })).toBe('http://127.0.0.1:4010');
  });

  it('is validated like TWILIO_EVENTS_BASE_URL, naming itself, never echoing userinfo', () => {
    expect(() => apiBaseUrlFromEnv({ TWILIO_API_BASE_URL: 'nope' })).toThrowError(expect.objectContaining({ code: 'CONFIG', message: 'TWILIO_API_BASE_URL is not a valid URL.', details: ['Use an origin such as https://api.twilio.com or http://127.0.0.1:4010.'] }));
    expect(() => apiBaseUrlFromEnv({ TWILIO_API_BASE_URL: 'ftp://api.twilio.com' })).toThrowError(/TWILIO_API_BASE_URL \('ftp:\/\/api.twilio.com\/'\) must use http or https, not ftp/);
    expect(() => apiBaseUrlFromEnv({ TWILIO_API_BASE_URL: 'https://api.twilio.com/2010-04-01' })).toThrowError(/must be an origin only/);
    try {
      apiBaseUrlFromEnv({ TWILIO_API_BASE_URL: 'https://user:pa55word@api.twilio.com' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/must not contain credentials/);
      expect((e as Error).message).not.toContain('pa55word');
    }
  });

  it('keeps the messages of TWILIO_EVENTS_BASE_URL as they were', () => {
    expect(() => parseBaseUrl('nope')).toThrowError(expect.objectContaining({ message: 'TWILIO_EVENTS_BASE_URL is not a valid URL.', details: ['Use an origin such as https://events.twilio.com or http://127.0.0.1:4010.'] }));
    expect(() => parseBaseUrl('nope', 'TWILIO_API_BASE_URL')).toThrowError(expect.objectContaining({ details: ['Use an origin such as https://api.twilio.com or http://127.0.0.1:4010.'] }));
  });
});
