import { SinkopsError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { EventType, RemoteSink, SubscribedEvent, Subscription } from '../remote/model.js';
import type { CreateSinkInput, CreateSubscriptionInput, ListSinksOptions, SinksApi } from '../remote/api.js';
import { matchesCreatedSink } from '../plan/compare.js';
import { DEFAULT_MAX_PAGES, type TwilioConfig } from './config.js';
import { openConnection, type Connection, type ConnectionOptions } from './connection.js';
import { withCreateDefaults } from './create-defaults.js';
import { TwilioApiError } from './errors.js';
import { HttpTransport, type ApiRequest } from './transport.js';
import {
  type ListKey,
  nameProblem,
  quote,
  readPage,
  readResult,
  type Page,
  SINK_SID,
  SUBSCRIPTION_SID,
  toEventType,
  toRemoteSink,
  toSchemaVersion,
  toSubscribedEvent,
  toSubscription,
} from './wire.js';

export interface TwilioClientOptions extends ConnectionOptions {
  /** The most pages one list follows before it fails (default 1,000). */
  readonly maxPages?: number;
}

export { POOL_CONNECTIONS } from './connection.js';

function checkSinkSid(sid: string): string {
  if (!SINK_SID.test(sid)) {
    throw new SinkopsError('NOT_FOUND', `'${sid}' is not a Sink SID (DG followed by 32 hexadecimal digits).`);
  }
  return sid;
}

function checkSubscriptionSid(sid: string): string {
  if (!SUBSCRIPTION_SID.test(sid)) {
    throw new SinkopsError('NOT_FOUND', `'${sid}' is not a Subscription SID (DF followed by 32 hexadecimal digits).`);
  }
  return sid;
}

/**
 * An event type or a schema id as one path segment, percent-encoded. Types hold dots only, but
 * whatever the value, it stays one segment: one that is empty, `.` or `..` (which a path
 * normaliser would resolve to the parent resource — the subscription itself, for a DELETE) or that
 * holds control characters is refused before anything is sent.
 */
function pathSegment(value: string, what: string): string {
  const problem = nameProblem(value);
  if (problem !== undefined) throw new SinkopsError('NOT_FOUND', `${quote(value)} is not ${what}: it ${problem}.`);
  return encodeURIComponent(value);
}

/** A schema version to send: a whole number of at least 1 (never `NaN`, `1.5` or `0` on the wire). */
function checkSchemaVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new SinkopsError('INVALID_INPUT', `${String(version)} is not a schema version (a whole number of at least 1).`);
  }
  return version;
}

/** What `listAll` reads: the list key, what its items are called in errors, and each item's identity. */
interface ListOf<T> {
  readonly key: ListKey;
  /** Plural, as errors say it: "the list of event types did not end…". */
  readonly noun: string;
  readonly map: (wire: unknown) => T;
  /** Two items with the same identity are one item listed twice. */
  readonly id: (item: T) => string;
}

const SINKS: ListOf<RemoteSink> = { key: 'sinks', noun: 'sinks', map: toRemoteSink, id: (s) => s.sid };
const SUBSCRIPTIONS: ListOf<Subscription> = { key: 'subscriptions', noun: 'subscriptions', map: toSubscription, id: (s) => s.sid };
const SUBSCRIBED_EVENTS: ListOf<SubscribedEvent> = { key: 'types', noun: 'subscribed events', map: toSubscribedEvent, id: (e) => e.type };
const EVENT_TYPES: ListOf<EventType> = { key: 'types', noun: 'event types', map: toEventType, id: (t) => t.type };
const SCHEMA_VERSIONS: ListOf<number> = { key: 'schema_versions', noun: 'schema versions', map: toSchemaVersion, id: String };

/**
 * Listings that reconciliations share, at most one in flight per key. Calls that fail together (a
 * burst of 5xx under load) share one listing instead of each paging through the whole account; a
 * listing that began before a failure cannot show that failure's effect, so it is not reused for it.
 */
class SharedListings<T> {
  private readonly inFlight = new Map<string, { readonly startSeq: number; readonly promise: Promise<T> }>();

  constructor(private readonly nextSeq: () => number) {}

  /** What `list` returns, from a request that started after the failure numbered `failureSeq`. */
  after(failureSeq: number, key: string, list: () => Promise<T>): Promise<T> {
    const current = this.inFlight.get(key);
    if (current !== undefined && current.startSeq > failureSeq) return current.promise;
    const startSeq = this.nextSeq();
    const promise = list().finally(() => {
      if (this.inFlight.get(key)?.promise === promise) this.inFlight.delete(key);
    });
    this.inFlight.set(key, { startSeq, promise });
    return promise;
  }
}

