import { invalidParameter, notFound, sinkInUse, sinkLimitReached, sinkNotActive } from './errors.js';
import { DEFAULT_SINK_LIMIT, type Activation } from './options.js';
import { OrderedTable, type Cursor, type TablePage } from './ordered-table.js';
import { isoNow, newSid, newTestId } from './sids.js';

/**
 * The emulated account and its rules (SPEC §8, §12): an API create beyond the sink limit is refused
 * (91003); a subscription needs an active sink (91100); a sink in use by a subscription cannot be
 * deleted (91007). How a sink becomes active depends on the activation mode:
 * - `current`: every sink starts active; Test records a test event and changes nothing; Validate
 *   answers valid for any test id (and activates a sink a seed or state file left inactive).
 * - `legacy`: kinesis starts initialized (webhook and segment active); Test records a test event
 *   and moves a sink that is not active to validating; Validate with a recorded test id makes it
 *   active.
 * A subscription's event types (SubscribedEvents) are kept per subscription, keyed by type: adding
 * a type it already has changes that type's version; the last type cannot be removed.
 * Rule violations are thrown as Twilio-style ApiErrors. Whether a type and version exist in the
 * catalogue is checked before the store is asked (event-catalogue.ts): the store keeps what it gets.
 */

/** The account's limit and activation flow, resolved from EmulatorOptions. */
export interface AccountRules {
  readonly sinkLimit: number;
  readonly activation: Activation;
}

export const DEFAULT_ACCOUNT_RULES: AccountRules = { sinkLimit: DEFAULT_SINK_LIMIT, activation: 'current' };

export interface TestEvent {
  readonly testId: string;
  readonly dateCreated: string;
}

export interface SinkRecord {
  readonly sid: string;
  description: string;
  readonly sinkType: string;
  readonly sinkConfiguration: Readonly<Record<string, unknown>>;
  status: string;
  readonly dateCreated: string;
  dateUpdated: string;
  readonly testEvents: TestEvent[];
}

/** One entry of `Types` as a client, a seed or a state file gives it (the version may be left out). */
export interface SubscribedType {
  readonly type: string;
  readonly schema_version?: number;
}

/** One event type of a subscription, with the schema version it is delivered in. */
export interface SubscribedEvent {
  readonly type: string;
  readonly schemaVersion: number;
}

export interface SubscriptionRecord {
  readonly sid: string;
  description: string;
  readonly sinkSid: string;
  /** Keyed by type, in the order they were added (an OrderedTable, so the list's page tokens survive changes). */
  readonly types: OrderedTable<SubscribedEvent>;
  readonly dateCreated: string;
  dateUpdated: string;
}

/** A subscription as seeds and state files give it; `insertSubscription` builds its table of types. */
export type SubscriptionInput = Omit<SubscriptionRecord, 'types'> & { readonly types: readonly SubscribedEvent[] };

/** The type table of a subscription; a type given twice is a programming error here (callers check first). */
function typeTable(types: readonly SubscribedEvent[]): OrderedTable<SubscribedEvent> {
  const table = new OrderedTable<SubscribedEvent>();
  for (const t of types) table.add(t.type, t);
  return table;
}

/** The types given more than once, in the order their repeats appear. */
export function repeatedTypes(types: ReadonlyArray<{ readonly type: string }>): { index: number; type: string }[] {
  const seen = new Set<string>();
  const repeats: { index: number; type: string }[] = [];
  types.forEach((t, index) => {
    if (seen.has(t.type)) repeats.push({ index, type: t.type });
    seen.add(t.type);
  });
  return repeats;
}

export interface SinkFilter {
  readonly inUse?: boolean;
  readonly status?: string;
}

/** Status a new sink starts in: only a legacy kinesis sink needs the test/validate handshake. */
export function initialStatus(sinkType: string, activation: Activation): string {
  return activation === 'legacy' && sinkType === 'kinesis' ? 'initialized' : 'active';
}

const sinkPath = (sid: string): string => `/v1/Sinks/${sid}`;
const subscriptionPath = (sid: string): string => `/v1/Subscriptions/${sid}`;
const subscribedEventPath = (sid: string, type: string): string => `/v1/Subscriptions/${sid}/SubscribedEvents/${type}`;

