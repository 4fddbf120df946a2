import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeed, startEmulator, type EmulatorSeed, type SeedAccount } from '../../src/emulator/index.js';
import { Sealer } from '../../src/emulator/seal.js';
import { basic, call, createSinkForm, emulator, KINESIS, SEGMENT, tempDir, WEBHOOK } from './helpers.js';

/** Accounts in seeds and state files (SPEC §14). */

const MAIN = 'AC' + '0'.repeat(32);
const sid = (n: number): string => 'AC' + n.toString(16).padStart(32, '0');
const token = (n: number): string => 'e'.repeat(24) + n.toString(16).padStart(8, '0');
const sinkSid = (n: number): string => 'DG' + n.toString(16).padStart(32, '0');
const DELIVERED = 'com.twilio.messaging.message.delivered';

function seedOf(accounts: SeedAccount[], main: Partial<EmulatorSeed> = {}): EmulatorSeed {
  return { sinks: [], subscriptions: [], ...main, accounts };
}

const auth = (n: number): string => basic(sid(n), token(n));

describe('seed accounts', () => {
  it('gives each seeded account its own sinks and subscriptions, and makes up what is left out', async () => {
    const emu = await emulator({
      seed: seedOf(
        [
          // A subaccount listed before its owner, a main account of the seed, is still its subaccount.
          { sid: sid(2), auth_token: token(2), friendly_name: 'cust-b', owner_account_sid: sid(3), sinks: [{ sid: sinkSid(2), description: 'b', sink_type: 'segment', sink_configuration: SEGMENT }] },
          { sid: sid(3), auth_token: token(3), friendly_name: 'staging', owner_account_sid: sid(3) },
          {
            sid: sid(1),
            auth_token: token(1),
            friendly_name: 'cust-a',
            owner_account_sid: MAIN,
            sinks: [{ sid: sinkSid(1), description: 'a', sink_type: 'webhook', sink_configuration: WEBHOOK }],
            subscriptions: [{ description: 'a-sub', sink_sid: sinkSid(1), types: [{ type: DELIVERED }] }],
          },
          { friendly_name: 'no credentials given', owner_account_sid: MAIN, status: 'suspended' },
        ],
        { sinks: [{ description: 'main', sink_type: 'webhook', sink_configuration: WEBHOOK }] },
      ),
    });
    expect(emu.accounts()).toEqual([
      { sid: MAIN, friendlyName: 'sinkops emulator', status: 'active' },
      { sid: sid(3), friendlyName: 'staging', status: 'active' },
      { sid: sid(2), friendlyName: 'cust-b', status: 'active', ownerAccountSid: sid(3) },
      { sid: sid(1), friendlyName: 'cust-a', status: 'active', ownerAccountSid: MAIN },
      { sid: expect.stringMatching(/^AC[0-9a-f]{32}$/), friendlyName: 'no credentials given', status: 'suspended', ownerAccountSid: MAIN },
    ]);
    expect((await call(emu, 'GET', '/v1/Sinks')).body.sinks.map((s: { description: string }) => s.description)).toEqual(['main']);
    expect((await call(emu, 'GET', '/v1/Sinks', undefined, auth(1))).body.sinks.map((s: { sid: string }) => s.sid)).toEqual([sinkSid(1)]);
    expect((await call(emu, 'GET', '/v1/Sinks?InUse=true', undefined, auth(1))).body.sinks).toHaveLength(1);
    expect((await call(emu, 'GET', '/v1/Subscriptions', undefined, auth(1))).body.subscriptions[0].description).toBe('a-sub');
    expect((await call(emu, 'GET', '/v1/Sinks', undefined, auth(2))).body.sinks[0].sink_configuration).toEqual(SEGMENT);
    expect((await call(emu, 'GET', '/v1/Sinks', undefined, auth(3))).body.sinks).toEqual([]);
    // The parent reads a made-up token from the Accounts API, as a fleet does.
    const listed = (await call(emu, 'GET', '/2010-04-01/Accounts.json?Status=suspended')).body.accounts;
    expect(listed[0].auth_token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports every problem with seeded accounts at once, naming the place of each', async () => {
    const seed = {
      sinks: [
        { sid: sinkSid(1), description: 'main 1', sink_type: 'webhook', sink_configuration: WEBHOOK },
        { sid: sinkSid(2), description: 'main 2', sink_type: 'webhook', sink_configuration: WEBHOOK },
      ],
      accounts: [
        { sid: 'AC123', friendly_name: '', colour: 'red' },
        { sid: MAIN, friendly_name: 'me' },
        { sid: sid(2), auth_token: 'not-hex', friendly_name: 'x'.repeat(65), status: 'paused', owner_account_sid: sid(9) },
        { sid: sid(2), friendly_name: 'twin', owner_account_sid: MAIN },
        { sid: sid(4), friendly_name: 'grandchild', owner_account_sid: sid(5) },
        { sid: sid(5), friendly_name: 'child', owner_account_sid: MAIN },
        {
          friendly_name: 'resources',
          owner_account_sid: 'AC1',
          sinks: [{ sid: sinkSid(1), description: 'again', sink_type: 'webhook', sink_configuration: { destination: 'nope' } }],
          subscriptions: [{ description: 's', sink_sid: sinkSid(2) }],
        },
        'not an account',
        { friendly_name: 'wrong shapes', sinks: {}, subscriptions: 'none' },
      ],
    };
    const error = await startEmulator({ seed: seed as unknown as EmulatorSeed }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG', message: 'seed is not valid' });
    expect((error as { details: string[] }).details).toEqual([
      'accounts[0].colour: unknown key',
      'accounts[0].sid: must be AC followed by 32 hexadecimal digits',
      'accounts[0].friendly_name: must be a non-empty string of at most 64 characters',
      `accounts[1].sid: ${MAIN} is the emulator's own account; its sinks and subscriptions go at the top of the seed`,
      'accounts[2].auth_token: must be 32 hexadecimal digits (an auth token as Twilio issues them)',
      'accounts[2].friendly_name: must be a non-empty string of at most 64 characters',
      'accounts[2].status: must be one of active, suspended, closed',
      `accounts[2].owner_account_sid: must be the emulator's own account (${MAIN}) or a main account of this seed, not ${sid(9)}`,
      `accounts[3].sid: ${sid(2)} is used twice`,
      `accounts[4].owner_account_sid: ${sid(5)} is a subaccount, and subaccounts cannot own accounts`,
      'accounts[6].owner_account_sid: must be AC followed by 32 hexadecimal digits',
      `accounts[6].sinks[0].sid: ${sinkSid(1)} is used twice`,
      'accounts[6].sinks[0].sink_configuration: destination must be an absolute http(s) URL',
      'accounts[6].subscriptions[0].sink_sid: must be the sid of a sink in this account',
      'accounts[7]: must be an object',
      'accounts[8].sinks: must be an array',
      'accounts[8].subscriptions: must be an array',
    ]);
    await expect(startEmulator({ seed: { sinks: [], subscriptions: [], accounts: {} as unknown as SeedAccount[] } })).rejects.toMatchObject({ details: ['accounts: must be an array'] });
  });

  it('checks owners outside the seed against the main account once it is known', async () => {
    const dir = await tempDir();
    const path = join(dir, 'seed.yaml');
    await writeFile(path, `accounts:\n  - sid: ${sid(1)}\n    friendly_name: cust-a\n    owner_account_sid: ${sid(7)}\n`);
    // Without the main account's SID, an owner outside the seed may be it…
    expect((await loadSeed(path)).accounts).toEqual([{ sid: sid(1), friendly_name: 'cust-a', owner_account_sid: sid(7) }]);
    // …and it is checked when the emulator starts.
    await expect(loadSeed(path, 'current', MAIN)).rejects.toMatchObject({ code: 'CONFIG', details: [expect.stringContaining('accounts[0].owner_account_sid: must be')] });
    const seed = await loadSeed(path);
    await expect(startEmulator({ seed })).rejects.toMatchObject({ code: 'CONFIG' });
    const emu = await emulator({ seed, accountSid: sid(7) });
    expect(emu.accounts()[1]).toEqual({ sid: sid(1), friendlyName: 'cust-a', status: 'active', ownerAccountSid: sid(7) });
  });

  it('loads 1,000 seeded accounts, each reachable with its own credentials', async () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => ({
      sid: sid(i + 1),
      auth_token: token(i + 1),
      friendly_name: `cust-${i + 1}`,
      owner_account_sid: MAIN,
      sinks: [{ sid: sinkSid(i + 1), description: `sink of ${i + 1}`, sink_type: 'webhook', sink_configuration: WEBHOOK }],
    }));
    const emu = await emulator({ seed: seedOf(accounts) });
    for (const n of [1, 500, 1000]) {
      expect((await call(emu, 'GET', '/v1/Sinks', undefined, auth(n))).body.sinks.map((s: { sid: string }) => s.sid)).toEqual([sinkSid(n)]);
    }
    expect(emu.accounts()).toHaveLength(1001);
  });
});

