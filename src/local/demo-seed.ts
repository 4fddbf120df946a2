import type { DesiredSink, DesiredSubscription } from '../desired/model.js';
import { EVENT_SCHEMAS, EVENT_TYPES, type EmulatorSeed, type SeedSubscription } from '../emulator/index.js';
import { withMarker, withSubscriptionMarker } from '../plan/marker.js';

/**
 * The local account's first state, derived from the repository's own sinks so that the first
 * `sinkops plan --local` shows every kind of action a user will meet:
 * - the first desired sink (fully known, when one is) exists with an older description → update
 * - the first webhook/kinesis sink after it exists with another target → replace
 * - every other desired sink is absent                                  → create
 * - a managed sink that the repository no longer declares               → delete (prune)
 * - a managed sink no longer declared but used by a subscription        → blocked
 *   (the subscription is unmanaged: sinkops never deletes it to free the sink)
 * - an email sink and a hand-made webhook without a marker              → unmanaged
 * - the updated (else the replaced) sink's first declared subscription exists, managed, with one
 *   event at another schema version, its other events missing and one event it does not declare
 *   → subscription update: a version change, additions, a removal (see seededSubscription)
 * Pure: the same sinks give the same seed.
 */
export function demoSeed(desired: readonly DesiredSink[], stack?: string): EmulatorSeed {
  const sorted = [...desired].sort((a, b) => a.name.localeCompare(b.name));
  // The updated sink is one whose configuration is fully known when possible: a secret whose
  // variable is unset gets a stand-in below, which a later `apply` with the variable set would see
  // as a configuration change, turning the update that plan showed into a replacement.
  const updated = sorted.find((s) => Object.values(s.sinkConfiguration).every((v) => v.value !== undefined)) ?? sorted[0];
  const others = sorted.filter((s) => s !== updated);
  const replaced = others.find((s) => s.sinkType === 'webhook' || s.sinkType === 'kinesis');
  const sinks: EmulatorSeed['sinks'][number][] = [];
  if (updated) {
    sinks.push({
      sid: 'DG00000000000000000000000000000001',
      description: withMarker(`${updated.description} (previous wording)`, updated.name, stack),
      sink_type: updated.sinkType,
      sink_configuration: plainConfig(updated),
      status: 'active',
    });
  }
  if (replaced) {
    const config = plainConfig(replaced);
    if (replaced.sinkType === 'webhook') config['destination'] = 'https://old.example.org/events';
    else config['arn'] = 'arn:aws:kinesis:us-east-1:111111111111:stream/old-stream';
    sinks.push({
      sid: 'DG00000000000000000000000000000002',
      description: withMarker(replaced.description, replaced.name, stack),
      sink_type: replaced.sinkType,
      sink_configuration: config,
      status: 'active',
    });
  }
  sinks.push(
    {
      sid: 'DG00000000000000000000000000000003',
      description: withMarker('Legacy order events, no longer declared', 'legacy-orders', stack),
      sink_type: 'webhook',
      sink_configuration: { destination: 'https://legacy.example.org/orders', method: 'POST' },
      status: 'active',
    },
    {
      sid: 'DG00000000000000000000000000000004',
      description: withMarker('Audit trail, still subscribed', 'audit-trail', stack),
      sink_type: 'webhook',
      sink_configuration: { destination: 'https://audit.example.org/events', method: 'POST' },
      status: 'active',
    },
    {
      sid: 'DG00000000000000000000000000000005',
      description: 'Support team e-mail digest (made in the Console)',
      sink_type: 'email',
      sink_configuration: {},
      status: 'active',
    },
    {
      sid: 'DG00000000000000000000000000000006',
      description: 'Hand-made test hook',
      sink_type: 'webhook',
      sink_configuration: { destination: 'https://hooks.example.org/manual', method: 'GET' },
      status: 'active',
    },
  );
  // On the updated sink (changed in place); failing that, on the replaced one (then moved).
  const changedSubscription =
    (updated ? seededSubscription(updated, 'DG00000000000000000000000000000001', stack) : undefined) ??
    (replaced ? seededSubscription(replaced, 'DG00000000000000000000000000000002', stack) : undefined);
  return {
    sinks,
    subscriptions: [
      {
        sid: 'DF00000000000000000000000000000001',
        description: 'Audit: every call event',
        sink_sid: 'DG00000000000000000000000000000004',
        types: [{ type: 'com.twilio.voice.status-callback.call.completed', schema_version: 1 }],
      },
      ...(changedSubscription ? [changedSubscription] : []),
    ],
  };
}

/** Event types every local account's catalogue has, in the order one is picked as "no longer declared". */
const SPARE_EVENT_TYPES = [
  'com.twilio.messaging.inbound-message.received',
  'com.twilio.messaging.message.failed',
  'com.twilio.messaging.message.delivered',
];

/** The schema versions the local account knows for `type` (none when the type is not in its catalogue). */
function versionsOf(type: string): number[] {
  const schemaId = EVENT_TYPES.find((t) => t.type === type)?.schemaId;
  return EVENT_SCHEMAS.find((s) => s.id === schemaId)?.versions.map((v) => v.version) ?? [];
}

/**
 * The remote side of the updated sink's first declared subscription whose events the catalogue
 * knows, as a subscription update shows every kind of event change: managed (its marker), on the
 * seeded sink, its first event at another version (the one below when there is one), its other
 * events absent (added by the plan), and one event type it does not declare (removed). Declared
 * events the local catalogue does not know are left out: the seed would be refused, and the plan
 * reports them as errors anyway. Undefined when the sink declares no such subscription.
 */
function seededSubscription(sink: DesiredSink, sinkSid: string, stack: string | undefined): SeedSubscription | undefined {
  for (const sub of [...sink.subscriptions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const changed = sub.events.find((e) => versionsOf(e.type).includes(e.schemaVersion));
    if (changed === undefined) continue;
    const versions = versionsOf(changed.type);
    const other = versions.includes(changed.schemaVersion - 1) ? changed.schemaVersion - 1 : versions.find((v) => v !== changed.schemaVersion);
    const spare = SPARE_EVENT_TYPES.find((t) => !declares(sub, t) && versionsOf(t).length > 0);
    return {
      sid: sub.sid ?? 'DF00000000000000000000000000000002',
      description: withSubscriptionMarker(sub.description, sink.name, sub.name, stack),
      sink_sid: sinkSid,
      types: [
        { type: changed.type, schema_version: other ?? changed.schemaVersion },
        ...(spare === undefined ? [] : [{ type: spare, schema_version: versionsOf(spare)[0] ?? 1 }]),
      ],
    };
  }
  return undefined;
}

function declares(sub: DesiredSubscription, type: string): boolean {
  return sub.events.some((e) => e.type === type);
}

/** The sink's configuration as the API would hold it; unknown secrets get a stand-in. */
function plainConfig(sink: DesiredSink): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(sink.sinkConfiguration)) {
    out[key] = v.value === undefined ? 'local-account-stand-in' : v.value;
  }
  return out;
}