export class Store {
  private readonly sinkTable = new OrderedTable<SinkRecord>();
  private readonly subscriptionTable = new OrderedTable<SubscriptionRecord>();
  /** Subscription SIDs per sink SID: answers InUse and the delete guard without a scan. */
  private readonly subscriptionsBySink = new Map<string, Set<string>>();

  constructor(readonly rules: AccountRules = DEFAULT_ACCOUNT_RULES) {}

  get isEmpty(): boolean {
    return this.sinkTable.size === 0 && this.subscriptionTable.size === 0;
  }

  sinks(): IterableIterator<SinkRecord> {
    return this.sinkTable.values();
  }

  subscriptions(): IterableIterator<SubscriptionRecord> {
    return this.subscriptionTable.values();
  }

  isInUse(sinkSid: string): boolean {
    return (this.subscriptionsBySink.get(sinkSid)?.size ?? 0) > 0;
  }

  listSinks(filter: SinkFilter, pageSize: number, cursor: Cursor | undefined): TablePage<SinkRecord> {
    const { inUse, status } = filter;
    const match = (s: SinkRecord): boolean =>
      (inUse === undefined || this.isInUse(s.sid) === inUse) && (status === undefined || s.status === status);
    return this.sinkTable.page(match, pageSize, cursor);
  }

  getSink(sid: string): SinkRecord {
    const sink = this.sinkTable.get(sid);
    if (!sink) throw notFound(sinkPath(sid));
    return sink;
  }

  getSinkOrUndefined(sid: string): SinkRecord | undefined {
    return this.sinkTable.get(sid);
  }

  /** Adds a sink as given (state file, seed). The caller has validated it. */
  insertSink(record: SinkRecord): void {
    this.sinkTable.add(record.sid, record);
  }

  /** An API create: counts against the sink limit, which `insertSink` (seeds, state files) does not. */
  createSink(input: { description: string; sinkType: string; sinkConfiguration: Record<string, unknown> }): SinkRecord {
    if (this.sinkTable.size >= this.rules.sinkLimit) throw sinkLimitReached(this.rules.sinkLimit);
    const now = isoNow();
    const record: SinkRecord = {
      sid: newSid('DG'),
      description: input.description,
      sinkType: input.sinkType,
      sinkConfiguration: input.sinkConfiguration,
      status: initialStatus(input.sinkType, this.rules.activation),
      dateCreated: now,
      dateUpdated: now,
      testEvents: [],
    };
    this.sinkTable.add(record.sid, record);
    return record;
  }

  updateSink(sid: string, description: string): SinkRecord {
    const sink = this.getSink(sid);
    sink.description = description;
    sink.dateUpdated = isoNow();
    return sink;
  }

  deleteSink(sid: string): void {
    this.getSink(sid);
    const holders = this.subscriptionsBySink.get(sid);
    if (holders && holders.size > 0) throw sinkInUse(sid, [...holders]);
    this.sinkTable.delete(sid);
  }

  /** Sink Test: "publishes" a test event (readable at /__emulator/sinks/{Sid}/test-events). */
  testSink(sid: string): TestEvent {
    const sink = this.getSink(sid);
    const event: TestEvent = { testId: newTestId(), dateCreated: isoNow() };
    sink.testEvents.push(event);
    // Testing an active sink must not take it, and the subscriptions on it, out of service; in the
    // current flow a test is only a delivery check and never changes the status.
    if (this.rules.activation === 'legacy' && sink.status !== 'active') sink.status = 'validating';
    sink.dateUpdated = event.dateCreated;
    return event;
  }

  /** Sink Validate. Current Twilio answers valid whatever the test id; legacy needs one it sent. */
  validateSink(sid: string, testId: string): void {
    const sink = this.getSink(sid);
    if (this.rules.activation === 'legacy' && !sink.testEvents.some((e) => e.testId === testId)) {
      throw invalidParameter(`Invalid TestId ${testId}: no test event with this id was sent to Sink ${sid}`);
    }
    if (sink.status !== 'active') {
      sink.status = 'active';
      sink.dateUpdated = isoNow();
    }
  }

  listSubscriptions(sinkSid: string | undefined, pageSize: number, cursor: Cursor | undefined): TablePage<SubscriptionRecord> {
    return this.subscriptionTable.page((s) => sinkSid === undefined || s.sinkSid === sinkSid, pageSize, cursor);
  }

