/**
 * An in-memory SinksApi for tests. It is honest where the executor's safety depends on it:
 * it refuses to delete a sink a Subscription uses (HTTP 409 / 91007, as Twilio does, SPEC §12),
 * refuses a create past `sinkLimit` sinks when one is set (HTTP 400 / 91003), answers unknown
 * SIDs with 404 / 20404, generates `DG` + 32 hex SIDs, and rejects a create whose configuration
 * carries an unresolved (undefined) value. Subscriptions follow Twilio's rules (SPEC §12–§13): one
 * needs an existing, active sink (HTTP 400 / 91100) and at least one event; every event type must
 * be in the catalogue and its version must exist for its schema; a type is added once; the last
 * type of a subscription is not removed (delete the subscription instead); a subscription or event
 * type already gone counts as deleted, as the client's seam says. It can add latency, fail chosen
 * calls, and simulate the client's handling of 429 (report through `onRateLimited`, back off,
 * retry). It records every call and the peak number of calls in flight.
 */
import { randomBytes } from 'node:crypto';
import type { EventType, RemoteSink, SubscribedEvent, Subscription } from '../../src/remote/model.js';
import type { CreateSinkInput, CreateSubscriptionInput, ListSinksOptions, SinksApi } from '../../src/remote/api.js';
import { TwilioApiError } from '../../src/twilio/errors.js';

export type FakeOperation =
  | 'listSinks'
  | 'fetchSink'
  | 'createSink'
  | 'updateSink'
  | 'deleteSink'
  | 'testSink'
  | 'validateSink'
  | 'listSubscriptions'
  | 'createSubscription'
  | 'updateSubscription'
  | 'deleteSubscription'
  | 'listSubscribedEvents'
  | 'addSubscribedEvent'
  | 'updateSubscribedEvent'
  | 'removeSubscribedEvent'
  | 'listEventTypes'
  | 'listSchemaVersions';

export const MUTATING_OPERATIONS: readonly FakeOperation[] = [
  'createSink',
  'updateSink',
  'deleteSink',
  'testSink',
  'validateSink',
  'createSubscription',
  'updateSubscription',
  'deleteSubscription',
  'addSubscribedEvent',
  'updateSubscribedEvent',
  'removeSubscribedEvent',
];

export interface FakeCall {
  readonly op: FakeOperation;
  /**
   * The SID the call is about (for listSubscriptions, the `sinkSid` filter; for the
   * SubscribedEvents calls, the subscription's; absent for creates and catalogue reads).
   */
  readonly sid?: string;
  /** What a create or an update was given (every one has a description). */
  readonly input?: CreateSinkInput | CreateSubscriptionInput | { readonly description: string };
  /** addSubscribedEvent, updateSubscribedEvent: the event. */
  readonly event?: SubscribedEvent;
  /** removeSubscribedEvent: the type removed. */
  readonly type?: string;
  /** listSchemaVersions: the schema. */
  readonly schemaId?: string;
  /** Monotonic sequence number, in the order calls started. */
  readonly seq: number;
}

/** Twilio's event-type catalogue as the fake serves it: the types, and the versions of each schema. */
export interface FakeCatalogue {
  readonly types: readonly EventType[];
  readonly schemaVersions: Readonly<Record<string, readonly number[]>>;
}

/** A few real messaging types: two schemas, one with three versions. */
export const DEFAULT_CATALOGUE: FakeCatalogue = {
  types: [
    { type: 'com.twilio.messaging.message.delivered', schemaId: 'Messaging.MessageStatus', status: 'available' },
    { type: 'com.twilio.messaging.message.failed', schemaId: 'Messaging.MessageStatus', status: 'available' },
    { type: 'com.twilio.messaging.inbound-message.received', schemaId: 'Messaging.InboundMessageV1', status: 'available' },
  ],
  schemaVersions: { 'Messaging.MessageStatus': [1, 2, 3], 'Messaging.InboundMessageV1': [1] },
};