/**
 * The sink a create whose answer was lost stored, if the listing shows it. It is compared as the
 * planner compares (SPEC §12): Twilio may read a sink back with its defaults added or its secrets
 * masked, and a byte comparison would then miss the sink and create a second one. The sink being
 * replaced carries the same marker and, with its secret masked, may look just the same, so it is
 * never taken for the new one: the replace would otherwise delete the only copy.
 */
function findCreatedSink(sinks: readonly RemoteSink[], sent: CreateSinkInput): RemoteSink | undefined {
  return sinks.find((sink) => sink.sid !== sent.replacing && matchesCreatedSink(sent, sink));
}

/**
 * The Events v1 API over undici (SPEC §7): one keep-alive pool on the configured origin,
 * paginated lists that never leave that origin, and the retry policy of `HttpTransport`.
 */
export class TwilioClient implements SinksApi {
  private readonly transport: HttpTransport;
  private readonly connection: Connection;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly logger: Logger;
  /** The listings that reconciliations after an unknown outcome share (see `SharedListings`). */
  private readonly sinkListings = new SharedListings<RemoteSink[]>(() => this.transport.nextSeq());
  private readonly subscriptionListings = new SharedListings<Subscription[]>(() => this.transport.nextSeq());
  /** Keyed by subscription SID. */
  private readonly subscribedEventListings = new SharedListings<SubscribedEvent[]>(() => this.transport.nextSeq());

  constructor(config: TwilioConfig, options: TwilioClientOptions = {}) {
    this.pageSize = config.pageSize;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.connection = openConnection(config, options);
    this.transport = this.connection.transport;
    this.logger = this.connection.logger;
  }

  async listSinks(options: ListSinksOptions = {}): Promise<RemoteSink[]> {
    const query = new URLSearchParams();
    if (options.inUse !== undefined) query.set('InUse', String(options.inUse));
    if (options.status !== undefined) query.set('Status', options.status);
    query.set('PageSize', String(this.pageSize));
    return this.listAll(`/v1/Sinks?${query.toString()}`, SINKS);
  }

  async fetchSink(sid: string): Promise<RemoteSink> {
    const path = `/v1/Sinks/${checkSinkSid(sid)}`;
    return this.transport.call({ method: 'GET', path, idempotent: true }, (res) => toRemoteSink(res.body));
  }

  async createSink(input: CreateSinkInput): Promise<RemoteSink> {
    // What is sent is what a lost answer is looked for by: the create defaults included.
    const sent = { ...input, sinkConfiguration: withCreateDefaults(input.sinkType, input.sinkConfiguration) };
    const form = new URLSearchParams({
      Description: sent.description,
      SinkType: sent.sinkType,
      SinkConfiguration: JSON.stringify(sent.sinkConfiguration),
    }).toString();
    const req: ApiRequest = {
      method: 'POST',
      path: '/v1/Sinks',
      form,
      idempotent: false,
      unknownOutcomeHint: "The sink may have been created; run 'sinkops plan' to see the account as it is now.",
    };
    return this.transport.call(
      req,
      (res) => toRemoteSink(res.body),
      async (failureSeq) => findCreatedSink(await this.sinkListings.after(failureSeq, '', () => this.listSinks()), sent),
    );
  }

  /** Sets the description: sending the same value twice is harmless, so it is retried like a GET. */
  async updateSink(sid: string, update: { readonly description: string }): Promise<RemoteSink> {
    const req: ApiRequest = {
      method: 'POST',
      path: `/v1/Sinks/${checkSinkSid(sid)}`,
      form: new URLSearchParams({ Description: update.description }).toString(),
      idempotent: true,
    };
    return this.transport.call(req, (res) => toRemoteSink(res.body));
  }

  async deleteSink(sid: string): Promise<void> {
    const req: ApiRequest = { method: 'DELETE', path: `/v1/Sinks/${checkSinkSid(sid)}`, idempotent: true, goneIsDone: true };
    await this.transport.call(req, () => undefined);
  }

  /** Each Test sends a new test event, so an unknown outcome is reported rather than repeated. */
  async testSink(sid: string): Promise<string> {
    const req: ApiRequest = {
      method: 'POST',
      path: `/v1/Sinks/${checkSinkSid(sid)}/Test`,
      idempotent: false,
      unknownOutcomeHint: 'Twilio may have sent the test event; check the stream before testing again.',
    };
    return this.transport.call(req, (res) => readResult(res.body));
  }

