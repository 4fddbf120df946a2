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
  /** Fraction of requests answered 429 (code 20429) with `Retry-After`. */
  rateLimitRate?: number;
  /** The `Retry-After` value, in seconds, of every 429 (default 1). */
  retryAfterSeconds?: number;
  /** Requests in flight beyond this many are answered 429 with `Retry-After`. */
  concurrencyLimit?: number;
  /** Fraction of requests whose socket is destroyed before they are handled. */
  dropRate?: number;
  /**
   * Fraction of creates (sinks and subscriptions) whose socket is destroyed after the resource is
   * stored: the client cannot tell whether its create happened ("outcome unknown").
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
