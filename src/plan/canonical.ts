/**
 * Canonical JSON and fingerprints of remote sinks. Pure: node:crypto hashing only.
 *
 * The basis of a plan identifies the remote state it was computed from; apply recomputes it to
 * refuse a stale saved plan, and `sinkFingerprint` lets apply check one sink at a time.
 */
import { createHash } from 'node:crypto';
import { SECRET_CONFIG_KEYS } from '../desired/model.js';
import type { RemoteSink, SubscribedEvent, Subscription } from '../remote/model.js';
import { compareText } from './order.js';
import { SENSITIVE_DISPLAY } from './sensitive.js';

/** JSON with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * The canonical form of one sink. Secret-bearing keys (`external_id`, `write_key`) are replaced by
 * a placeholder: the hash is published in plan files and PR comments, and a hash of a short
 * external id would let anyone test guesses offline. Nothing is lost, because Twilio never changes
 * a sink's configuration in place (UpdateSink takes only a Description): a new secret means a new SID.
 */
function canonicalSink(sink: RemoteSink): unknown {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sink.sinkConfiguration)) {
    config[key] = SECRET_CONFIG_KEYS.has(key) ? SENSITIVE_DISPLAY : value;
  }
  return {
    sid: sink.sid,
    description: sink.description,
    sinkType: sink.sinkType,
    sinkConfiguration: config,
    status: sink.status,
  };
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** `sha256:<hex>` of one remote sink (sid, description, type, configuration, status). */
export function sinkFingerprint(sink: RemoteSink): string {
  return sha256(canonicalJson(canonicalSink(sink)));
}

/** `sha256:<hex>` of every remote sink, sorted by SID: the plan's `basis`. */
export function remoteBasis(sinks: readonly RemoteSink[]): string {
  const sorted = [...sinks].sort((a, b) => compareText(a.sid, b.sid));
  return sha256(canonicalJson(sorted.map(canonicalSink)));
}

/**
 * `sha256:<hex>` of one subscription as the plan saw it: description, sink and events (sorted), so
 * a saved plan refuses to act on a subscription that changed since.
 */
export function subscriptionFingerprint(s: Subscription & { readonly events: readonly SubscribedEvent[] }): string {
  const events = [...s.events].sort((a, b) => compareText(a.type, b.type)).map((e) => [e.type, e.schemaVersion]);
  return sha256(canonicalJson({ sid: s.sid, description: s.description, sinkSid: s.sinkSid, events }));
}