  /** Validate checks one test id against what was received; asking twice gives the same answer. */
  async validateSink(sid: string, testId: string): Promise<string> {
    const req: ApiRequest = {
      method: 'POST',
      path: `/v1/Sinks/${checkSinkSid(sid)}/Validate`,
      form: new URLSearchParams({ TestId: testId }).toString(),
      idempotent: true,
    };
    return this.transport.call(req, (res) => readResult(res.body));
  }

  async listSubscriptions(options: { readonly sinkSid?: string } = {}): Promise<Subscription[]> {
    const query = new URLSearchParams();
    if (options.sinkSid !== undefined) query.set('SinkSid', checkSinkSid(options.sinkSid));
    query.set('PageSize', String(this.pageSize));
    return this.listAll(`/v1/Subscriptions?${query.toString()}`, SUBSCRIPTIONS);
  }

  /**
   * `Types` is one form field per event, each a JSON object, as the twilio package sends it. The
   * description carries the subscription's unique marker, so after an unknown outcome the
   * subscription with that description on that sink is the one this create stored.
   */
  async createSubscription(input: CreateSubscriptionInput): Promise<Subscription> {
    const form = new URLSearchParams({ Description: input.description, SinkSid: checkSinkSid(input.sinkSid) });
    for (const event of input.events) {
      form.append('Types', JSON.stringify({ type: event.type, schema_version: checkSchemaVersion(event.schemaVersion) }));
    }
    const req: ApiRequest = {
      method: 'POST',
      path: '/v1/Subscriptions',
      form: form.toString(),
      idempotent: false,
      unknownOutcomeHint: "The subscription may have been created; run 'sinkops plan' to see the account as it is now.",
    };
    return this.transport.call(
      req,
      (res) => toSubscription(res.body),
      async (failureSeq) =>
        (await this.subscriptionListings.after(failureSeq, '', () => this.listSubscriptions())).find(
          (sub) => sub.description === input.description && sub.sinkSid === input.sinkSid,
        ),
    );
  }

  /** Twilio's update takes `Description` only (SPEC §12); sending it twice is harmless. */
  async updateSubscription(sid: string, update: { readonly description: string }): Promise<Subscription> {
    const req: ApiRequest = {
      method: 'POST',
      path: `/v1/Subscriptions/${checkSubscriptionSid(sid)}`,
      form: new URLSearchParams({ Description: update.description }).toString(),
      idempotent: true,
    };
    return this.transport.call(req, (res) => toSubscription(res.body));
  }

  async deleteSubscription(sid: string): Promise<void> {
    await this.deleteGone(`/v1/Subscriptions/${checkSubscriptionSid(sid)}`);
  }

  async listSubscribedEvents(subscriptionSid: string): Promise<SubscribedEvent[]> {
    const query = new URLSearchParams({ PageSize: String(this.pageSize) });
    return this.listAll(`/v1/Subscriptions/${checkSubscriptionSid(subscriptionSid)}/SubscribedEvents?${query.toString()}`, SUBSCRIBED_EVENTS);
  }

  /**
   * Adding a type the subscription already has fails on Twilio, so an unknown outcome is not
   * blindly re-sent: the subscription's events are listed again, and the type there with the
   * version sent means the add happened.
   */
  async addSubscribedEvent(subscriptionSid: string, event: SubscribedEvent): Promise<void> {
    const sid = checkSubscriptionSid(subscriptionSid);
    const req: ApiRequest = {
      method: 'POST',
      path: `/v1/Subscriptions/${sid}/SubscribedEvents`,
      form: new URLSearchParams({ Type: event.type, SchemaVersion: String(checkSchemaVersion(event.schemaVersion)) }).toString(),
      idempotent: false,
      unknownOutcomeHint: `The event type may have been added to ${sid}; run 'sinkops plan' to see the account as it is now.`,
    };
    await this.transport.call(
      req,
      (res) => toSubscribedEvent(res.body),
      async (failureSeq) =>
        (await this.subscribedEventListings.after(failureSeq, sid, () => this.listSubscribedEvents(sid))).find(
          (listed) => listed.type === event.type && listed.schemaVersion === event.schemaVersion,
        ),
    );
  }

  /** Sets the version of a type the subscription has: the same value twice is harmless. */
  async updateSubscribedEvent(subscriptionSid: string, event: SubscribedEvent): Promise<void> {
    const req: ApiRequest = {
      method: 'POST',
      path: `/v1/Subscriptions/${checkSubscriptionSid(subscriptionSid)}/SubscribedEvents/${pathSegment(event.type, 'an event type')}`,
      form: new URLSearchParams({ SchemaVersion: String(checkSchemaVersion(event.schemaVersion)) }).toString(),
      idempotent: true,
    };
    await this.transport.call(req, (res) => toSubscribedEvent(res.body));
  }

