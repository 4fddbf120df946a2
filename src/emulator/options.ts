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

/** Resources put into an empty account at start (`--seed FILE`; a file may leave either key out). */
export interface EmulatorSeed {
  sinks: SeedSink[];
  subscriptions: SeedSubscription[];
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
  /** Accepted account SID (default EMULATOR_ACCOUNT_SID). The caller decides whether it comes from the environment. */
  accountSid?: string;
  /** Accepted auth token (default EMULATOR_AUTH_TOKEN). */
  authToken?: string;
  /** Also accept this API key (username `SK…`, password the secret). */
  apiKey?: { sid: string; secret: string };
  /** JSON file holding the account: loaded at start when present, rewritten (atomically) after mutations. */
  statePath?: string;
  /** Applied when the account is empty after loading. */
  seed?: EmulatorSeed;
  faults?: EmulatorFaults;
  /**
   * Creates are refused (HTTP 400, code 91003) while the account holds this many sinks or more
   * (default DEFAULT_SINK_LIMIT). Seeds and state files are not limited: an account loaded from
   * them may already hold more, as a benchmark's does.
   */
  sinkLimit?: number;
  /** Default `current`. */
  activation?: Activation;
  /** Default `exact`. The store and the state file always keep what was sent. */
  readBack?: ReadBack;
  /** Source of randomness for faults (default Math.random); inject one to make faults deterministic. */
  random?: () => number;
  /** Receives one debug line per API request (method, path, status; never bodies or headers). */
  logger?: Logger;
}

export interface RunningEmulator {
  /** Origin, for example `http://127.0.0.1:4010` (no trailing slash). */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Replaces the active faults (validated like the options). */
  setFaults(f: EmulatorFaults): void;
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
