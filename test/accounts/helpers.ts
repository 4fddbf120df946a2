/** Builders for the accounts tests: specs as loadRepoConfig makes them, accounts as the Accounts API lists them. */
import type { FleetSpec, NamedAccountSpec, RepoConfig } from '../../src/accounts/model.js';
import { toRemoteAccount, type RemoteAccount } from '../../src/twilio/accounts-api.js';

export const PARENT_SID = `AC${'f'.repeat(32)}`;

export function spot(line: number, column = 5): { file: string; line: number; column: number } {
  return { file: 'sinkops.yaml', line, column };
}

export function named(name: string, overrides: Partial<NamedAccountSpec> = {}): NamedAccountSpec {
  const prefix = name.toUpperCase().replace(/-/g, '_');
  return {
    name,
    dir: `sinks/${name}`,
    credentials: { account_sid: `${prefix}_TWILIO_ACCOUNT_SID`, auth_token: `${prefix}_TWILIO_AUTH_TOKEN` },
    at: spot(2),
    credentialsAt: spot(4),
    ...overrides,
  };
}

export function fleet(name: string, overrides: Partial<FleetSpec> = {}): FleetSpec {
  return {
    name,
    dir: `sinks/${name}`,
    parent: { account_sid: 'TWILIO_ACCOUNT_SID', auth_token: 'TWILIO_AUTH_TOKEN' },
    subaccounts: {},
    at: spot(9),
    parentAt: spot(11),
    ...overrides,
  };
}

export function config(accounts: NamedAccountSpec[], fleets: FleetSpec[] = []): RepoConfig {
  return { file: 'sinkops.yaml', accounts, fleets };
}

export function accountSid(n: number): string {
  return `AC${n.toString(16).padStart(32, '0')}`;
}

/** A subaccount of PARENT_SID as the Accounts API lists it (its token hidden as the client hides it). */
export function subaccount(n: number, overrides: Record<string, unknown> = {}): RemoteAccount {
  return toRemoteAccount({
    sid: accountSid(n),
    friendly_name: `cust-${n}`,
    status: 'active',
    owner_account_sid: PARENT_SID,
    auth_token: `token-${n}`,
    ...overrides,
  });
}

/** The parent as the Accounts API lists it: its own owner. */
export function parentAccount(): RemoteAccount {
  return toRemoteAccount({ sid: PARENT_SID, friendly_name: 'Main', status: 'active', owner_account_sid: PARENT_SID, auth_token: 'parent-token' });
}

export const PARENT_ENV = { TWILIO_ACCOUNT_SID: PARENT_SID, TWILIO_AUTH_TOKEN: 'parent-token' };