describe('state file with accounts', () => {
  it('keeps every account, its credentials and its sinks across a restart, with tokens sealed on disk', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const seed = seedOf([
      { sid: sid(1), auth_token: token(1), friendly_name: 'cust-a', owner_account_sid: MAIN, status: 'suspended' },
      { sid: sid(2), auth_token: token(2), friendly_name: 'staging' },
    ]);
    const first = await startEmulator({ statePath, seed });
    const created = (await call(first, 'POST', '/2010-04-01/Accounts.json', { FriendlyName: 'cust-b' })).body;
    const createdAuth = basic(created.sid, created.auth_token);
    const kinesis = (await call(first, 'POST', '/v1/Sinks', createSinkForm('k', 'kinesis', KINESIS), createdAuth)).body;
    const added = await first.addAccount({ friendlyName: 'cust-c', ownerAccountSid: sid(2) });
    await call(first, 'POST', '/v1/Sinks', createSinkForm('c', 'segment', SEGMENT), basic(added.sid, added.authToken));
    const before = first.accounts();
    await first.close();

    const text = await readFile(statePath, 'utf8');
    for (const secret of [token(1), token(2), created.auth_token, added.authToken, KINESIS.external_id, SEGMENT.write_key]) expect(text).not.toContain(secret);
    const onDisk = JSON.parse(text) as { version: number; account_sid: string; accounts: { sid: string; owner_account_sid: string | null }[] };
    expect(onDisk.version).toBe(2);
    expect(onDisk.account_sid).toBe(MAIN);
    expect(onDisk.accounts.map((a) => [a.sid, a.owner_account_sid])).toEqual([
      [sid(1), MAIN],
      [sid(2), null],
      [created.sid, MAIN],
      [added.sid, sid(2)],
    ]);

    // The seed is not applied again: the state file holds the accounts now.
    const second = await emulator({ statePath, seed: seedOf([{ friendly_name: 'never', owner_account_sid: MAIN }]) });
    expect(second.accounts()).toEqual(before);
    const sinks = (await call(second, 'GET', '/v1/Sinks', undefined, createdAuth)).body.sinks;
    expect(sinks.map((s: { sid: string; sink_configuration: unknown }) => [s.sid, s.sink_configuration])).toEqual([[kinesis.sid, KINESIS]]);
    expect((await call(second, 'GET', '/v1/Sinks', undefined, basic(added.sid, added.authToken))).body.sinks).toHaveLength(1);
    expect((await call(second, 'GET', '/v1/Sinks', undefined, auth(1))).status).toBe(401); // still suspended
    expect((await call(second, 'GET', '/v1/Sinks', undefined, auth(2))).status).toBe(200);
    expect((await call(second, 'GET', '/v1/Sinks')).body.sinks).toEqual([]);
  });

  it('writes an added account before addAccount resolves', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const emu = await emulator({ statePath });
    const added = await emu.addAccount({ friendlyName: 'right away', ownerAccountSid: emu.accountSid });
    const onDisk = JSON.parse(await readFile(statePath, 'utf8')) as { accounts: { sid: string; friendly_name: string }[] };
    expect(onDisk.accounts).toEqual([expect.objectContaining({ sid: added.sid, friendly_name: 'right away' })]);
  });

  it('loads a state file of the one-account format (version 1), and writes version 2 after', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'old.json');
    const authToken = 'old-emulator-token';
    // What the emulator wrote before it served many accounts, field for field.
    const sealer = await Sealer.derive(authToken);
    const date = '2025-01-02T03:04:05Z';
    await writeFile(
      statePath,
      JSON.stringify({
        format: 'sinkops-emulator-state',
        version: 1,
        seal: { alg: 'aes-256-gcm', kdf: 'scrypt', salt: sealer.salt.toString('base64') },
        sinks: [{ sid: sinkSid(1), description: 'old', sink_type: 'kinesis', sink_configuration_sealed: sealer.seal(KINESIS), status: 'active', date_created: date, date_updated: date, test_events: [] }],
        subscriptions: [{ sid: 'DF' + '1'.repeat(32), description: 'old sub', sink_sid: sinkSid(1), types: [{ type: DELIVERED, schema_version: 1 }], date_created: date, date_updated: date }],
      }) + '\n',
    );
    const emu = await startEmulator({ statePath, authToken });
    expect(emu.accounts()).toEqual([{ sid: MAIN, friendlyName: 'sinkops emulator', status: 'active' }]);
    const sinks = (await call(emu, 'GET', '/v1/Sinks')).body.sinks;
    expect(sinks).toEqual([expect.objectContaining({ sid: sinkSid(1), description: 'old', sink_configuration: KINESIS, date_created: date })]);
    expect((await call(emu, 'GET', '/v1/Subscriptions')).body.subscriptions[0].description).toBe('old sub');
    await emu.addAccount({ friendlyName: 'new', ownerAccountSid: MAIN });
    await emu.close();

    const rewritten = JSON.parse(await readFile(statePath, 'utf8')) as { version: number; sinks: unknown[]; accounts: unknown[] };
    expect(rewritten.version).toBe(2);
    expect(rewritten.sinks).toHaveLength(1);
    expect(rewritten.accounts).toHaveLength(1);
    const again = await emulator({ statePath, authToken });
    expect(again.accounts().map((a) => a.friendlyName)).toEqual(['sinkops emulator', 'new']);
  });

  it('keeps the main account’s subaccounts when it restarts under another account SID with the same token', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const first = await startEmulator({ statePath });
    const child = await first.addAccount({ friendlyName: 'child', ownerAccountSid: first.accountSid });
    await first.close();
    const second = await emulator({ statePath, accountSid: sid(77) });
    expect(second.accounts()).toEqual([
      { sid: sid(77), friendlyName: 'sinkops emulator', status: 'active' },
      { sid: child.sid, friendlyName: 'child', status: 'active', ownerAccountSid: sid(77) },
    ]);
  });

  it('refuses damaged accounts, or tokens sealed under another main token, with a clear error', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'state.json');
    const first = await startEmulator({ statePath, authToken: 'token-one' });
    await first.addAccount({ friendlyName: 'child', ownerAccountSid: first.accountSid });
    await first.close();
    await expect(startEmulator({ statePath, authToken: 'token-two' })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('another auth token') });

    const good = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, any>;
    const broken: [(state: Record<string, any>) => void, string][] = [
      [(s) => (s['accounts'] = {}), 'accounts must be an array'],
      [(s) => (s['accounts'][0].sid = 'AC1'), 'accounts[0].sid is not an account SID'],
      [(s) => (s['accounts'][0].status = 'paused'), 'accounts[0].status paused is unknown'],
      [(s) => (s['accounts'][0].sinks = [{ sid: 'x' }]), 'accounts[0].sinks[0].sid is not a sink SID'],
      [(s) => (s['accounts'][0].owner_account_sid = sid(5)), `account ${good['accounts'][0].sid} cannot be loaded (ownerAccountSid ${sid(5)} is not an account of this emulator)`],
      [(s) => delete s['account_sid'], 'account_sid must be a string'],
      [(s) => (s['version'] = 3), 'version 3 is not supported (expected 1 or 2)'],
    ];
    for (const [damage, message] of broken) {
      const state = structuredClone(good);
      damage(state);
      await writeFile(statePath, JSON.stringify(state));
      await expect(startEmulator({ statePath, authToken: 'token-one' })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining(message) });
    }
  });
});
