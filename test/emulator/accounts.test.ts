import { describe, expect, it } from 'vitest';
import type { EmulatorSeed, RunningEmulator, SeedAccount } from '../../src/emulator/index.js';
import { basic, call, createSink, createSinkForm, emulator, KINESIS, WEBHOOK, type ApiResponse } from './helpers.js';

/** Many accounts in one emulator (SPEC §14): credentials pick the account, each with its own state. */

const MAIN = 'AC' + '0'.repeat(32);
const sid = (n: number): string => 'AC' + n.toString(16).padStart(32, '0');
const token = (n: number): string => 'f'.repeat(24) + n.toString(16).padStart(8, '0');

/** A subaccount of the main account, with credentials derived from `n`. */
function sub(n: number, extra: Partial<SeedAccount> = {}): SeedAccount {
  return { sid: sid(n), auth_token: token(n), friendly_name: `cust-${n}`, owner_account_sid: MAIN, ...extra };
}

function seedOf(accounts: SeedAccount[]): EmulatorSeed {
  return { sinks: [], subscriptions: [], accounts };
}

/** A request with the credentials of account `n` of the seed. */
function as(emu: RunningEmulator, n: number, method: string, path: string, form?: Record<string, string>): Promise<ApiResponse> {
  return call(emu, method, path, form, basic(sid(n), token(n)));
}

const sinkSids = (res: ApiResponse): string[] => res.body.sinks.map((s: { sid: string }) => s.sid);

describe('credentials pick the account', () => {
  it('keeps each account’s sinks and subscriptions to itself', async () => {
    const emu = await emulator({ seed: seedOf([sub(1), sub(2), { sid: sid(3), auth_token: token(3), friendly_name: 'other main' }]) });
    const mine = (await as(emu, 1, 'POST', '/v1/Sinks', createSinkForm('one', 'webhook', WEBHOOK))).body;
    expect(sinkSids(await as(emu, 1, 'GET', '/v1/Sinks'))).toEqual([mine.sid]);
    for (const n of [2, 3]) expect(sinkSids(await as(emu, n, 'GET', '/v1/Sinks'))).toEqual([]);
    expect(sinkSids(await call(emu, 'GET', '/v1/Sinks'))).toEqual([]);
    // Another account cannot reach it by SID either: it does not exist there.
    expect((await as(emu, 2, 'GET', `/v1/Sinks/${mine.sid}`)).body).toMatchObject({ status: 404, code: 20404 });
    expect((await call(emu, 'DELETE', `/v1/Sinks/${mine.sid}`)).status).toBe(404);
    expect((await as(emu, 2, 'POST', '/v1/Subscriptions', { Description: 's', SinkSid: mine.sid, Types: JSON.stringify({ type: 'com.twilio.messaging.message.delivered' }) })).status).toBe(400);

    const subscription = await as(emu, 1, 'POST', '/v1/Subscriptions', { Description: 's', SinkSid: mine.sid, Types: JSON.stringify({ type: 'com.twilio.messaging.message.delivered' }) });
    expect(subscription.status).toBe(201);
    expect(subscription.body.account_sid).toBe(sid(1));
    expect((await call(emu, 'GET', '/v1/Subscriptions')).body.subscriptions).toEqual([]);
  });

  it('refuses a token of another account, a suspended or closed account, and an unknown SID with 401 and 20003', async () => {
    const emu = await emulator({ seed: seedOf([sub(1), sub(2, { status: 'suspended' }), sub(3, { status: 'closed' })]) });
    expect((await as(emu, 1, 'GET', '/v1/Sinks')).status).toBe(200);
    const refused = [
      basic(sid(1), token(2)),
      basic(sid(1), emu.authToken),
      basic(emu.accountSid, token(1)),
      basic(sid(2), token(2)),
      basic(sid(3), token(3)),
      basic(sid(9), token(9)),
      basic(sid(1), token(1) + 'x'),
      basic(sid(1), ''),
    ];
    for (const auth of refused) {
      for (const path of ['/v1/Sinks', '/2010-04-01/Accounts.json']) {
        const res = await call(emu, 'GET', path, undefined, auth);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ code: 20003, status: 401 });
      }
    }
  });

  it('gives the API key to the main account', async () => {
    const key = { sid: 'SK' + 'a'.repeat(32), secret: 'key-secret' };
    const emu = await emulator({ apiKey: key, seed: seedOf([sub(1)]) });
    const created = await call(emu, 'POST', '/v1/Sinks', createSinkForm('by key', 'webhook', WEBHOOK), basic(key.sid, key.secret));
    expect(created.status).toBe(201);
    expect(sinkSids(await call(emu, 'GET', '/v1/Sinks'))).toEqual([created.body.sid]);
    expect(sinkSids(await as(emu, 1, 'GET', '/v1/Sinks'))).toEqual([]);
    const me = await call(emu, 'GET', `/2010-04-01/Accounts/${emu.accountSid}.json`, undefined, basic(key.sid, key.secret));
    expect(me.body.sid).toBe(emu.accountSid);
  });

  it('counts the sink limit per account', async () => {
    const emu = await emulator({ sinkLimit: 2, seed: seedOf([sub(1)]) });
    await createSink(emu, 'a');
    await createSink(emu, 'b');
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('c', 'webhook', WEBHOOK))).body.code).toBe(91003);
    for (const d of ['a', 'b']) expect((await as(emu, 1, 'POST', '/v1/Sinks', createSinkForm(d, 'kinesis', KINESIS))).status).toBe(201);
    const third = await as(emu, 1, 'POST', '/v1/Sinks', createSinkForm('c', 'webhook', WEBHOOK));
    expect(third.body).toMatchObject({ status: 400, code: 91003 });
  });
});

