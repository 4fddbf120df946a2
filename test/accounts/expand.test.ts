import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expandTargets, memberNames } from '../../src/accounts/expand.js';
import type { AccountCredentials, FleetSpec } from '../../src/accounts/model.js';
import { SinkopsError } from '../../src/errors.js';
import { terminalSafe } from '../../src/terminal-safe.js';
import type { RemoteAccount } from '../../src/twilio/accounts-api.js';
import { accountSid, config, fleet, named, PARENT_ENV, PARENT_SID, parentAccount, subaccount } from './helpers.js';

/** A listAccounts that serves `accounts` to every fleet and records what it was asked. */
function lister(accounts: readonly RemoteAccount[] | ((fleet: FleetSpec) => readonly RemoteAccount[] | Promise<never>)) {
  const calls: { fleet: string; credentials: AccountCredentials }[] = [];
  return {
    calls,
    listAccounts: async (f: FleetSpec, credentials: AccountCredentials): Promise<readonly RemoteAccount[]> => {
      calls.push({ fleet: f.name, credentials });
      return typeof accounts === 'function' ? accounts(f) : accounts;
    },
  };
}

describe('expandTargets: named accounts', () => {
  it('keeps them as declared, sorted by name, credentials read from the variables sinkops.yaml names', async () => {
    const deps = lister([]);
    const { targets, failures } = await expandTargets(config([named('staging'), named('production', { credentials: { api_key: 'PK', api_secret: 'PS' } })]), {}, deps);
    expect(failures).toEqual([]);
    expect(deps.calls).toEqual([]);
    expect(targets.map((t) => [t.name, t.dir, t.fleet, t.vars])).toEqual([
      ['production', 'sinks/production', undefined, undefined],
      ['staging', 'sinks/staging', undefined, undefined],
    ]);
    const [production, staging] = targets;
    expect(production?.credentials({ PK: 'SKkey', PS: ' secret ' })).toEqual({ username: 'SKkey', password: 'secret' });
    expect(staging?.credentials({ STAGING_TWILIO_ACCOUNT_SID: accountSid(7), STAGING_TWILIO_AUTH_TOKEN: 'tok' })).toEqual({ username: accountSid(7), password: 'tok', accountSid: accountSid(7) });
  });

  it('names the account and the variables that are not set, and where, never a value', async () => {
    const { targets } = await expandTargets(config([named('staging')]), {}, lister([]));
    const staging = targets[0];
    expect(() => staging?.credentials({ STAGING_TWILIO_ACCOUNT_SID: accountSid(7), STAGING_TWILIO_AUTH_TOKEN: '' })).toThrowError(
      expect.objectContaining({ code: 'CONFIG', message: 'account staging: STAGING_TWILIO_AUTH_TOKEN is not set (sinkops.yaml:4:5)' }),
    );
    expect(() => staging?.credentials({})).toThrowError('account staging: STAGING_TWILIO_ACCOUNT_SID and STAGING_TWILIO_AUTH_TOKEN are not set (sinkops.yaml:4:5)');
    const bad = (() => {
      try {
        staging?.credentials({ STAGING_TWILIO_ACCOUNT_SID: 'not-a-sid-SECRETISH', STAGING_TWILIO_AUTH_TOKEN: 'tok-SECRET' });
      } catch (e) {
        return e as SinkopsError;
      }
      return undefined;
    })();
    expect(bad?.message).toBe('account staging: STAGING_TWILIO_ACCOUNT_SID does not hold an Account SID (AC followed by 32 hexadecimal digits) (sinkops.yaml:4:5)');
    expect(`${bad?.message} ${bad?.details.join(' ')}`).not.toMatch(/SECRET/);
  });

  it('reads the variables at each call, not once', async () => {
    const { targets } = await expandTargets(config([named('a')]), {}, lister([]));
    expect(JSON.stringify(targets)).toBe('[{"name":"a","dir":"sinks/a"}]');
    expect(targets[0]?.credentials({ A_TWILIO_ACCOUNT_SID: accountSid(1), A_TWILIO_AUTH_TOKEN: 'one' }).password).toBe('one');
    expect(targets[0]?.credentials({ A_TWILIO_ACCOUNT_SID: accountSid(1), A_TWILIO_AUTH_TOKEN: 'two' }).password).toBe('two');
  });
});

