/**
 * The targets of a run (SPEC §14): each named account as declared, and each fleet expanded into
 * its members — the parent's subaccounts, listed through the Accounts API, that pass the fleet's
 * filter. One fleet that cannot be listed (its parent's variables not set, bad credentials, an
 * outage) is a failure named after it; the accounts and the other fleets go on.
 */
import { SinkopsError, isSinkopsError } from '../errors.js';
import { compareText } from '../plan/order.js';
import { ACCOUNT_SID, type RemoteAccount } from '../twilio/accounts-api.js';
import { resolveCredentials, type Env } from './credentials.js';
import { globMatch } from './glob.js';
import { DEFAULT_SUBACCOUNT_STATUS, type AccountCredentials, type AccountTarget, type FleetSpec, type NamedAccountSpec, type RepoConfig } from './model.js';

export interface ExpandDeps {
  /** The fleets to list (fleetsNeeded): default every fleet. */
  readonly fleets?: readonly FleetSpec[];
  /** The accounts the parent's credentials see (AccountsClient.listAccounts); a SinkopsError fails that fleet alone. */
  listAccounts(fleet: FleetSpec, credentials: AccountCredentials): Promise<readonly RemoteAccount[]>;
}

export interface ExpandFailure {
  /** The fleet's name, or a member's when only that member is unusable. */
  readonly name: string;
  readonly error: SinkopsError;
}

export interface Expansion {
  /** Sorted by name. */
  readonly targets: AccountTarget[];
  /** Sorted by name. */
  readonly failures: ExpandFailure[];
}

/** A friendly name that can be the second half of a member's name as it is. */
const NAME_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function compareNames(a: { readonly name: string }, b: { readonly name: string }): number {
  return compareText(a.name, b.name);
}

function namedTarget(spec: NamedAccountSpec): AccountTarget {
  // Only names are held: the values are read from the environment at each call.
  return {
    name: spec.name,
    dir: spec.dir,
    credentials: (env) => resolveCredentials(`account ${spec.name}`, spec.credentials, spec.credentialsAt, env),
  };
}

function memberTarget(fleet: FleetSpec, name: string, account: RemoteAccount, token: string): AccountTarget {
  const credentials: AccountCredentials = { username: account.sid, password: token, accountSid: account.sid };
  // The token lives in this closure, not in a field: JSON.stringify and util.inspect never see it.
  return { name, dir: fleet.dir, fleet: fleet.name, vars: { sid: account.sid, friendly_name: account.friendly_name }, credentials: () => credentials };
}

/**
 * `<fleet>/<friendly name>` where the friendly name is a usable name segment, is not shaped like
 * a SID (it could be another member's), and is unique in the fleet (without regard to case: two
 * names differing only in case would collide in file systems and matrices); `<fleet>/<sid>` for
 * everyone else. Either way the name is plain ASCII from a fixed alphabet: safe on any terminal.
 */
export function memberNames(fleet: string, accounts: readonly Pick<RemoteAccount, 'sid' | 'friendly_name'>[]): Map<string, string> {
  const usable = (a: Pick<RemoteAccount, 'friendly_name'>): boolean => NAME_SEGMENT.test(a.friendly_name) && !ACCOUNT_SID.test(a.friendly_name);
  const uses = new Map<string, number>();
  for (const a of accounts) if (usable(a)) uses.set(a.friendly_name.toLowerCase(), (uses.get(a.friendly_name.toLowerCase()) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const a of accounts) {
    const unique = usable(a) && uses.get(a.friendly_name.toLowerCase()) === 1;
    names.set(a.sid, `${fleet}/${unique ? a.friendly_name : a.sid}`);
  }
  return names;
}

/** A fleet's failure, saying whose credentials listed it: a 401's own hint names the default variables. */
function fleetFailure(fleet: FleetSpec, error: SinkopsError): ExpandFailure {
  const variables = Object.values(fleet.parent).join(', ');
  const at = `${fleet.parentAt.file}:${fleet.parentAt.line}:${fleet.parentAt.column}`;
  const hint = `Fleet ${fleet.name} lists its subaccounts with the parent credentials in ${variables} (${at}).`;
  if (error.code === 'CONFIG') return { name: fleet.name, error };
  return { name: fleet.name, error: new SinkopsError(error.code, `fleet ${fleet.name}: ${error.message}`, { details: [...error.details, hint], cause: error }) };
}

async function expandFleet(fleet: FleetSpec, env: Env, deps: ExpandDeps): Promise<{ targets: AccountTarget[]; failures: ExpandFailure[] }> {
  let listed: readonly RemoteAccount[];
  let parentSid: string;
  try {
    const credentials = resolveCredentials(`fleet ${fleet.name}`, fleet.parent, fleet.parentAt, env);
    if (credentials.accountSid === undefined) {
      throw new SinkopsError('CONFIG', `fleet ${fleet.name}: its parent credentials name no account_sid, so its subaccounts cannot be told from others`);
    }
    parentSid = credentials.accountSid.toUpperCase();
    listed = await deps.listAccounts(fleet, credentials);
  } catch (e) {
    if (!isSinkopsError(e)) throw e;
    return { targets: [], failures: [fleetFailure(fleet, e)] };
  }
  const status = fleet.subaccounts.status ?? DEFAULT_SUBACCOUNT_STATUS;
  const pattern = fleet.subaccounts.friendly_name;
  const seen = new Set<string>();
  const members = listed.filter((a) => {
    const sid = a.sid.toUpperCase();
    if (seen.has(sid)) return false;
    seen.add(sid);
    return (
      a.owner_account_sid.toUpperCase() === parentSid &&
      sid !== parentSid &&
      a.status === status &&
      (pattern === undefined || globMatch(pattern, a.friendly_name))
    );
  });
  const names = memberNames(fleet.name, members);
  const targets: AccountTarget[] = [];
  const failures: ExpandFailure[] = [];
  for (const account of members) {
    const name = names.get(account.sid) ?? `${fleet.name}/${account.sid}`;
    if (account.auth_token === undefined) {
      failures.push({ name, error: new SinkopsError('TWILIO_API', `${name}: the Accounts API listed subaccount ${account.sid} without its auth token, so sinkops cannot act on it`) });
      continue;
    }
    targets.push(memberTarget(fleet, name, account, account.auth_token));
  }
  return { targets, failures };
}

/**
 * Every target of `config`: its named accounts and the members of its fleets (`deps.fleets`, or
 * all), sorted by name. Fleets are listed concurrently; an error that is not a SinkopsError is a
 * bug and is thrown.
 */
export async function expandTargets(config: RepoConfig, env: Env, deps: ExpandDeps): Promise<Expansion> {
  const fleets = await Promise.all((deps.fleets ?? config.fleets).map((fleet) => expandFleet(fleet, env, deps)));
  const targets = [...config.accounts.map(namedTarget), ...fleets.flatMap((f) => f.targets)].sort(compareNames);
  const failures = fleets.flatMap((f) => f.failures).sort(compareNames);
  return { targets, failures };
}