  getSubscription(sid: string): SubscriptionRecord {
    const sub = this.subscriptionTable.get(sid);
    if (!sub) throw notFound(subscriptionPath(sid));
    return sub;
  }

  /** Adds a subscription as given (state file, seed), keeping the in-use index right. */
  insertSubscription(input: SubscriptionInput): SubscriptionRecord {
    const record: SubscriptionRecord = { ...input, types: typeTable(input.types) };
    this.subscriptionTable.add(record.sid, record);
    let holders = this.subscriptionsBySink.get(record.sinkSid);
    if (!holders) this.subscriptionsBySink.set(record.sinkSid, (holders = new Set()));
    holders.add(record.sid);
    return record;
  }

  /** An API create; `types` are checked against the catalogue already, and hold each type once. */
  createSubscription(input: { description: string; sinkSid: string; types: readonly SubscribedEvent[] }): SubscriptionRecord {
    const sink = this.sinkTable.get(input.sinkSid);
    if (!sink) throw invalidParameter(`SinkSid ${input.sinkSid} does not name an existing Sink`);
    if (sink.status !== 'active') throw sinkNotActive(input.sinkSid, sink.status);
    const now = isoNow();
    return this.insertSubscription({ sid: newSid('DF'), description: input.description, sinkSid: input.sinkSid, types: input.types, dateCreated: now, dateUpdated: now });
  }

  listSubscribedEvents(sid: string, pageSize: number, cursor: Cursor | undefined): TablePage<SubscribedEvent> {
    return this.getSubscription(sid).types.page(() => true, pageSize, cursor);
  }

  getSubscribedEvent(sid: string, type: string): SubscribedEvent {
    const event = this.getSubscription(sid).types.get(type);
    if (!event) throw notFound(subscribedEventPath(sid, type));
    return event;
  }

  /**
   * Adds a type to a subscription. A type it already has gets the given version instead: the
   * OpenAPI file gives this create a 200 answer beside the 201, the mark of an upsert.
   */
  addSubscribedEvent(sid: string, event: SubscribedEvent): { event: SubscribedEvent; created: boolean; changed: boolean } {
    const sub = this.getSubscription(sid);
    const existing = sub.types.get(event.type);
    if (existing) {
      if (existing.schemaVersion === event.schemaVersion) return { event: existing, created: false, changed: false };
      sub.types.replace(event.type, event);
    } else {
      sub.types.add(event.type, event);
    }
    sub.dateUpdated = isoNow();
    return { event, created: existing === undefined, changed: true };
  }

  updateSubscribedEvent(sid: string, event: SubscribedEvent): { event: SubscribedEvent; changed: boolean } {
    const existing = this.getSubscribedEvent(sid, event.type);
    if (existing.schemaVersion === event.schemaVersion) return { event: existing, changed: false };
    const sub = this.getSubscription(sid);
    sub.types.replace(event.type, event);
    sub.dateUpdated = isoNow();
    return { event, changed: true };
  }

  /**
   * Removes a type. The last one is refused: a subscription that delivers nothing is what the
   * planner must never leave behind (SPEC §13 orders removals after additions for that reason).
   * This is stricter than any documented Twilio rule; Twilio's docs say nothing about it.
   */
  deleteSubscribedEvent(sid: string, type: string): void {
    this.getSubscribedEvent(sid, type);
    const sub = this.getSubscription(sid);
    if (sub.types.size <= 1) {
      throw invalidParameter(`Cannot remove ${type}: it is the last event type of Subscription ${sid}, and a Subscription must keep at least one; delete the Subscription instead`);
    }
    sub.types.delete(type);
    sub.dateUpdated = isoNow();
  }

  updateSubscription(sid: string, description: string | undefined): SubscriptionRecord {
    const sub = this.getSubscription(sid);
    if (description !== undefined) {
      sub.description = description;
      sub.dateUpdated = isoNow();
    }
    return sub;
  }

  deleteSubscription(sid: string): void {
    const sub = this.getSubscription(sid);
    this.subscriptionTable.delete(sid);
    const holders = this.subscriptionsBySink.get(sub.sinkSid);
    holders?.delete(sid);
    if (holders?.size === 0) this.subscriptionsBySink.delete(sub.sinkSid);
  }
}