  async removeSubscribedEvent(subscriptionSid: string, type: string): Promise<void> {
    await this.deleteGone(`/v1/Subscriptions/${checkSubscriptionSid(subscriptionSid)}/SubscribedEvents/${pathSegment(type, 'an event type')}`);
  }

  async listEventTypes(): Promise<EventType[]> {
    const query = new URLSearchParams({ PageSize: String(this.pageSize) });
    return this.listAll(`/v1/Types?${query.toString()}`, EVENT_TYPES);
  }

  async listSchemaVersions(schemaId: string): Promise<number[]> {
    const query = new URLSearchParams({ PageSize: String(this.pageSize) });
    return this.listAll(`/v1/Schemas/${pathSegment(schemaId, 'a schema id')}/Versions?${query.toString()}`, SCHEMA_VERSIONS);
  }

  /** Closes the connection pool this client opened (an injected dispatcher belongs to the caller). */
  close(): Promise<void> {
    return this.connection.close();
  }

  /**
   * A DELETE whose target is already gone has done its work (the seam's "one already gone counts
   * as deleted"): a 404 is success, on the first attempt as after one whose outcome was unknown.
   */
  private async deleteGone(path: string): Promise<void> {
    const req: ApiRequest = { method: 'DELETE', path, idempotent: true, goneIsDone: true };
    try {
      await this.transport.call(req, () => undefined);
    } catch (e) {
      if (e instanceof TwilioApiError && e.status === 404) {
        this.logger.debug({ method: req.method, path }, 'twilio delete found nothing to delete');
        return;
      }
      throw e;
    }
  }

  /**
   * Follows `meta.next_page_url`, one page at a time: a page's URL is only known from the one before.
   * A list must end: a page it already returned, or more than `maxPages` pages, is an error. An item
   * on two pages (a listing that shifted under a concurrent change, or a faulty server) — the same
   * SID, event type or version — is one item: the first occurrence is kept, so nothing downstream
   * ever sees one twice.
   */
  private async listAll<T>(firstPath: string, list: ListOf<T>): Promise<T[]> {
    const out: T[] = [];
    const ids = new Set<string>();
    const seen = new Set<string>();
    let path: string | null = firstPath;
    while (path !== null) {
      if (seen.size === this.maxPages) throw this.endlessList(list.noun, out.length);
      seen.add(path);
      const page: Page = await this.transport.call({ method: 'GET', path, idempotent: true }, (res) => readPage(res.body, list.key));
      for (const item of page.items) {
        const value = list.map(item);
        const id = list.id(value);
        if (ids.has(id)) {
          this.logger.debug({ list: list.noun, id }, 'twilio list repeated an item; kept the first');
          continue;
        }
        ids.add(id);
        out.push(value);
      }
      path = page.nextPageUrl === null ? null : this.nextPagePath(page.nextPageUrl);
      if (path !== null && seen.has(path)) {
        throw new SinkopsError('TWILIO_API', `Unexpected response from the Events API: the list of ${list.noun} pages back to a page it already returned.`);
      }
    }
    return out;
  }

  private endlessList(noun: string, count: number): SinkopsError {
    return new SinkopsError(
      'TWILIO_API',
      `Unexpected response from the Events API: the list of ${noun} did not end after ${this.maxPages} pages (${count} ${noun} so far); sinkops stopped following next_page_url.`,
      { details: [`That is far more than an account holds at ${this.pageSize} a page: check TWILIO_EVENTS_BASE_URL and any proxy in between.`] },
    );
  }

  /**
   * The path of the next page, which must be on the configured origin: the Authorization header
   * goes with every request, so a page on another origin is refused before anything is sent.
   */
  private nextPagePath(nextPageUrl: string): string {
    let url: URL;
    try {
      url = new URL(nextPageUrl, this.transport.origin);
    } catch {
      throw new SinkopsError('TWILIO_API', 'Unexpected response from the Events API: next_page_url is not a URL.');
    }
    if (url.origin !== this.transport.origin) {
      throw new SinkopsError(
        'TWILIO_API',
        `The Events API pointed the next page to ${url.origin}, not ${this.transport.origin}; sinkops did not follow it, so the credentials were not sent there.`,
        { details: ['Check TWILIO_EVENTS_BASE_URL and any proxy between sinkops and Twilio.'] },
      );
    }
    return `${url.pathname}${url.search}`;
  }
}