describe('expandTargets: fleets', () => {
  it("lists the parent's accounts with its credentials and keeps its active subaccounts that match, named and sorted", async () => {
    const deps = lister([
      parentAccount(),
      subaccount(3, { friendly_name: 'cust-b' }),
      subaccount(1, { friendly_name: 'cust-a' }),
      subaccount(2, { friendly_name: 'other' }),
      subaccount(4, { friendly_name: 'cust-c', status: 'suspended' }),
      subaccount(5, { friendly_name: 'cust-d', owner_account_sid: accountSid(99) }),
    ]);
    const cfg = config([named('production')], [fleet('customers', { subaccounts: { friendly_name: 'cust-*' } })]);
    const { targets, failures } = await expandTargets(cfg, PARENT_ENV, deps);
    expect(failures).toEqual([]);
    expect(deps.calls).toEqual([{ fleet: 'customers', credentials: { username: PARENT_SID, password: 'parent-token', accountSid: PARENT_SID } }]);
    expect(targets.map((t) => [t.name, t.dir, t.fleet, t.vars])).toEqual([
      ['customers/cust-a', 'sinks/customers', 'customers', { sid: accountSid(1), friendly_name: 'cust-a' }],
      ['customers/cust-b', 'sinks/customers', 'customers', { sid: accountSid(3), friendly_name: 'cust-b' }],
      ['production', 'sinks/production', undefined, undefined],
    ]);
    expect(targets[0]?.credentials({})).toEqual({ username: accountSid(1), password: 'token-1', accountSid: accountSid(1) });
  });

  it('takes the status the filter names, and compares SIDs without regard to case', async () => {
    const deps = lister([subaccount(4, { status: 'suspended', owner_account_sid: `AC${'F'.repeat(32)}` }), subaccount(5)]);
    const { targets } = await expandTargets(config([], [fleet('paused', { subaccounts: { status: 'suspended' } })]), PARENT_ENV, deps);
    expect(targets.map((t) => t.name)).toEqual(['paused/cust-4']);
  });

  it('keeps each subaccount once, and never takes the parent for one of its members', async () => {
    const deps = lister([parentAccount(), subaccount(1), subaccount(1)]);
    const { targets } = await expandTargets(config([], [fleet('customers')]), PARENT_ENV, deps);
    expect(targets.map((t) => t.name)).toEqual(['customers/cust-1']);
  });

  it('hides every member token from JSON.stringify and inspection', async () => {
    const deps = lister([subaccount(1, { auth_token: 'member-SECRET-token' })]);
    const { targets } = await expandTargets(config([], [fleet('customers')]), PARENT_ENV, deps);
    expect(JSON.stringify(targets)).not.toContain('SECRET');
    expect(inspect(targets, { depth: 10, showHidden: false })).not.toContain('SECRET');
    expect(targets[0]?.credentials({}).password).toBe('member-SECRET-token');
  });

  it('fails a fleet alone when its parent variables are not set, naming the fleet and the variables', async () => {
    const deps = lister([subaccount(1)]);
    const cfg = config([named('production')], [fleet('customers'), fleet('partners', { parent: { account_sid: 'P_SID', auth_token: 'P_TOKEN' } })]);
    const { targets, failures } = await expandTargets(cfg, PARENT_ENV, deps);
    expect(targets.map((t) => t.name)).toEqual(['customers/cust-1', 'production']);
    expect(failures).toEqual([{ name: 'partners', error: expect.objectContaining({ code: 'CONFIG', message: 'fleet partners: P_SID and P_TOKEN are not set (sinkops.yaml:11:5)' }) }]);
    expect(deps.calls.map((c) => c.fleet)).toEqual(['customers']);
  });

  it('fails a fleet alone when it cannot be listed, saying whose credentials listed it', async () => {
    const deps = lister((f) => (f.name === 'broken' ? Promise.reject(new SinkopsError('TWILIO_API', 'Twilio API error 20003 (HTTP 401): Authenticate', { details: ['Check the credentials.'] })) : [subaccount(1)]));
    const { targets, failures } = await expandTargets(config([], [fleet('broken'), fleet('customers')]), PARENT_ENV, deps);
    expect(targets.map((t) => t.name)).toEqual(['customers/cust-1']);
    expect(failures).toEqual([
      {
        name: 'broken',
        error: expect.objectContaining({
          code: 'TWILIO_API',
          message: 'fleet broken: Twilio API error 20003 (HTTP 401): Authenticate',
          details: ['Check the credentials.', 'Fleet broken lists its subaccounts with the parent credentials in TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (sinkops.yaml:11:5).'],
        }),
      },
    ]);
  });

  it('throws what is not a SinkopsError: a bug is not an account failure', async () => {
    const deps = lister(() => Promise.reject(new TypeError('bug')));
    await expect(expandTargets(config([], [fleet('customers')]), PARENT_ENV, deps)).rejects.toThrow(TypeError);
  });

  it('lists only the fleets asked for', async () => {
    const deps = lister([subaccount(1)]);
    const cfg = config([named('production')], [fleet('a'), fleet('b')]);
    const { targets } = await expandTargets(cfg, PARENT_ENV, { ...deps, fleets: [] });
    expect(targets.map((t) => t.name)).toEqual(['production']);
    expect(deps.calls).toEqual([]);
  });

  it('fails a member the Accounts API listed without a token, and only that member', async () => {
    const deps = lister([subaccount(1), subaccount(2, { auth_token: null })]);
    const { targets, failures } = await expandTargets(config([], [fleet('customers')]), PARENT_ENV, deps);
    expect(targets.map((t) => t.name)).toEqual(['customers/cust-1']);
    expect(failures).toEqual([{ name: 'customers/cust-2', error: expect.objectContaining({ code: 'TWILIO_API' }) }]);
  });

  it('needs the parent Account SID with an API key too (a spec built by hand may lack it)', async () => {
    const deps = lister([subaccount(1)]);
    const cfg = config([], [fleet('customers', { parent: { api_key: 'K', api_secret: 'S' } })]);
    const { failures } = await expandTargets(cfg, { K: 'SK1', S: 'sec' }, deps);
    expect(failures[0]?.error.message).toMatch(/^fleet customers: its parent credentials name no account_sid/);
  });
});

