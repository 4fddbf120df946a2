/**
 * An in-memory SinksApi for tests. It is honest where the executor's safety depends on it:
 * it refuses to delete a sink a Subscription uses (HTTP 409 / 91007, as Twilio does, SPEC §12),
 * refuses a create past `sinkLimit` sinks when one is set (HTTP 400 / 91003), answers unknown
 * SIDs with 404 / 20404, generates `DG` + 32 hex SIDs, and rejects a create whose configuration
 * carries an unresolved (undefined) value. It can add latency, fail chosen calls, and simulate the
 * client's handling of 429 (report through `onRateLimited`, back off, retry). It records every call
 * and the peak number of calls in flight.
 */
import { randomBytes } from 'node:crypto';
import type { RemoteSink, Subscription } from '../../src/remote/model.js';
import type { CreateSinkInput, ListSinksOptions, SinksApi } from '../../src/remote/api.js';
import { TwilioApiError } from '../../src/twilio/errors.js';

export type FakeOperation =
  | 'listSinks'
  | 'fetchSink'
  | 'createSink'
  | 'updateSink'
  | 'deleteSink'
  | 'testSink'
  | 'validateSink'
  | 'listSubscriptions';

export const MUTATING_OPERATIONS: readonly FakeOperation[] = [
  'createSink',
  'updateSink',
  'deleteSink',
  'testSink',
  'validateSink',
];

export interface FakeCall {
  readonly op: FakeOperation;
  /** The SID the call is about (for listSubscriptions, the `sinkSid` filter; absent for creates). */
  readonly sid?: string;
  readonly input?: CreateSinkInput | { readonly description: string };
  /** Monotonic sequence number, in the order calls started. */
  readonly seq: number;
}

export interface FakeSinksApiOptions {
  readonly sinks?: readonly RemoteSink[];
  readonly subscriptions?: readonly Subscription[];
  /** Milliseconds each call takes (or a function of the call). Default 0 (still asynchronous). */
  readonly latencyMs?: number | ((call: FakeCall) => number);
  /** Return an error to make this call fail (after its latency, before it takes effect). */
  readonly fail?: (call: FakeCall) => Error | undefined;
  /** Runs when a call starts, before anything else; may change the fake's state (races). */
  readonly beforeCall?: (call: FakeCall, api: FakeSinksApi) => void;
  /**
   * A server-side concurrency limit. A call arriving while this many are being served gets a 429,
   * which the fake handles like the real client: `onRateLimited()`, wait `retryDelayMs`, retry.
   */
  readonly concurrencyLimit?: number;
  readonly retryDelayMs?: number;
  readonly onRateLimited?: () => void;
  /**
   * Twilio's cap on the sinks of an account (100 on a real one, SPEC §12): a create that would
   * pass it fails with 91003. Unset, there is no cap (tests that create hundreds of sinks).
   */
  readonly sinkLimit?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function newSid(prefix: 'DG' | 'DF'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

export function remoteSink(fields: Partial<RemoteSink> & { readonly description: string }): RemoteSink {
  return {
    sid: fields.sid ?? newSid('DG'),
    description: fields.description,
    sinkType: fields.sinkType ?? 'webhook',
    sinkConfiguration: fields.sinkConfiguration ?? { destination: 'https://example.org/hook', method: 'POST' },
    status: fields.status ?? 'active',
    dateCreated: fields.dateCreated ?? '2024-01-01T00:00:00Z',
    dateUpdated: fields.dateUpdated ?? '2024-01-01T00:00:00Z',
  };
}

function notFound(sid: string): TwilioApiError {
  return new TwilioApiError({
    status: 404,
    twilioCode: 20404,
    twilioMessage: `The requested resource /Sinks/${sid} was not found`,
    moreInfo: 'https://www.twilio.com/docs/errors/20404',
  });
}

function badRequest(message: string): TwilioApiError {
  return new TwilioApiError({ status: 400, twilioCode: 20001, twilioMessage: message, moreInfo: null });
}

/** Twilio's refusal to delete a sink a Subscription uses. */
function sinkInUse(): TwilioApiError {
  return new TwilioApiError({ status: 409, twilioCode: 91007, twilioMessage: 'Sink still in use', moreInfo: 'https://www.twilio.com/docs/api/errors/91007' });
}

/** Twilio's refusal of a create past the account's sink limit. */
function sinkLimitReached(limit: number): TwilioApiError {
  return new TwilioApiError({
    status: 400,
    twilioCode: 91003,
    twilioMessage: `Cannot have more than ${limit} sinks`,
    moreInfo: 'https://www.twilio.com/docs/api/errors/91003',
  });
}

export class FakeSinksApi implements SinksApi {
  readonly sinks = new Map<string, RemoteSink>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly calls: FakeCall[] = [];
  options: FakeSinksApiOptions;
  #seq = 0;
  #inFlight = 0;
  #serving = 0;
  peakConcurrency = 0;
  /** Calls that got a (simulated) 429. */
  rateLimitedCount = 0;

  constructor(options: FakeSinksApiOptions = {}) {
    this.options = options;
    for (const s of options.sinks ?? []) this.sinks.set(s.sid, s);
    for (const s of options.subscriptions ?? []) this.subscriptions.set(s.sid, s);
  }

  count(op: FakeOperation): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  mutatingCalls(): FakeCall[] {
    return this.calls.filter((c) => MUTATING_OPERATIONS.includes(c.op));
  }

  subscribe(sinkSid: string, description = 'test subscription'): Subscription {
    const sub = { sid: newSid('DF'), description, sinkSid };
    this.subscriptions.set(sub.sid, sub);
    return sub;
  }

  resetStats(): void {
    this.calls.length = 0;
    this.peakConcurrency = 0;
    this.rateLimitedCount = 0;
  }

  async #call<T>(
    op: FakeOperation,
    extra: Pick<FakeCall, 'sid' | 'input'>,
    effect: () => T,
  ): Promise<T> {
    const call: FakeCall = { op, seq: this.#seq++, ...extra };
    this.calls.push(call);
    this.#inFlight += 1;
    this.peakConcurrency = Math.max(this.peakConcurrency, this.#inFlight);
    try {
      this.options.beforeCall?.(call, this);
      const limit = this.options.concurrencyLimit;
      while (limit !== undefined && this.#serving >= limit) {
        this.rateLimitedCount += 1;
        this.options.onRateLimited?.();
        await sleep(this.options.retryDelayMs ?? 1);
      }
      this.#serving += 1;
      try {
        const latency = this.options.latencyMs;
        const ms = typeof latency === 'function' ? latency(call) : (latency ?? 0);
        await sleep(ms);
        const error = this.options.fail?.(call);
        if (error !== undefined) throw error;
        return effect();
      } finally {
        this.#serving -= 1;
      }
    } finally {
      this.#inFlight -= 1;
    }
  }

  #get(sid: string): RemoteSink {
    const sink = this.sinks.get(sid);
    if (sink === undefined) throw notFound(sid);
    return sink;
  }

  listSinks(options: ListSinksOptions = {}): Promise<RemoteSink[]> {
    return this.#call('listSinks', {}, () => {
      const used = new Set([...this.subscriptions.values()].map((s) => s.sinkSid));
      return [...this.sinks.values()].filter(
        (s) =>
          (options.inUse === undefined || used.has(s.sid) === options.inUse) &&
          (options.status === undefined || s.status === options.status),
      );
    });
  }