export interface FakeSinksApiOptions {
  readonly sinks?: readonly RemoteSink[];
  /** Seeded as they are: the rules of `createSubscription` (an active sink, an event) are not checked. */
  readonly subscriptions?: readonly Subscription[];
  /** The events of seeded subscriptions, by subscription SID (none for a subscription not named). */
  readonly subscribedEvents?: Readonly<Record<string, readonly SubscribedEvent[]>>;
  /** Default `DEFAULT_CATALOGUE`. */
  readonly catalogue?: FakeCatalogue;
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

function notFound(sid: string, resource = `/Sinks/${sid}`): TwilioApiError {
  return new TwilioApiError({
    status: 404,
    twilioCode: 20404,
    twilioMessage: `The requested resource ${resource} was not found`,
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

/** Twilio's refusal of a subscription on a sink that is not active (or does not exist). */
function sinkNotActive(sinkSid: string): TwilioApiError {
  return new TwilioApiError({
    status: 400,
    twilioCode: 91100,
    twilioMessage: `Sink ${sinkSid} is not active`,
    moreInfo: 'https://www.twilio.com/docs/api/errors/91100',
  });
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
  /** The events of each subscription: type → schema version, by subscription SID. */
  readonly subscribedEvents = new Map<string, Map<string, number>>();
  readonly catalogue: FakeCatalogue;
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
    for (const [sid, events] of Object.entries(options.subscribedEvents ?? {})) {
      this.subscribedEvents.set(sid, new Map(events.map((e) => [e.type, e.schemaVersion])));
    }
    this.catalogue = options.catalogue ?? DEFAULT_CATALOGUE;
  }

  count(op: FakeOperation): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  mutatingCalls(): FakeCall[] {
    return this.calls.filter((c) => MUTATING_OPERATIONS.includes(c.op));
  }

  /** Seeds a subscription directly (no rule checked, no call recorded). */
  subscribe(sinkSid: string, description = 'test subscription', events: readonly SubscribedEvent[] = []): Subscription {
    const sub = { sid: newSid('DF'), description, sinkSid };
    this.subscriptions.set(sub.sid, sub);
    if (events.length > 0) this.subscribedEvents.set(sub.sid, new Map(events.map((e) => [e.type, e.schemaVersion])));
    return sub;
  }

  /** The events of a subscription, sorted by type (empty for one without events or unknown). */
  eventsOf(subscriptionSid: string): SubscribedEvent[] {
    return [...(this.subscribedEvents.get(subscriptionSid) ?? new Map<string, number>())]
      .map(([type, schemaVersion]) => ({ type, schemaVersion }))
      .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }

  resetStats(): void {
    this.calls.length = 0;
    this.peakConcurrency = 0;
    this.rateLimitedCount = 0;
  }

  async #call<T>(
    op: FakeOperation,
    extra: Pick<FakeCall, 'sid' | 'input' | 'event' | 'type' | 'schemaId'>,
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

  #subscription(sid: string): Subscription {
    const sub = this.subscriptions.get(sid);
    if (sub === undefined) throw notFound(sid, `/Subscriptions/${sid}`);
    return sub;
  }

  /** The problem with subscribing to `event`, or undefined: a catalogue type, in a version of its schema. */
  #eventProblem(event: SubscribedEvent): string | undefined {
    const known = this.catalogue.types.find((t) => t.type === event.type);
    if (known === undefined) return `Invalid event type ${event.type}`;
    const versions = this.catalogue.schemaVersions[known.schemaId] ?? [];
    if (!Number.isInteger(event.schemaVersion) || !versions.includes(event.schemaVersion)) {
      return `Invalid schema version ${event.schemaVersion} for event type ${event.type} (schema ${known.schemaId} has ${versions.join(', ')})`;
    }
    return undefined;
  }

  createSubscription(input: CreateSubscriptionInput): Promise<Subscription> {
    return this.#call('createSubscription', { input }, () => {
      if (input.description === '') throw badRequest('Description is required');
      const sink = this.sinks.get(input.sinkSid);
      if (sink === undefined || sink.status !== 'active') throw sinkNotActive(input.sinkSid);
      if (input.events.length === 0) throw badRequest('Types is required');
      const events = new Map<string, number>();
      for (const event of input.events) {
        const problem = this.#eventProblem(event);
        if (problem !== undefined) throw badRequest(problem);
        if (events.has(event.type)) throw badRequest(`Duplicate event type ${event.type}`);
        events.set(event.type, event.schemaVersion);
      }
      const sub: Subscription = { sid: newSid('DF'), description: input.description, sinkSid: input.sinkSid };
      this.subscriptions.set(sub.sid, sub);
      this.subscribedEvents.set(sub.sid, events);
      return sub;
    });
  }

  updateSubscription(sid: string, update: { readonly description: string }): Promise<Subscription> {
    return this.#call('updateSubscription', { sid, input: update }, () => {
      if (update.description === '') throw badRequest('Description is required');
      const sub = { ...this.#subscription(sid), description: update.description };
      this.subscriptions.set(sid, sub);
      return sub;
    });
  }

  deleteSubscription(sid: string): Promise<void> {
    return this.#call('deleteSubscription', { sid }, () => {
      this.subscriptions.delete(sid);
      this.subscribedEvents.delete(sid);
    });
  }

  listSubscribedEvents(subscriptionSid: string): Promise<SubscribedEvent[]> {
    return this.#call('listSubscribedEvents', { sid: subscriptionSid }, () => {
      this.#subscription(subscriptionSid);
      return this.eventsOf(subscriptionSid);
    });
  }

  addSubscribedEvent(subscriptionSid: string, event: SubscribedEvent): Promise<void> {
    return this.#call('addSubscribedEvent', { sid: subscriptionSid, event }, () => {
      this.#subscription(subscriptionSid);
      const problem = this.#eventProblem(event);
      if (problem !== undefined) throw badRequest(problem);
      const events = this.subscribedEvents.get(subscriptionSid) ?? new Map<string, number>();
      if (events.has(event.type)) throw badRequest(`Event type ${event.type} is already subscribed`);
      events.set(event.type, event.schemaVersion);
      this.subscribedEvents.set(subscriptionSid, events);
    });
  }

  updateSubscribedEvent(subscriptionSid: string, event: SubscribedEvent): Promise<void> {
    return this.#call('updateSubscribedEvent', { sid: subscriptionSid, event }, () => {
      this.#subscription(subscriptionSid);
      const events = this.subscribedEvents.get(subscriptionSid);
      if (events?.has(event.type) !== true) throw notFound(subscriptionSid, `/Subscriptions/${subscriptionSid}/SubscribedEvents/${event.type}`);
      const problem = this.#eventProblem(event);
      if (problem !== undefined) throw badRequest(problem);
      events.set(event.type, event.schemaVersion);
    });
  }

  removeSubscribedEvent(subscriptionSid: string, type: string): Promise<void> {
    return this.#call('removeSubscribedEvent', { sid: subscriptionSid, type }, () => {
      const events = this.subscribedEvents.get(subscriptionSid);
      if (!this.subscriptions.has(subscriptionSid) || events?.has(type) !== true) return; // already gone
      if (events.size === 1) throw badRequest(`Cannot remove ${type}: a Subscription needs at least one event type; delete the Subscription instead`);
      events.delete(type);
    });
  }

  listEventTypes(): Promise<EventType[]> {
    return this.#call('listEventTypes', {}, () => [...this.catalogue.types]);
  }

  listSchemaVersions(schemaId: string): Promise<number[]> {
    return this.#call('listSchemaVersions', { schemaId }, () => {
      const versions = this.catalogue.schemaVersions[schemaId];
      if (versions === undefined) throw notFound(schemaId, `/Schemas/${schemaId}/Versions`);
      return [...versions];
    });
  }
}
