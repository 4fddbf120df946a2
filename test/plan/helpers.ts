/** Small builders for planner and renderer inputs: plain data, no server. */
import type { ConfigValue, DesiredSink, DesiredSubscription, SinkType } from '../../src/desired/model.js';
import { withMarker } from '../../src/plan/marker.js';
import type { PlanOptions } from '../../src/plan/model.js';
import type { RemoteSink, RemoteState, Subscription } from '../../src/remote/model.js';

/** A valid sink SID whose last hex digits are `n`. */
export function sid(n: number): string {
  return `DG${n.toString(16).padStart(32, '0')}`;
}

export function lit(value: string | number | boolean): ConfigValue {
  return { value, sensitive: false, envRefs: [] };
}

/** A `${VAR}` value; `value` undefined means the variable is not set. */
export function secret(variable: string, value: string | undefined): ConfigValue {
  return { value, sensitive: true, template: `\${${variable}}`, envRefs: [variable] };
}

export function desired(
  name: string,
  options: {
    description?: string;
    type?: SinkType;
    config?: Record<string, ConfigValue>;
    sid?: string;
    subscriptions?: DesiredSubscription[];
  } = {},
): DesiredSink {
  return {
    name,
    description: options.description ?? `${name} sink`,
    sinkType: options.type ?? 'webhook',
    sinkConfiguration: options.config ?? {
      destination: lit(`https://example.org/${name}`),
      method: lit('POST'),
    },
    ...(options.sid === undefined ? {} : { sid: options.sid }),
    subscriptions: options.subscriptions ?? [],
    source: { file: `sinks/${name}.yaml`, line: 2, column: 1 },
  };
}

export function remote(
  n: number,
  options: {
    name?: string;
    stack?: string;
    description?: string;
    type?: string;
    config?: Record<string, unknown>;
    status?: string;
    created?: string;
  } = {},
): RemoteSink {
  const base = options.description ?? `${options.name ?? 'unnamed'} sink`;
  return {
    sid: sid(n),
    description: options.name === undefined ? base : withMarker(base, options.name, options.stack),
    sinkType: options.type ?? 'webhook',
    sinkConfiguration: options.config ?? { destination: `https://example.org/${options.name ?? 'x'}`, method: 'POST' },
    status: options.status ?? 'active',
    dateCreated: options.created ?? `2024-01-${String(n % 28 + 1).padStart(2, '0')}T00:00:00Z`,
    dateUpdated: null,
  };
}

/**
 * The account: `sinks`, and for each in-use sink SID the subscriptions on it (somebody else's,
 * listed as Twilio lists them; an empty list: the account says "in use" without naming them).
 */
export function state(
  sinks: RemoteSink[],
  inUse: Record<string, string[]> = {},
  extra: Partial<Pick<RemoteState, 'subscriptions' | 'subscribedEvents' | 'eventTypes' | 'schemaVersions'>> = {},
): RemoteState {
  const listed = Object.entries(inUse).flatMap(([sinkSid, subs]) => subs.map((sid) => ({ sid, description: 'made in the Console', sinkSid })));
  const subscriptions = [...listed, ...(extra.subscriptions ?? [])];
  const bySink = new Map<string, string[]>();
  for (const s of subscriptions) bySink.set(s.sinkSid, [...(bySink.get(s.sinkSid) ?? []), s.sid]);
  return {
    sinks,
    inUse: new Set([...Object.keys(inUse), ...bySink.keys()]),
    subscriptionsBySink: bySink,
    subscriptions,
    subscribedEvents: extra.subscribedEvents ?? new Map(),
    ...(extra.eventTypes === undefined ? {} : { eventTypes: extra.eventTypes }),
    schemaVersions: extra.schemaVersions ?? new Map(),
  };
}

export const PLAN: PlanOptions = { prune: true };

export function dfSid(n: number): string {
  return `DF${n.toString(16).padStart(32, '0')}`;
}

/** A declared subscription: `events` maps type → schema version, in the order written. */
export function subscription(name: string, events: Record<string, number>, options: { description?: string; sid?: string; line?: number } = {}): DesiredSubscription {
  const line = options.line ?? 10;
  return {
    name,
    description: options.description ?? `${name} events`,
    events: Object.entries(events)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, schemaVersion], i) => ({ type, schemaVersion, source: { file: 'sinks/subs.yaml', line: line + 3 + i, column: 9 } })),
    ...(options.sid === undefined ? {} : { sid: options.sid }),
    source: { file: 'sinks/subs.yaml', line, column: 5 },
  };
}

/** A remote subscription on `sinkSid`, with this stack's marker for `sink#name` when given. */
export function remoteSubscription(n: number, sinkSid: string, marker?: { sink: string; name: string; stack?: string }, description = 'events'): Subscription {
  const body = marker === undefined ? undefined : `${marker.stack === undefined ? '' : `${marker.stack}/`}${marker.sink}#${marker.name}`;
  return { sid: dfSid(n), sinkSid, description: body === undefined ? description : `${description} [sinkops:${body}]` };
}

/** A small event-type catalogue, as `GET /v1/Types` and the schema versions would give it. */
export const CATALOGUE: Pick<RemoteState, 'eventTypes' | 'schemaVersions'> = {
  eventTypes: new Map(
    [
      { type: 'com.twilio.messaging.message.delivered', schemaId: 'Messaging.MessageStatus', status: 'available' },
      { type: 'com.twilio.messaging.message.failed', schemaId: 'Messaging.MessageStatus', status: 'available' },
      { type: 'com.twilio.messaging.inbound-message.received', schemaId: 'Messaging.InboundMessageV1', status: 'available' },
      { type: 'com.twilio.voice.status-callback.call.ringing', schemaId: 'Voice.StatusCallback', status: 'deprecated' },
    ].map((t) => [t.type, t] as const),
  ),
  schemaVersions: new Map([
    ['Messaging.MessageStatus', [1, 2, 3]],
    ['Messaging.InboundMessageV1', [1]],
    ['Voice.StatusCallback', [1]],
  ]),
};