  fetchSink(sid: string): Promise<RemoteSink> {
    return this.#call('fetchSink', { sid }, () => this.#get(sid));
  }

  createSink(input: CreateSinkInput): Promise<RemoteSink> {
    return this.#call('createSink', { input }, () => {
      if (input.description === '') throw badRequest('Description is required');
      if (!['kinesis', 'webhook', 'segment'].includes(input.sinkType)) throw badRequest('Invalid SinkType');
      for (const [key, value] of Object.entries(input.sinkConfiguration)) {
        if (value === undefined) throw badRequest(`SinkConfiguration.${key} is missing`);
      }
      const limit = this.options.sinkLimit;
      if (limit !== undefined && this.sinks.size >= limit) throw sinkLimitReached(limit);
      const sink = remoteSink({
        description: input.description,
        sinkType: input.sinkType,
        sinkConfiguration: { ...input.sinkConfiguration },
        status: input.sinkType === 'kinesis' ? 'initialized' : 'active',
      });
      this.sinks.set(sink.sid, sink);
      return sink;
    });
  }

  updateSink(sid: string, update: { readonly description: string }): Promise<RemoteSink> {
    return this.#call('updateSink', { sid, input: update }, () => {
      const sink = { ...this.#get(sid), description: update.description };
      this.sinks.set(sid, sink);
      return sink;
    });
  }

  deleteSink(sid: string): Promise<void> {
    return this.#call('deleteSink', { sid }, () => {
      this.#get(sid);
      if ([...this.subscriptions.values()].some((s) => s.sinkSid === sid)) {
        throw sinkInUse();
      }
      this.sinks.delete(sid);
    });
  }

  testSink(sid: string): Promise<string> {
    return this.#call('testSink', { sid }, () => {
      this.sinks.set(sid, { ...this.#get(sid), status: 'validating' });
      return 'submitted';
    });
  }

  validateSink(sid: string, testId: string): Promise<string> {
    return this.#call('validateSink', { sid }, () => {
      if (testId === '') throw badRequest('TestId is required');
      this.sinks.set(sid, { ...this.#get(sid), status: 'active' });
      return 'valid';
    });
  }

  listSubscriptions(options: { readonly sinkSid?: string } = {}): Promise<Subscription[]> {
    const extra = options.sinkSid === undefined ? {} : { sid: options.sinkSid };
    return this.#call('listSubscriptions', extra, () =>
      [...this.subscriptions.values()].filter((s) => options.sinkSid === undefined || s.sinkSid === options.sinkSid),
    );
  }
}
