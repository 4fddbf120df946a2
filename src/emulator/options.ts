import { SinkopsError } from '../errors.js';
import type { Logger } from '../log/logger.js';

/**
 * Faults the emulator injects into API responses (never into `/__emulator` paths). Rates are
 * fractions in [0, 1], drawn independently per request from `EmulatorOptions.random`.
 */
export interface EmulatorFaults {
  /** Milliseconds added to every API response, faults included. */
  latencyMs?: number;
  /** Fraction of requests answered 500 (code 20500) without being handled. */
  errorRate?: number;
  /** Fraction of requests answered 429 (code 20429). */
  rateLimitRate?: number;
  /**
   * The `Retry-After` value, in seconds, of every 429. Unset by default: Twilio documents no
   * `Retry-After` for 20429, so clients must back off on their own; set it to test that they
   * honour one when it comes.
   */
  retryAfterSeconds?: number;
  /** Requests in flight beyond this many are answered 429 (code 20429). */
  concurrencyLimit?: number;
  /** Fraction of requests whose socket is destroyed before they are handled. */
  dropRate?: number;
  /**
   * Fraction of creates (sinks, subscriptions, and event types added to a subscription) whose
   * socket is destroyed after the resource is stored: the client cannot tell whether its create
   * happened ("outcome unknown").
   */
  dropAfterCommitRate?: number;
}

export interface SeedSink {
  sid?: string;
  description: string;
  sink_type: string;
  sink_configuration: Record<string, unknown>;
  status?: string;
}

export interface SeedSubscription {
  sid?: string;
  description: string;
  sink_sid: string;
  types?: { type: string; schema_version?: number }[];
}

/** Twilio's account statuses; only an `active` account's credentials are accepted. */
export type AccountStatus = 'active' | 'suspended' | 'closed';
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'suspended', 'closed'];

/**
 * An account of the seed besides the main one, in Twilio's Account field names (SPEC §14). With an
 * `owner_account_sid` naming the main account (or a main account of this seed) it is that
 * account's subaccount; without one (or with its own SID, as Twilio shows a main account) it is a
 * main account of its own. A left-out `sid` or `auth_token` is made up at random (the parent reads
 * it from the Accounts API); `status` defaults to `active`.
 */
export interface SeedAccount {
  sid?: string;
  auth_token?: string;
  friendly_name: string;
  status?: AccountStatus;
  /** Null or left out: a main account. */
  owner_account_sid?: string | null;
  /** The account's own resources, as the seed's top-level `sinks` and `subscriptions`. */
  sinks?: SeedSink[];
  subscriptions?: SeedSubscription[];
}

/**
 * Resources put into an empty emulator at start (`--seed FILE`; a file may leave any key out):
 * `sinks` and `subscriptions` are the main account's, `accounts` the others (each with its own).
 */
export interface EmulatorSeed {
  sinks: SeedSink[];
  subscriptions: SeedSubscription[];
  accounts?: SeedAccount[];
}

/** An account to add to a running emulator (`RunningEmulator.addAccount`). */
export interface NewEmulatorAccount {
  friendlyName: string;
  /** A main account's SID (the emulator's own, or one added before): the new account is its subaccount. Left out: a main account of its own. */
  ownerAccountSid?: string;
  /** Default: random. */
  sid?: string;
  /** 32 hexadecimal digits, as Twilio issues them. Default: random. */
  authToken?: string;
  /** Default `active`; other accounts' credentials are refused (401, code 20003). */
  status?: AccountStatus;
}

/** What `RunningEmulator.accounts()` shows of an account: never its token. */
export interface EmulatorAccount {
  readonly sid: string;
  readonly friendlyName: string;
  readonly status: AccountStatus;
  /** Set for a subaccount; a main account has none. */
  readonly ownerAccountSid?: string;
}

/**
 * How a new sink becomes active (SPEC §12). `current`: as Twilio's current docs say, every sink is
 * active on creation and Validate always answers `valid`. `legacy`: as older docs say, a kinesis
 * sink starts `initialized` and needs Test, then Validate with the test id it received.
 */
export type Activation = 'current' | 'legacy';
export const ACTIVATIONS: readonly Activation[] = ['current', 'legacy'];

/**
 * What the API shows of a stored `sink_configuration` (SPEC §12). No public source settles what
 * Twilio returns, so the emulator can play each answer the planner must tolerate: `exact` (what was
 * stored), `defaults` (webhook `method: "POST"` and `batch_events: false` filled in when absent),
 * `masked` (`external_id` and `write_key` as `"********"`).
 */
export type ReadBack = 'exact' | 'defaults' | 'masked';
export const READ_BACKS: readonly ReadBack[] = ['exact', 'defaults', 'masked'];

/** Twilio's limit on the sinks one account holds (error 91003). */
export const DEFAULT_SINK_LIMIT = 100;

