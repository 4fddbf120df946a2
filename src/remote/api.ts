import type { EventType, RemoteSink, SinkStatus, SubscribedEvent, Subscription } from './model.js';

export interface ListSinksOptions {
  readonly inUse?: boolean;
  readonly status?: SinkStatus;
}

export interface CreateSinkInput {
  readonly description: string;
  readonly sinkType: string;
  readonly sinkConfiguration: Readonly<Record<string, unknown>>;
  /**
   * The SID of the sink this create replaces: it carries the same marker, so it is never taken
   * for the created sink.
   */
  readonly replacing?: string;
}

/**
 * The operations sinkops needs from the Events API. The undici client implements it against
 * Twilio (or the emulator); tests may substitute an in-memory fake.
 */
export interface SinksApi {
  /** Every page, following `meta.next_page_url`. */
  listSinks(options?: ListSinksOptions): Promise<RemoteSink[]>;
  fetchSink(sid: string): Promise<RemoteSink>;
  /**
   * Creates a sink. When the outcome is unknown (timeout, reset, 5xx) it is never blindly re-sent:
   * the sinks are listed again and a sink with the same description (which carries the unique
   * ownership marker), type and configuration — compared as the planner compares, with Twilio's
   * read-back defaults and masked secrets — other than `replacing` is returned instead.
   */
  createSink(input: CreateSinkInput): Promise<RemoteSink>;
  updateSink(sid: string, update: { readonly description: string }): Promise<RemoteSink>;
  deleteSink(sid: string): Promise<void>;
  /** Sink Test: returns Twilio's `result` (for example `submitted`). */
  testSink(sid: string): Promise<string>;
  /** Sink Validate: returns Twilio's `result` (for example `valid`). */
  validateSink(sid: string, testId: string): Promise<string>;
  listSubscriptions(options?: { readonly sinkSid?: string }): Promise<Subscription[]>;
  /**
   * Creates a subscription delivering `events` (at least one) to `sinkSid`. Like a sink create, an
   * unknown outcome is never blindly re-sent: the subscriptions are listed again and one with the
   * same description (which carries the unique marker) on the same sink is returned instead.
   */
  createSubscription(input: CreateSubscriptionInput): Promise<Subscription>;
  /** Sets the description (the one field Twilio lets a subscription change besides its events). */
  updateSubscription(sid: string, update: { readonly description: string }): Promise<Subscription>;
  /** Deletes a subscription; one already gone counts as deleted. */
  deleteSubscription(sid: string): Promise<void>;
  /** `GET /v1/Subscriptions/{Sid}/SubscribedEvents`, every page. */
  listSubscribedEvents(subscriptionSid: string): Promise<SubscribedEvent[]>;
  /** Adds an event type to a subscription (`POST …/SubscribedEvents`). */
  addSubscribedEvent(subscriptionSid: string, event: SubscribedEvent): Promise<void>;
  /** Changes the schema version of one of its event types (`POST …/SubscribedEvents/{Type}`). */
  updateSubscribedEvent(subscriptionSid: string, event: SubscribedEvent): Promise<void>;
  /** Removes an event type (`DELETE …/SubscribedEvents/{Type}`); one already gone counts as removed. */
  removeSubscribedEvent(subscriptionSid: string, type: string): Promise<void>;
  /** Twilio's event-type catalogue (`GET /v1/Types`), every page. */
  listEventTypes(): Promise<EventType[]>;
  /** The version numbers of one schema (`GET /v1/Schemas/{Id}/Versions`), every page. */
  listSchemaVersions(schemaId: string): Promise<number[]>;
}

export interface CreateSubscriptionInput {
  /** The full description, ownership marker included. */
  readonly description: string;
  readonly sinkSid: string;
  readonly events: readonly SubscribedEvent[];
}
