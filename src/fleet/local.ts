/**
 * `--local` with `sinkops.yaml` (SPEC §14): every account of the repository in the embedded local
 * account's emulator, so plan → apply → plan runs offline for a fleet too. Each named account is
 * an account of its own there; each fleet a parent account with a few subaccounts whose friendly
 * names match its filter, found through the Accounts API as a real fleet is. Credentials are
 * derived from the names (test values that never leave this machine) and reach the accounts
 * through the variables sinkops.yaml names, so the run reads them as it reads real ones.
 */
import { createHash } from 'node:crypto';
import type { CredentialNames, FleetSpec, RepoConfig } from '../accounts/model.js';
import { openLocalAccount } from '../local/local-account.js';
import type { Logger } from '../log/logger.js';

/** Subaccounts a local fleet starts with, when its parent has none. */
const LOCAL_FLEET_SIZE = 3;

export interface LocalAccounts {
  /** The emulator's origin: both the Events API and the Accounts API. */
  readonly baseUrl: string;
  /** Values for the credential variables sinkops.yaml names (over the real environment). */
  readonly env: Readonly<Record<string, string>>;
  readonly displayPath: string;
  close(): Promise<void>;
}

function hex32(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** A local account's SID and token, the same on every run for the same name. */
function localCredentials(name: string): { sid: string; authToken: string } {
  const sid = `AC${hex32(`sinkops-local-account:${name}`)}`;
  return { sid, authToken: hex32(`sinkops-local-token:${sid}`) };
}

/** The variables named for one account, set to its local SID and token (whichever pair they name). */
function credentialEnv(names: CredentialNames, sid: string, token: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (names.account_sid !== undefined) env[names.account_sid] = sid;
  if (names.auth_token !== undefined) env[names.auth_token] = token;
  if (names.api_key !== undefined) env[names.api_key] = sid;
  if (names.api_secret !== undefined) env[names.api_secret] = token;
  return env;
}

/** `cust-*` → cust-1, cust-2, cust-3; a pattern without `*` names one subaccount. */
export function localFleetNames(fleet: Pick<FleetSpec, 'name' | 'subaccounts'>): string[] {
  const pattern = fleet.subaccounts.friendly_name ?? `${fleet.name}-*`;
  if (!pattern.includes('*')) return [pattern.replace(/\?/g, 'x')];
  return Array.from({ length: LOCAL_FLEET_SIZE }, (_, i) => pattern.replace(/\*/g, String(i + 1)).replace(/\?/g, 'x'));
}

export async function openLocalAccounts(cwd: string, logger: Logger, config: RepoConfig): Promise<LocalAccounts> {
  const local = await openLocalAccount(cwd, logger, []);
  try {
    const emulator = local.emulator;
    const known = new Set(emulator.accounts().map((a) => a.sid));
    const env: Record<string, string> = {};
    const ensure = async (name: string, owner?: string): Promise<{ sid: string; authToken: string }> => {
      const credentials = localCredentials(owner === undefined ? name : `${owner}/${name}`);
      if (!known.has(credentials.sid)) {
        await emulator.addAccount({ ...credentials, friendlyName: name, ...(owner === undefined ? {} : { ownerAccountSid: owner }) });
        known.add(credentials.sid);
      }
      return credentials;
    };
    for (const account of config.accounts) {
      const { sid, authToken } = await ensure(account.name);
      Object.assign(env, credentialEnv(account.credentials, sid, authToken));
    }
    for (const fleet of config.fleets) {
      const parent = await ensure(`fleet ${fleet.name}`);
      Object.assign(env, credentialEnv(fleet.parent, parent.sid, parent.authToken));
      const hasMembers = emulator.accounts().some((a) => a.ownerAccountSid === parent.sid);
      if (!hasMembers) for (const name of localFleetNames(fleet)) await ensure(name, parent.sid);
    }
    return { baseUrl: local.config.baseUrl, env, displayPath: local.displayPath, close: () => local.close() };
  } catch (e) {
    await local.close();
    throw e;
  }
}
