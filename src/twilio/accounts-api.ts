/**
 * Twilio's Accounts API (the 2010 API, SPEC §14): the list of a main account's accounts, from
 * which a fleet takes its subaccounts and each subaccount's own SID and auth token.
 *
 * It goes through the same connection as the Events API client (src/twilio/connection.ts): the
 * same retries, deadlines and response size limit. Pages follow `next_page_uri`, a path, which is
 * only ever resolved on the configured origin and only when it is the Accounts list itself: the
 * main account's credentials go with every page, and each page carries every subaccount's token.
 */
import { SinkopsError } from '../errors.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './config.js';
import { openConnection, type Connection, type ConnectionOptions } from './connection.js';
import { quote } from './wire.js';

/** An Account SID: `AC` and 32 hexadecimal digits, of either case (as Twilio's OpenAPI says). */
export const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/** The path every page of the list must have. */
export const ACCOUNTS_PATH = '/2010-04-01/Accounts.json';

/**
 * One account as the Accounts API lists it, in Twilio's own field names. `auth_token` is there to
 * be used, never shown: it is not enumerable, so `JSON.stringify`, `util.inspect` and loggers
 * leave it out; undefined when Twilio listed none (a closed account, say).
 */
export interface RemoteAccount {
  readonly sid: string;
  readonly friendly_name: string;
  /** `active`, `suspended` or `closed` (kept as Twilio wrote it, if it ever says something else). */
  readonly status: string;
  readonly owner_account_sid: string;
  readonly auth_token: string | undefined;
}

export interface AccountsClientConfig {
  /** The 2010 API origin: TWILIO_API_BASE_URL (see apiBaseUrlFromEnv), default https://api.twilio.com. */
  readonly baseUrl: string;
  /** The main account's Account SID, or an API key SID of it. */
  readonly username: string;
  /** Its auth token, or the API key's secret. */
  readonly password: string;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  /** `PageSize`; 1000 is Twilio's maximum. */
  readonly pageSize?: number;
}

export interface AccountsClientOptions extends ConnectionOptions {
  /** The most pages one listing follows before it fails (default 100: 100,000 accounts at 1,000 a page). */
  readonly maxPages?: number;
}

export interface ListAccountsFilter {
  /** Twilio's `FriendlyName` filter: an exact name. */
  readonly friendlyName?: string;
  /** Twilio's `Status` filter: `active`, `suspended` or `closed`. */
  readonly status?: string;
}

/** A main account has 1,000 subaccounts by default; a hundred pages of 1,000 is far beyond any. */
export const DEFAULT_MAX_ACCOUNT_PAGES = 100;
const DEFAULT_ACCOUNTS_PAGE_SIZE = 1000;

/** Far beyond Twilio's 64-character friendly names, and still a bound on what one field may hold. */
const MAX_FRIENDLY_NAME_LENGTH = 1024;
/** Auth tokens are 32 hexadecimal digits; anything far longer is not one. */
const MAX_TOKEN_LENGTH = 1024;

function unexpected(what: string, details: readonly string[] = []): SinkopsError {
  return new SinkopsError('TWILIO_API', `Unexpected response from the Accounts API: ${what}.`, { details });
}

/** What a wrong value is, without showing it: `null`, `a list`, `an object`, `a number`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function accountSid(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw unexpected(v === undefined ? `${what} has no ${key}` : `the ${key} of ${what} is ${kindOf(v)}, not an Account SID`);
  if (!ACCOUNT_SID.test(v)) throw unexpected(`${what} has ${key} ${quote(v)}, which is not an Account SID (AC followed by 32 hexadecimal digits)`);
  return v;
}

function text(o: Record<string, unknown>, key: string, what: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string') throw unexpected(v === undefined ? `${what} has no ${key}` : `the ${key} of ${what} is ${kindOf(v)}, not a string`);
  if (v.length > max) throw unexpected(`${what} has a ${key} of ${v.length} characters (more than ${max})`);
  return v;
}

/**
 * One listed account, checked field by field. An error names the account (by SID, once that is
 * known to be one) and the field, and never quotes an auth token.
 */
export function toRemoteAccount(wire: unknown): RemoteAccount {
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) throw unexpected(`an account is ${kindOf(wire)}, not an object`);
  const o = wire as Record<string, unknown>;
  const sid = accountSid(o, 'sid', 'an account');
  const what = `account ${sid}`;
  const token = o['auth_token'];
  if (token !== undefined && token !== null && (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)) {
    // The value is never shown, not even its length: it may be the secret itself.
    throw unexpected(`${what} has an auth_token that is not a string of a token's length`);
  }
  const account = {
    sid,
    friendly_name: text(o, 'friendly_name', what, MAX_FRIENDLY_NAME_LENGTH),
    status: text(o, 'status', what, 64),
    owner_account_sid: accountSid(o, 'owner_account_sid', what),
  };
  Object.defineProperty(account, 'auth_token', {
    value: typeof token === 'string' && token !== '' ? token : undefined,
    enumerable: false,
  });
  return account as RemoteAccount;
}