describe('memberNames', () => {
  const sids = Array.from({ length: 10 }, (_, i) => accountSid(i + 1));

  it('uses the friendly name when it is a usable, unique name segment, otherwise the SID', () => {
    const names = memberNames('f', [
      { sid: sids[0] as string, friendly_name: 'Cust.A_1-x' },
      { sid: sids[1] as string, friendly_name: 'dup' },
      { sid: sids[2] as string, friendly_name: 'DUP' },
      { sid: sids[3] as string, friendly_name: 'has space' },
      { sid: sids[4] as string, friendly_name: 'a/b' },
      { sid: sids[5] as string, friendly_name: '' },
      { sid: sids[6] as string, friendly_name: '..' },
      { sid: sids[7] as string, friendly_name: 'x'.repeat(65) },
      { sid: sids[8] as string, friendly_name: sids[0] as string },
      { sid: sids[9] as string, friendly_name: '-lead' },
    ]);
    expect([...names.values()]).toEqual([
      'f/Cust.A_1-x',
      `f/${sids[1]}`,
      `f/${sids[2]}`,
      `f/${sids[3]}`,
      `f/${sids[4]}`,
      `f/${sids[5]}`,
      `f/${sids[6]}`,
      `f/${sids[7]}`,
      `f/${sids[8]}`,
      `f/${sids[9]}`,
    ]);
  });

  it('never lets a hostile friendly name into a name, so names are terminal-safe', () => {
    const hostile = ['\u001b[31mred', 'a\nb', 'x\u202eevil', 'zero\u200bwidth', 'tab\t', 'é', '\u0000', 'ok\r'];
    const names = memberNames('f', hostile.map((friendly_name, i) => ({ sid: accountSid(i + 1), friendly_name })));
    for (const name of names.values()) {
      expect(terminalSafe(name)).toBe(name);
      expect(name).toMatch(/^f\/AC[0-9a-f]{32}$/);
    }
  });
});
