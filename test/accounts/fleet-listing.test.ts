/**
 * A fleet listed as a run lists it: through the AccountsClient, page by page, from the emulator's
 * Accounts API (the main account sees itself and its subaccounts), then expanded and named.
 */
import { describe, expect, it } from 'vitest';
import { expandTargets } from '../../src/accounts/expand.js';
import type { EmulatorSeed, SeedAccount } from '../../src/emulator/index.js';
import { AccountsClient } from '../../src/twilio/accounts-api.js';
import { emulator } from '../emulator/helpers.js';
import { config, fleet, named } from './helpers.js';

const MAIN = `AC${'0'.repeat(31)}1`;
const MAIN_TOKEN = 'main-token-0123456789';
const sid = (n: number): string => `AC${(n + 0x100).toString(16).padStart(32, '0')}`;

function sub(n: number, extra: Partial<SeedAccount> = {}): SeedAccount {
  return { sid: sid(n), auth_token: `${'e'.repeat(24)}${n.toString(16).padStart(8, '0')}`, friendly_name: `cust-${n}`, owner_account_sid: MAIN, ...extra };
}

describe('a fleet listed from the emulator', () => {
  it('follows the pages of the Accounts API and keeps the active subaccounts that match', async () => {
    const accounts = [...Array.from({ length: 7 }, (_, i) => sub(i + 1)), sub(8, { status: 'suspended' }), sub(9, { friendly_name: 'internal' }), sub(10, { friendly_name: 'cust-1' })];
    const seed: EmulatorSeed = { sinks: [], subscriptions: [], accounts };
    const emu = await emulator({ accountSid: MAIN, authToken: MAIN_TOKEN, seed });
    const listedCounts: number[] = [];
    const { targets, failures } = await expandTargets(
      config([named('production')], [fleet('customers', { subaccounts: { friendly_name: 'cust-*' } })]),
      { TWILIO_ACCOUNT_SID: MAIN, TWILIO_AUTH_TOKEN: MAIN_TOKEN },
      {
        listAccounts: async (f, credentials) => {
          const client = new AccountsClient({ baseUrl: emu.url, ...credentials, pageSize: 3 });
          try {
            const listed = await client.listAccounts(f.subaccounts.status === undefined ? {} : { status: f.subaccounts.status });
            listedCounts.push(listed.length);
            return listed;
          } finally {
            await client.close();
          }
        },
      },
    );
    expect(failures).toEqual([]);
    // The main account and its ten subaccounts, over four pages of three.
    expect(listedCounts).toEqual([11]);
    const log = (await (await fetch(`${emu.url}/__emulator/requests`)).json()) as { requests: { path: string }[] };
    expect(log.requests.filter((r) => r.path.startsWith('/2010-04-01/Accounts.json'))).toHaveLength(4);
    // Sorted by code unit: SIDs (upper-case AC) before friendly names. cust-1 is two subaccounts'
    // friendly name: both are named by SID.
    expect(targets.map((t) => t.name)).toEqual([
      `customers/${sid(1)}`,
      `customers/${sid(10)}`,
      'customers/cust-2',
      'customers/cust-3',
      'customers/cust-4',
      'customers/cust-5',
      'customers/cust-6',
      'customers/cust-7',
      'production',
    ]);
    // Each member's own credentials reach its own account on the emulator.
    const member = targets.find((t) => t.name === 'customers/cust-2');
    const { username, password } = member?.credentials({}) ?? { username: '', password: '' };
    const res = await fetch(`${emu.url}/v1/Sinks`, { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
    expect(res.status).toBe(200);
  });

  it('fails the fleet, not the run, when the parent credentials are refused', async () => {
    const emu = await emulator({ accountSid: MAIN, authToken: MAIN_TOKEN, seed: { sinks: [], subscriptions: [], accounts: [sub(1)] } });
    const { targets, failures } = await expandTargets(
      config([named('production')], [fleet('customers')]),
      { TWILIO_ACCOUNT_SID: MAIN, TWILIO_AUTH_TOKEN: 'wrong-token' },
      {
        listAccounts: async (_f, credentials) => {
          const client = new AccountsClient({ baseUrl: emu.url, ...credentials }, { sleep: async () => {} });
          try {
            return await client.listAccounts();
          } finally {
            await client.close();
          }
        },
      },
    );
    expect(targets.map((t) => t.name)).toEqual(['production']);
    expect(failures).toEqual([{ name: 'customers', error: expect.objectContaining({ code: 'TWILIO_API', message: expect.stringMatching(/^fleet customers: Twilio API error 20003 \(HTTP 401\)/) }) }]);
    expect(JSON.stringify(failures[0]?.error.message)).not.toContain('wrong-token');
  });
});