interface AccountsPage {
  readonly accounts: readonly unknown[];
  readonly nextPageUri: string | null;
}

function readAccountsPage(body: unknown): AccountsPage {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unexpected(`a page of the list is ${kindOf(body)}, not an object`);
  const o = body as Record<string, unknown>;
  const accounts = o['accounts'];
  if (!Array.isArray(accounts)) throw unexpected("a page of the list has no 'accounts' array");
  const next = o['next_page_uri'];
  if (next !== undefined && next !== null && typeof next !== 'string') throw unexpected(`next_page_uri is ${kindOf(next)}, not a path`);
  return { accounts, nextPageUri: typeof next === 'string' && next !== '' ? next : null };
}

/** Printable ASCII without spaces, `#` or `\`: what a page's query may hold. */
const QUERY = /^\?[\x21-\x22\x24-\x5b\x5d-\x7e]*$/;

/**
 * The request path of the next page: `next_page_uri` must be a path on this origin that is the
 * Accounts list itself, `/2010-04-01/Accounts.json` with at most a query. Anything else — another
 * origin (`//host/…`, `https://…`), another resource, dot segments, backslashes, control
 * characters — is refused before anything is sent: every page request carries the credentials.
 */
export function nextAccountsPath(nextPageUri: string, origin: string): string {
  const refuse = (): SinkopsError =>
    unexpected(`next_page_uri ${quote(nextPageUri)} is not a page of ${ACCOUNTS_PATH} on ${origin}; sinkops did not follow it, so the credentials were not sent there`, [
      'Check TWILIO_API_BASE_URL and any proxy between sinkops and Twilio.',
    ]);
  if (!nextPageUri.startsWith(ACCOUNTS_PATH)) throw refuse();
  const query = nextPageUri.slice(ACCOUNTS_PATH.length);
  if (query !== '' && !QUERY.test(query)) throw refuse();
  // The URL parser has the last word: whatever it makes of the text must still be this path here.
  const url = new URL(nextPageUri, origin);
  if (url.origin !== origin || url.pathname !== ACCOUNTS_PATH) throw refuse();
  return `${url.pathname}${url.search}`;
}

/**
 * Lists the accounts the credentials can see: for a main account, itself and its subaccounts.
 * `close()` closes the pool it opened (an injected dispatcher stays the caller's).
 */
export class AccountsClient {
  private readonly connection: Connection;
  private readonly pageSize: number;
  private readonly maxPages: number;

  constructor(config: AccountsClientConfig, options: AccountsClientOptions = {}) {
    this.connection = openConnection(
      {
        baseUrl: config.baseUrl,
        username: config.username,
        password: config.password,
        timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
        api: { name: 'Accounts API', variable: 'TWILIO_API_BASE_URL' },
      },
      options,
    );
    this.pageSize = config.pageSize ?? DEFAULT_ACCOUNTS_PAGE_SIZE;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_ACCOUNT_PAGES;
  }

  /**
   * Every listed account matching `filter`, in the order listed, each SID once (an account on two
   * pages — a listing that shifted meanwhile — is kept where it first appeared). A list that comes
   * back to a page it already returned, or goes on past `maxPages`, is an error.
   */
  async listAccounts(filter: ListAccountsFilter = {}): Promise<RemoteAccount[]> {
    const transport = this.connection.transport;
    const query = new URLSearchParams();
    if (filter.friendlyName !== undefined) query.set('FriendlyName', filter.friendlyName);
    if (filter.status !== undefined) query.set('Status', filter.status);
    query.set('PageSize', String(this.pageSize));
    const out: RemoteAccount[] = [];
    const sids = new Set<string>();
    const seen = new Set<string>();
    let path: string | null = `${ACCOUNTS_PATH}?${query.toString()}`;
    while (path !== null) {
      if (seen.size === this.maxPages) {
        throw unexpected(`the list of accounts did not end after ${this.maxPages} pages (${out.length} accounts so far); sinkops stopped following next_page_uri`, [
          `That is far more than a main account holds at ${this.pageSize} a page: check TWILIO_API_BASE_URL and any proxy in between.`,
        ]);
      }
      seen.add(path);
      const page: AccountsPage = await transport.call({ method: 'GET', path, idempotent: true }, (res) => readAccountsPage(res.body));
      for (const wire of page.accounts) {
        const account = toRemoteAccount(wire);
        const key = account.sid.toUpperCase();
        if (sids.has(key)) continue;
        sids.add(key);
        out.push(account);
      }
      path = page.nextPageUri === null ? null : nextAccountsPath(page.nextPageUri, transport.origin);
      if (path !== null && seen.has(path)) throw unexpected('the list of accounts pages back to a page it already returned');
    }
    return out;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