describe('GET /2010-04-01/Accounts.json', () => {
  const names = (res: ApiResponse): string[] => res.body.accounts.map((a: { friendly_name: string }) => a.friendly_name);

  it('shows the main account itself and its subaccounts, in Twilio’s Account shape', async () => {
    const emu = await emulator({ seed: seedOf([sub(1), { sid: sid(2), auth_token: token(2), friendly_name: 'other main' }, sub(3, { owner_account_sid: sid(2) })]) });
    const res = await call(emu, 'GET', '/2010-04-01/Accounts.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['accounts', 'end', 'first_page_uri', 'next_page_uri', 'page', 'page_size', 'previous_page_uri', 'start', 'uri']);
    expect(names(res)).toEqual(['sinkops emulator', 'cust-1']);
    expect(res.body.accounts[1]).toEqual({
      auth_token: token(1),
      date_created: expect.stringMatching(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
      date_updated: expect.stringMatching(/ \+0000$/),
      friendly_name: 'cust-1',
      owner_account_sid: MAIN,
      sid: sid(1),
      status: 'active',
      subresource_uris: {},
      type: 'Full',
      uri: `/2010-04-01/Accounts/${sid(1)}.json`,
    });
    // A main account is its own owner, as on Twilio.
    expect(res.body.accounts[0]).toMatchObject({ sid: MAIN, owner_account_sid: MAIN, auth_token: emu.authToken });
    expect(res.body).toMatchObject({ start: 0, end: 1, page: 0, page_size: 50, next_page_uri: null, previous_page_uri: null });
    expect(res.body.uri).toBe('/2010-04-01/Accounts.json?PageSize=50&Page=0');

    // The other main account sees itself and its own subaccount; a subaccount sees only itself.
    expect(names(await as(emu, 2, 'GET', '/2010-04-01/Accounts.json'))).toEqual(['other main', 'cust-3']);
    expect(names(await as(emu, 1, 'GET', '/2010-04-01/Accounts.json'))).toEqual(['cust-1']);
    expect(names(await as(emu, 3, 'GET', '/2010-04-01/Accounts.json'))).toEqual(['cust-3']);
  });

  it('pages through 2,500 subaccounts with next_page_uri, and back with previous_page_uri', async () => {
    const emu = await emulator({ seed: seedOf(Array.from({ length: 2500 }, (_, i) => sub(i + 1))) });
    const seen: string[] = [];
    let uri: string | null = '/2010-04-01/Accounts.json?PageSize=300';
    let pages = 0;
    let last: ApiResponse | undefined;
    while (uri !== null) {
      expect(uri).toMatch(/^\/2010-04-01\/Accounts\.json\?/);
      last = await call(emu, 'GET', uri);
      expect(last.status).toBe(200);
      expect(last.body.start).toBe(pages * 300);
      expect(last.body.end).toBe(pages * 300 + last.body.accounts.length - 1);
      seen.push(...last.body.accounts.map((a: { sid: string }) => a.sid));
      uri = last.body.next_page_uri;
      pages++;
    }
    expect(pages).toBe(9);
    expect(seen).toHaveLength(2501);
    expect(new Set(seen).size).toBe(2501);
    expect(seen[0]).toBe(MAIN);
    const back = await call(emu, 'GET', last!.body.previous_page_uri);
    expect(back.body.accounts.map((a: { sid: string }) => a.sid)).toEqual(seen.slice(7 * 300, 8 * 300));
    expect(back.body.page).toBe(7);

    const big = await call(emu, 'GET', '/2010-04-01/Accounts.json?PageSize=5000');
    expect(big.body.page_size).toBe(1000);
    expect(big.body.accounts).toHaveLength(1000);
  });

  it('filters by FriendlyName (exactly) and Status, keeping the filters in the page links', async () => {
    const emu = await emulator({ seed: seedOf([sub(1), sub(2, { status: 'suspended' }), sub(3, { status: 'closed' }), sub(4, { friendly_name: 'cust-1' }), sub(5, { friendly_name: 'cust-10' })]) });
    expect(names(await call(emu, 'GET', '/2010-04-01/Accounts.json?FriendlyName=cust-1')).length).toBe(2);
    const active = await call(emu, 'GET', '/2010-04-01/Accounts.json?Status=active&PageSize=2');
    expect(names(active)).toEqual(['sinkops emulator', 'cust-1']);
    expect(active.body.next_page_uri).toMatch(/^\/2010-04-01\/Accounts\.json\?Status=active&PageSize=2&Page=1&PageToken=/);
    const next = await call(emu, 'GET', active.body.next_page_uri);
    expect(names(next)).toEqual(['cust-1', 'cust-10']);
    expect(next.body.next_page_uri).toBeNull();
    expect(names(await call(emu, 'GET', '/2010-04-01/Accounts.json?Status=suspended'))).toEqual(['cust-2']);
    expect(names(await call(emu, 'GET', '/2010-04-01/Accounts.json?Status=closed&FriendlyName=cust-3'))).toEqual(['cust-3']);
    expect(names(await call(emu, 'GET', '/2010-04-01/Accounts.json?FriendlyName=cust-*'))).toEqual([]);

    for (const bad of ['Status=gone', 'PageSize=0', 'PageToken=nonsense']) {
      expect((await call(emu, 'GET', `/2010-04-01/Accounts.json?${bad}`)).body).toMatchObject({ status: 400, code: 20001 });
    }
  });

  it('gives paths on its own origin only, whatever the filter or Host holds', async () => {
    const emu = await emulator({ seed: seedOf([sub(1, { friendly_name: '//evil.example/x?y#z' }), sub(2, { friendly_name: '//evil.example/x?y#z' })]) });
    const hostile = encodeURIComponent('//evil.example/x?y#z');
    const res = await call(emu, 'GET', `/2010-04-01/Accounts.json?FriendlyName=${hostile}&PageSize=1`);
    expect(res.body.accounts).toHaveLength(1);
    for (const key of ['uri', 'first_page_uri', 'next_page_uri']) {
      const uri = res.body[key] as string;
      expect(uri.startsWith('/2010-04-01/Accounts.json?')).toBe(true);
      expect(new URL(uri, emu.url).origin).toBe(emu.url);
    }
    // The Host header is not used for paths either.
    const spoofed = await fetch(`${emu.url}/2010-04-01/Accounts.json?PageSize=1`, { headers: { Host: 'evil.example', Authorization: basic(emu.accountSid, emu.authToken) } });
    expect(((await spoofed.json()) as { next_page_uri: string }).next_page_uri).toMatch(/^\/2010-04-01\/Accounts\.json\?/);
  });
});

describe('GET /2010-04-01/Accounts/{Sid}.json', () => {
  it('shows an account to itself and to its owner, and is a 404 to anyone else', async () => {
    const emu = await emulator({ seed: seedOf([sub(1), sub(2), { sid: sid(3), auth_token: token(3), friendly_name: 'other main' }]) });
    expect((await call(emu, 'GET', `/2010-04-01/Accounts/${sid(1)}.json`)).body).toMatchObject({ sid: sid(1), auth_token: token(1) });
    expect((await call(emu, 'GET', `/2010-04-01/Accounts/${MAIN}.json`)).body.sid).toBe(MAIN);
    expect((await as(emu, 1, 'GET', `/2010-04-01/Accounts/${sid(1)}.json`)).status).toBe(200);
    const strangers: [number | 'main', string][] = [
      [1, sid(2)],
      [1, MAIN],
      [3, sid(1)],
      ['main', sid(3)],
      ['main', sid(99)],
      ['main', 'nonsense'],
    ];
    for (const [who, target] of strangers) {
      const path = `/2010-04-01/Accounts/${target}.json`;
      const res = who === 'main' ? await call(emu, 'GET', path) : await as(emu, who, 'GET', path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 20404, message: `The requested resource ${path} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
    }
    expect((await call(emu, 'DELETE', `/2010-04-01/Accounts/${sid(1)}.json`)).status).toBe(405);
  });
});

describe('POST /2010-04-01/Accounts.json', () => {
  it('creates an active subaccount of the caller, with a random SID and token that work at once', async () => {
    const emu = await emulator();
    const res = await call(emu, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'cust-new' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ friendly_name: 'cust-new', status: 'active', owner_account_sid: emu.accountSid, type: 'Full' });
    expect(res.body.sid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(res.body.auth_token).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.uri).toBe(`/2010-04-01/Accounts/${res.body.sid}.json`);
    const auth = basic(res.body.sid, res.body.auth_token);
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('mine', 'webhook', WEBHOOK), auth)).status).toBe(201);
    expect((await call(emu, 'GET', '/v1/Sinks')).body.sinks).toEqual([]);
    expect(emu.accounts()).toContainEqual({ sid: res.body.sid, friendlyName: 'cust-new', status: 'active', ownerAccountSid: emu.accountSid });

    const second = await call(emu, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'cust-new' });
    expect(second.body.sid).not.toBe(res.body.sid);
    const unnamed = await call(emu, 'POST', '/2010-04-01/Accounts.json');
    expect(unnamed.body.friendly_name).toMatch(/^SubAccount Created at \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('lets only a main account create: a subaccount gets 403, a bad name 400', async () => {
    const emu = await emulator({ seed: seedOf([sub(1), { sid: sid(2), auth_token: token(2), friendly_name: 'other main' }]) });
    const refused = await as(emu, 1, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'grandchild' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 20403, status: 403 });
    const other = await as(emu, 2, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'theirs' });
    expect(other.body.owner_account_sid).toBe(sid(2));
    expect((await call(emu, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'x'.repeat(65) })).body).toMatchObject({ status: 400, code: 20001 });
    expect(emu.accounts().map((a) => a.friendlyName)).toEqual(['sinkops emulator', 'cust-1', 'other main', 'theirs']);
  });

  it('passes through faults and the request log like the Events API, without tokens', async () => {
    const emu = await emulator({ seed: seedOf([sub(1)]) });
    const created = (await call(emu, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'logged' })).body;
    await call(emu, 'GET', '/2010-04-01/Accounts.json');
    await as(emu, 1, 'GET', `/2010-04-01/Accounts/${sid(1)}.json`);
    await call(emu, 'GET', '/2010-04-01/Accounts.json', undefined, basic(sid(1), 'wrong'));
    const log = await (await fetch(`${emu.url}/__emulator/requests`)).text();
    expect(JSON.parse(log).requests).toEqual([
      { method: 'POST', path: '/2010-04-01/Accounts.json', status: 201, account: emu.accountSid },
      { method: 'GET', path: '/2010-04-01/Accounts.json', status: 200, account: emu.accountSid },
      { method: 'GET', path: `/2010-04-01/Accounts/${sid(1)}.json`, status: 200, account: sid(1) },
      { method: 'GET', path: '/2010-04-01/Accounts.json', status: 401 },
    ]);
    for (const secret of [created.auth_token, token(1), emu.authToken]) expect(log).not.toContain(secret);
    const onlyOne = (await (await fetch(`${emu.url}/__emulator/requests?account=${sid(1)}`)).json()) as { requests: unknown[] };
    expect(onlyOne.requests).toHaveLength(1);

    emu.setFaults({ errorRate: 1 });
    expect((await call(emu, 'GET', '/2010-04-01/Accounts.json')).status).toBe(500);
    expect((await call(emu, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'no' })).status).toBe(500);
    emu.setFaults({});
    expect(emu.accounts().map((a) => a.friendlyName)).not.toContain('no');
  });
});

describe('control paths', () => {
  it('read test events of another account with ?account=', async () => {
    const emu = await emulator({ seed: seedOf([sub(1)]) });
    const sink = (await as(emu, 1, 'POST', '/v1/Sinks', createSinkForm('k', 'kinesis', KINESIS))).body;
    expect((await as(emu, 1, 'POST', `/v1/Sinks/${sink.sid}/Test`)).status).toBe(201);
    const events = await fetch(`${emu.url}/__emulator/sinks/${sink.sid}/test-events?account=${sid(1)}`);
    expect(((await events.json()) as { test_events: unknown[] }).test_events).toHaveLength(1);
    expect((await fetch(`${emu.url}/__emulator/sinks/${sink.sid}/test-events`)).status).toBe(404); // the main account's
    expect((await fetch(`${emu.url}/__emulator/sinks/${sink.sid}/test-events?account=${sid(7)}`)).status).toBe(404);
  });
});

describe('RunningEmulator', () => {
  it('adds accounts and lists them without tokens', async () => {
    const emu = await emulator();
    const parent = await emu.addAccount({ friendlyName: 'staging' });
    expect(parent.sid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(parent.authToken).toMatch(/^[0-9a-f]{32}$/);
    const child = await emu.addAccount({ friendlyName: 'cust-a', ownerAccountSid: parent.sid, sid: sid(5), authToken: token(5), status: 'suspended' });
    expect(child).toEqual({ sid: sid(5), authToken: token(5) });
    expect(emu.accounts()).toEqual([
      { sid: emu.accountSid, friendlyName: 'sinkops emulator', status: 'active' },
      { sid: parent.sid, friendlyName: 'staging', status: 'active' },
      { sid: sid(5), friendlyName: 'cust-a', status: 'suspended', ownerAccountSid: parent.sid },
    ]);
    expect(JSON.stringify(emu.accounts())).not.toContain(parent.authToken);
    const listed = await call(emu, 'GET', '/2010-04-01/Accounts.json', undefined, basic(parent.sid, parent.authToken));
    expect(listed.body.accounts.map((a: { sid: string }) => a.sid)).toEqual([parent.sid, sid(5)]);
    expect((await call(emu, 'GET', '/v1/Sinks', undefined, basic(sid(5), token(5)))).status).toBe(401);
  });

  it('refuses an account that cannot exist, naming each problem', async () => {
    const emu = await emulator();
    const child = await emu.addAccount({ friendlyName: 'child', ownerAccountSid: emu.accountSid });
    const cases: [Parameters<RunningEmulator['addAccount']>[0], string][] = [
      [{ friendlyName: 'twin', sid: emu.accountSid }, `sid ${emu.accountSid} is taken by another account`],
      [{ friendlyName: 'bad', sid: 'AC123' }, 'sid must be AC followed by 32 hexadecimal digits'],
      [{ friendlyName: 'bad', authToken: 'short' }, 'authToken must be 32 hexadecimal digits (an auth token as Twilio issues them)'],
      [{ friendlyName: '' }, 'friendlyName must be a non-empty string of at most 64 characters'],
      [{ friendlyName: 'x', status: 'gone' as 'closed' }, 'status must be one of active, suspended, closed'],
      [{ friendlyName: 'x', ownerAccountSid: sid(42) }, `ownerAccountSid ${sid(42)} is not an account of this emulator`],
      [{ friendlyName: 'x', ownerAccountSid: child.sid }, `ownerAccountSid ${child.sid} is a subaccount, and subaccounts cannot own accounts`],
    ];
    for (const [input, problem] of cases) {
      await expect(emu.addAccount(input)).rejects.toMatchObject({ code: 'CONFIG', details: [problem] });
    }
    expect(emu.accounts()).toHaveLength(2);
  });
});
