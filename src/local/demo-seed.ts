import type { DesiredSink } from '../desired/model.js';
import type { EmulatorSeed } from '../emulator/index.js';
import { withMarker } from '../plan/marker.js';

/**
 * The local account's first state, derived from the repository's own sinks so that the first
 * `sinkops plan --local` shows every kind of action a user will meet:
 * - the first desired sink (fully known, when one is) exists with an older description → update
 * - the first webhook/kinesis sink after it exists with another target → replace
 * - every other desired sink is absent                                  → create
 * - a managed sink that the repository no longer declares               → delete (prune)
 * - a managed sink no longer declared but used by a subscription        → blocked
 * - an email sink and a hand-made webhook without a marker              → unmanaged
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
  return {
    sinks,
    subscriptions: [
      {
        sid: 'DF00000000000000000000000000000001',
        description: 'Audit: every call event',
        sink_sid: 'DG00000000000000000000000000000004',
        types: [{ type: 'com.twilio.voice.status-callback.call.completed', schema_version: 1 }],
      },
    ],
  };
}

/** The sink's configuration as the API would hold it; unknown secrets get a stand-in. */
function plainConfig(sink: DesiredSink): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(sink.sinkConfiguration)) {
    out[key] = v.value === undefined ? 'local-account-stand-in' : v.value;
  }
  return out;
}
