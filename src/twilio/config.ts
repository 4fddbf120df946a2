import { SinkopsError } from '../errors.js';

/** Everything the Twilio client needs; built from the environment by `configFromEnv`. */
export interface TwilioConfig {
  /** The API origin, for example `https://events.twilio.com` (no trailing slash, no path). */
  readonly baseUrl: string;
  /** HTTP Basic user: the Account SID, or the API key SID. */
  readonly username: string;
  /** HTTP Basic password: the auth token, or the API key secret. */
  readonly password: string;
  /**
   * Set with an auth token (it is the user name). Optional with an API key: the Events API paths
   * carry no account SID, so a key pair alone is enough (SPEC §12).
   */
  readonly accountSid?: string;
  /** Per-request limit, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number;
  /** Attempts after the first one, shared by every kind of retry of one call. */
  readonly maxRetries: number;
  /** `PageSize` for lists; 1000 is Twilio's maximum. */
  readonly pageSize: number;
}

export const DEFAULT_BASE_URL = 'https://events.twilio.com';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_PAGE_SIZE = 1000;
/**
 * A page of 1,000 sinks is about 1 MB of JSON, and no other answer comes near it; 32 MiB is far
 * beyond any real answer and still a bounded cost when a server (or a proxy) sends without end.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** 1,000 pages of 1,000 is a million sinks; real accounts hold at most 100 (SPEC §12). */
export const DEFAULT_MAX_PAGES = 1000;

const CREDENTIAL_HELP = [
  'Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN,',
  'or TWILIO_API_KEY and TWILIO_API_SECRET (TWILIO_ACCOUNT_SID optional).',
];

/** An unset variable and an empty (or blank) one mean the same: not configured. */
function read(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function missing(names: readonly string[]): SinkopsError {
  const list = names.join(' and ');
  return new SinkopsError('CONFIG', `Twilio credentials are missing: ${list} ${names.length > 1 ? 'are' : 'is'} not set.`, {
    details: CREDENTIAL_HELP,
  });
}

/**
 * Accepts only an http(s) origin. A path would be silently dropped by the client (every request
 * path starts with /v1 or /2010-04-01), and userinfo in the URL would be a second, competing
 * credential. Messages name `variable` and show only the origin and path of the value: userinfo or
 * a query might hold a secret.
 */
export function parseBaseUrl(raw: string, variable = 'TWILIO_EVENTS_BASE_URL', example = exampleOrigin(variable)): string {
  const help = [`Use an origin such as ${example} or http://127.0.0.1:4010.`];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SinkopsError('CONFIG', `${variable} is not a valid URL.`, { details: help });
  }
  const problem =
    url.protocol !== 'https:' && url.protocol !== 'http:'
      ? `must use http or https, not ${url.protocol.replace(/:$/, '')}`
      : url.username !== '' || url.password !== ''
        ? 'must not contain credentials'
        : url.pathname !== '/' || url.search !== '' || url.hash !== ''
          ? 'must be an origin only (no path, query or fragment)'
          : undefined;
  if (problem !== undefined) {
    throw new SinkopsError('CONFIG', `${variable} ('${url.protocol}//${url.host}${url.pathname}') ${problem}.`, { details: help });
  }
  return url.origin;
}

/** The origin of Twilio's 2010 API (the Accounts API): where fleets' subaccounts are listed (SPEC §14). */
export const DEFAULT_API_BASE_URL = 'https://api.twilio.com';

/** The default origin of the variable, shown as the example of a valid value. */
function exampleOrigin(variable: string): string {
  return variable === 'TWILIO_API_BASE_URL' ? DEFAULT_API_BASE_URL : DEFAULT_BASE_URL;
}

/** `TWILIO_EVENTS_BASE_URL` as an origin (default https://events.twilio.com), under parseBaseUrl's rules. */
export function eventsBaseUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const raw = read(env, 'TWILIO_EVENTS_BASE_URL');
  return raw === undefined ? DEFAULT_BASE_URL : parseBaseUrl(raw);
}

/** `TWILIO_API_BASE_URL` as an origin (default https://api.twilio.com), under parseBaseUrl's rules. */
export function apiBaseUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const raw = env['TWILIO_API_BASE_URL']?.trim();
  return raw === undefined || raw === '' ? DEFAULT_API_BASE_URL : parseBaseUrl(raw, 'TWILIO_API_BASE_URL', DEFAULT_API_BASE_URL);
}

/** The values of all `names`, or one error that lists every one of them that is not set. */
function requireVars<const N extends readonly string[]>(
  env: Record<string, string | undefined>,
  names: N,
): { -readonly [K in keyof N]: string } {
  const values = names.map((name) => read(env, name));
  const absent = names.filter((_, i) => values[i] === undefined);
  if (absent.length > 0) throw missing(absent);
  return values as { -readonly [K in keyof N]: string };
}

type Credentials = Pick<TwilioConfig, 'username' | 'password' | 'accountSid'>;

/** The key SID is the Basic-auth user name; the Account SID is kept only when it was given. */
function apiKeyCredentials([key, secret]: [string, string], accountSid: string | undefined): Credentials {
  return accountSid === undefined ? { username: key, password: secret } : { username: key, password: secret, accountSid };
}

/** With an auth token, the Account SID is also the Basic-auth user name. */
function authTokenCredentials([sid, token]: [string, string]): Credentials {
  return { username: sid, password: token, accountSid: sid };
}

/**
 * Reads credentials and the API origin. An API key pair wins over the auth token as soon as
 * either half of it is set (it is the narrower credential, and half a pair is a mistake worth
 * reporting); with a key, TWILIO_ACCOUNT_SID is optional, because no Events API path names the
 * account. An auth token needs the Account SID: it is the Basic-auth user name. Errors name the
 * variables to set, never their values.
 */
export function configFromEnv(env: Record<string, string | undefined>): TwilioConfig {
  const usesApiKey = read(env, 'TWILIO_API_KEY') !== undefined || read(env, 'TWILIO_API_SECRET') !== undefined;
  const accountSid = read(env, 'TWILIO_ACCOUNT_SID');
  const credentials = usesApiKey
    ? apiKeyCredentials(requireVars(env, ['TWILIO_API_KEY', 'TWILIO_API_SECRET']), accountSid)
    : authTokenCredentials(requireVars(env, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']));
  return {
    baseUrl: eventsBaseUrlFromEnv(env),
    ...credentials,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxRetries: DEFAULT_MAX_RETRIES,
    pageSize: DEFAULT_PAGE_SIZE,
  };
}
