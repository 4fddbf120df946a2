import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator, SeedAccount } from '../../src/emulator/index.js';
import { emulator, WEBHOOK } from './helpers.js';

/**
 * The official twilio package, unchanged, against the emulator's 2010 Accounts API: pointed at it
 * through its public `client.api.baseUrl` (as twilio-conformance.test.ts does with
 * `client.events.baseUrl`), it lists, pages, fetches and creates accounts.
 */
function client(emu: RunningEmulator, sid = emu.accountSid, token = emu.authToken): ReturnType<typeof twilio> {
  const c = twilio(sid, token);
  c.api.baseUrl = emu.url;
  c.events.baseUrl = emu.url;
  return c;
}

const MAIN = 'AC' + '0'.repeat(32);
const subaccounts = (count: number, extra: (i: number) => Partial<SeedAccount> = () => ({})): SeedAccount[] =>
  Array.from({ length: count }, (_, i) => ({ friendly_name: `cust-${i + 1}`, owner_account_sid: MAIN, ...extra(i + 1) }));

describe('the twilio npm package against the Accounts API', () => {
  it('lists the active accounts across pages, with each one’s credentials', async () => {
    const emu = await emulator({ seed: { sinks: [], subscriptions: [], accounts: subaccounts(7, (i) => (i % 3 === 0 ? { status: 'suspended' } : {})) } });
    const c = client(emu);
    const active = await c.api.v2010.accounts.list({ status: 'active', pageSize: 2 });
    expect(active.map((a) => a.friendlyName)).toEqual(['sinkops emulator', 'cust-1', 'cust-2', 'cust-4', 'cust-5', 'cust-7']);
    const first = active[1]!;
    expect(first).toMatchObject({ status: 'active', ownerAccountSid: emu.accountSid, type: 'Full', uri: `/2010-04-01/Accounts/${first.sid}.json` });
    expect(first.authToken).toMatch(/^[0-9a-f]{32}$/);
    expect(first.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(first.dateCreated.getTime())).toBe(false);
    expect((await c.api.v2010.accounts.list({ friendlyName: 'cust-3' })).map((a) => a.status)).toEqual(['suspended']);
    expect(await c.api.v2010.accounts.list({ status: 'closed' })).toEqual([]);

    // The listed credentials reach that account's Events API, as a fleet uses them.
    const member = client(emu, first.sid, first.authToken);
    await member.events.v1.sinks.create({ description: 'member sink', sinkType: 'webhook', sinkConfiguration: WEBHOOK });
    expect((await member.events.v1.sinks.list()).map((s) => s.description)).toEqual(['member sink']);
    expect(await c.events.v1.sinks.list()).toEqual([]);
  });

  it('creates a subaccount and fetches it; a stranger’s account is a 404', async () => {
    const emu = await emulator({ seed: { sinks: [], subscriptions: [], accounts: [{ sid: 'AC' + '9'.repeat(32), friendly_name: 'other main' }] } });
    const c = client(emu);
    const created = await c.api.v2010.accounts.create({ friendlyName: 'cust-new' });
    expect(created).toMatchObject({ friendlyName: 'cust-new', status: 'active', ownerAccountSid: emu.accountSid });
    const fetched = await c.api.v2010.accounts(created.sid).fetch();
    expect(fetched.authToken).toBe(created.authToken);

    const child = client(emu, created.sid, created.authToken);
    expect((await child.api.v2010.accounts.list()).map((a) => a.sid)).toEqual([created.sid]);
    const refused = await child.api.v2010.accounts.create({ friendlyName: 'grandchild' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, code: 20403 });
    const missing = await c.api.v2010.accounts('AC' + '9'.repeat(32)).fetch().catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 20404, moreInfo: 'https://www.twilio.com/docs/errors/20404' });
  });
});
