import type { AccountRecord, AccountRegistry } from './accounts.js';
import type { ReadBack } from './options.js';
import type { Store } from './store.js';

/** What a handler sees of a request. */
export interface RouteContext {
  /** The emulator's own origin, for `url`, `links` and `meta` URLs. */
  readonly origin: string;
  /** The account the request's credentials unlocked (`account.sid`, `account.store` for short below). */
  readonly account: AccountRecord;
  readonly accountSid: string;
  readonly store: Store;
  /** Every account, for the 2010 Accounts API (which shows a caller itself and its subaccounts). */
  readonly accounts: AccountRegistry;
  /** How sink resources show their stored configuration (`EmulatorOptions.readBack`). */
  readonly readBack: ReadBack;
  /** Pathname as requested (for error messages). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The form-encoded body; read on demand so GET requests never wait for one. */
  readonly form: () => Promise<URLSearchParams>;
}

export interface RouteResult {
  readonly status: number;
  /** JSON body; absent for 204. */
  readonly body?: unknown;
  /** The state changed (an account, or what one holds): the state file must be written before the answer goes out. */
  readonly mutated: boolean;
  /** A create (sink, subscription, subscribed event, account): `dropAfterCommitRate` applies. */
  readonly created?: boolean;
}

/** A handler gets the decoded path parameters (SIDs) in order. */
export type Handler = (ctx: RouteContext, params: readonly string[]) => Promise<RouteResult>;
