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

export interface RemoteState {
  readonly sinks: readonly RemoteSink[];
  /** SIDs of sinks that at least one Subscription uses (from `GET /v1/Sinks?InUse=true`). */
  readonly inUse: ReadonlySet<string>;
  /** Subscriptions that hold in-use sinks, by sink SID (filled for the sinks a plan wants to remove). */
  readonly subscriptionsBySink: ReadonlyMap<string, readonly string[]>;
}