export interface EmulatorOptions {
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port; `url` tells which). */
  port?: number;
  /** The main account's SID (default EMULATOR_ACCOUNT_SID). The caller decides whether it comes from the environment. */
  accountSid?: string;
  /** The main account's auth token (default EMULATOR_AUTH_TOKEN); it also seals the state file's secrets. */
  authToken?: string;
  /** Also accept this API key for the main account (username `SK…`, password the secret). */
  apiKey?: { sid: string; secret: string };
  /** JSON file holding every account: loaded at start when present, rewritten (atomically) after mutations. */
  statePath?: string;
  /** Applied when there is nothing else: no state file, or one that holds only an empty main account. */
  seed?: EmulatorSeed;
  faults?: EmulatorFaults;
  /**
   * Creates are refused (HTTP 400, code 91003) while an account holds this many sinks or more
   * (default DEFAULT_SINK_LIMIT; every account has its own count). Seeds and state files are not
   * limited: an account loaded from them may already hold more, as a benchmark's does.
   */
  sinkLimit?: number;
  /** Default `current`, for every account. */
  activation?: Activation;
  /** Default `exact`. The store and the state file always keep what was sent. */
  readBack?: ReadBack;
  /** Source of randomness for faults (default Math.random); inject one to make faults deterministic. */
  random?: () => number;
  /** Receives one debug line per API request (method, path, status, account; never bodies or headers). */
  logger?: Logger;
}

export interface RunningEmulator {
  /** Origin, for example `http://127.0.0.1:4010` (no trailing slash). */
  readonly url: string;
  /** The main account's credentials. */
  readonly accountSid: string;
  readonly authToken: string;
  /** Replaces the active faults (validated like the options). */
  setFaults(f: EmulatorFaults): void;
  /**
   * Adds an account; resolves once it is in the state file, when there is one. Rejects with a
   * CONFIG error naming each problem (a taken SID, an owner that is unknown or a subaccount, a token
   * that is not 32 hexadecimal digits…).
   */
  addAccount(input: NewEmulatorAccount): Promise<{ sid: string; authToken: string }>;
  /** Every account, the main one first, then in the order they were added. */
  accounts(): ReadonlyArray<EmulatorAccount>;
  /** Stops listening, drops open connections and waits for pending state writes. */
  close(): Promise<void>;
}

/** Fixed test credentials, used when none are given. They only ever unlock the emulator. */
export const EMULATOR_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const EMULATOR_AUTH_TOKEN = 'sinkops-emulator-test-token';

export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;
export const API_KEY_SID_PATTERN = /^SK[0-9a-fA-F]{32}$/;

/** Problems with a fault set, one message each; empty when it is valid. */
export function faultProblems(f: EmulatorFaults): string[] {
  const problems: string[] = [];
  const rate = (name: keyof EmulatorFaults): void => {
    const v = f[name];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1)) problems.push(`${name} must be a number from 0 to 1, not ${v}`);
  };
  const nonNegative = (name: keyof EmulatorFaults, integer: boolean): void => {
    const v = f[name];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && (!integer || Number.isInteger(v)))) {
      problems.push(`${name} must be a${integer ? ' whole' : ''} number of at least 0, not ${v}`);
    }
  };
  rate('errorRate');
  rate('rateLimitRate');
  rate('dropRate');
  rate('dropAfterCommitRate');
  nonNegative('latencyMs', false);
  nonNegative('retryAfterSeconds', true);
  const limit = f.concurrencyLimit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) problems.push(`concurrencyLimit must be a whole number of at least 1, not ${limit}`);
  return problems;
}

export function assertValidFaults(f: EmulatorFaults): void {
  const problems = faultProblems(f);
  if (problems.length > 0) throw new SinkopsError('CONFIG', 'invalid emulator faults', { details: problems });
}

/** Problems with the account's rules (sink limit, activation, read-back), one message each. */
export function accountRuleProblems(options: Pick<EmulatorOptions, 'sinkLimit' | 'activation' | 'readBack'>): string[] {
  const problems: string[] = [];
  const { sinkLimit, activation, readBack } = options;
  if (sinkLimit !== undefined && !(Number.isInteger(sinkLimit) && sinkLimit >= 1)) problems.push(`sinkLimit must be a whole number of at least 1, not ${sinkLimit}`);
  if (activation !== undefined && !ACTIVATIONS.includes(activation)) problems.push(`activation must be one of ${ACTIVATIONS.join(', ')}, not ${String(activation)}`);
  if (readBack !== undefined && !READ_BACKS.includes(readBack)) problems.push(`readBack must be one of ${READ_BACKS.join(', ')}, not ${String(readBack)}`);
  return problems;
}

export function assertValidAccountRules(options: Pick<EmulatorOptions, 'sinkLimit' | 'activation' | 'readBack'>): void {
  const problems = accountRuleProblems(options);
  if (problems.length > 0) throw new SinkopsError('CONFIG', 'invalid emulator options', { details: problems });
}

/** Checks the credentials the emulator is asked to accept, so a typo fails at start, not on each request. */
export function assertValidCredentials(accountSid: string, authToken: string, apiKey: EmulatorOptions['apiKey']): void {
  const problems: string[] = [];
  if (!ACCOUNT_SID_PATTERN.test(accountSid)) problems.push('the account SID must be AC followed by 32 hexadecimal digits');
  if (authToken === '') problems.push('the auth token must not be empty');
  if (apiKey !== undefined) {
    if (!API_KEY_SID_PATTERN.test(apiKey.sid)) problems.push('the API key SID must be SK followed by 32 hexadecimal digits');
    if (apiKey.secret === '') problems.push('the API key secret must not be empty');
  }
  if (problems.length > 0) throw new SinkopsError('CONFIG', 'invalid emulator credentials', { details: problems });
}
