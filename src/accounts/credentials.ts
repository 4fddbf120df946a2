/**
 * A named account's (or a fleet parent's) credentials, read from the environment variables that
 * sinkops.yaml names. Errors name the account and the variables, and where sinkops.yaml names
 * them — never a value: `account staging: STAGING_TWILIO_AUTH_TOKEN is not set (sinkops.yaml:7:5)`.
 */
import { SinkopsError } from '../errors.js';
import { ACCOUNT_SID } from '../twilio/accounts-api.js';
import type { AccountCredentials, CredentialNames, SourceSpot } from './model.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** An unset variable and an empty (or blank) one are the same: not set (an unavailable GitHub secret is empty). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `A`, `A and B`, `A, B and C`. */
function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function spot(at: SourceSpot): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/**
 * The Basic-auth credentials that `names` point to. `owner` says whose they are in messages
 * (`account staging`, `fleet customers`). With an API key the key SID is the user name; with an
 * auth token the Account SID is. Every variable named must be set, and an account_sid must hold an
 * Account SID (checked here: sent as a user name, a wrong one only says "401").
 */
export function resolveCredentials(owner: string, names: CredentialNames, at: SourceSpot, env: Env): AccountCredentials {
  const named = (['api_key', 'api_secret', 'account_sid', 'auth_token'] as const).flatMap((key) => {
    const variable = names[key];
    return variable === undefined ? [] : [{ key, variable, value: read(env, variable) }];
  });
  const unset = named.filter((n) => n.value === undefined).map((n) => n.variable);
  if (unset.length > 0) {
    throw new SinkopsError('CONFIG', `${owner}: ${list(unset)} ${unset.length === 1 ? 'is' : 'are'} not set (${spot(at)})`, {
      details: [`Set ${unset.length === 1 ? 'it' : 'them'} in the environment (in GitHub Actions, from secrets, in the job's env).`],
    });
  }
  const value = (key: keyof CredentialNames): string | undefined => named.find((n) => n.key === key)?.value;
  const accountSid = value('account_sid');
  if (accountSid !== undefined && !ACCOUNT_SID.test(accountSid)) {
    throw new SinkopsError('CONFIG', `${owner}: ${names.account_sid ?? 'account_sid'} does not hold an Account SID (AC followed by 32 hexadecimal digits) (${spot(at)})`);
  }
  const key = value('api_key');
  const secret = value('api_secret');
  if (key !== undefined && secret !== undefined) {
    return accountSid === undefined ? { username: key, password: secret } : { username: key, password: secret, accountSid };
  }
  const token = value('auth_token');
  if (accountSid !== undefined && token !== undefined) return { username: accountSid, password: token, accountSid };
  // sinkops.yaml was checked for a complete pair; a spec built by hand may not have one.
  throw new SinkopsError('CONFIG', `${owner}: its credentials name no complete pair (api_key and api_secret, or account_sid and auth_token) (${spot(at)})`);
}
