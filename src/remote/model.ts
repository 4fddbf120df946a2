/**
 * The account as plain data: what Twilio has. Produced by reading the API (src/remote/read.ts),
 * consumed by the pure planner. Field names are camelCase; the wire format is Twilio's snake_case.
 */

export type SinkStatus = 'initialized' | 'validating' | 'active' | 'failed';

export interface RemoteSink {
  readonly sid: string;
  readonly description: string;
  /** Any type Twilio reports, including ones sinkops does not manage (for example `email`). */
  readonly sinkType: string;
  readonly sinkConfiguration: Readonly<Record<string, unknown>>;
  readonly status: string;
  readonly dateCreated: string | null;
  readonly dateUpdated: string | null;
}

export interface Subscription {
  readonly sid: string;
  readonly description: string;
  readonly sinkSid: string;
}

/** One event type a Subscription delivers, in one schema version (Twilio's SubscribedEvent). */
export interface SubscribedEvent {
  readonly type: string;
  readonly schemaVersion: number;
}

/** An entry of Twilio's event-type catalogue (`GET /v1/Types`). */
export interface EventType {
  readonly type: string;
  /** The schema its events follow, for example `Messaging.MessageStatus`. */
  readonly schemaId: string;
  /** `available`, `deprecated`, … as Twilio says. */
  readonly status: string;
}

export interface RemoteState {
  readonly sinks: readonly RemoteSink[];
  /** SIDs of sinks that at least one Subscription uses. */
  readonly inUse: ReadonlySet<string>;
  /** Subscription SIDs by the SID of the sink they deliver to (every subscription listed). */
  readonly subscriptionsBySink: ReadonlyMap<string, readonly string[]>;
  /**
   * Every Subscription of the account, when it was listed (SPEC §13); empty when only the in-use
   * sinks were read.
   */
  readonly subscriptions: readonly Subscription[];
  /** The events of each subscription sinkops manages, by subscription SID (one list each). */
  readonly subscribedEvents: ReadonlyMap<string, readonly SubscribedEvent[]>;
  /** Twilio's event-type catalogue by type, when the repository declares subscriptions. */
  readonly eventTypes?: ReadonlyMap<string, EventType>;
  /** The versions of each schema the repository's events use, by schema id. */
  readonly schemaVersions: ReadonlyMap<string, readonly number[]>;
}
