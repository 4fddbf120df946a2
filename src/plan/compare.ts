/**
 * Semantic comparison of a desired sink with a remote one, producing the FieldChanges that
 * renderers display. Pure.
 *
 * Normalisation (SPEC §4 "key order, defaults"):
 * - key order never matters (configurations are compared key by key);
 * - webhook `method` defaults to POST and compares case-insensitively;
 * - webhook `batch_events`: Twilio's reference (reference/event-streams-sink-resource.txt) documents
 *   no default, and its examples show the key only when it is `true`; we read an absent value as
 *   `false`, so `batch_events: false` in YAML against a sink without the key is not a replacement;
 * - Twilio may return scalars as strings (`"true"`, `"1"`): scalars compare by their string form.
 * A desired value that is unknown (its environment variable is not set) is never a change: it is
 * reported to the caller, who warns.
 */
import { SECRET_CONFIG_KEYS, type DesiredSink } from '../desired/model.js';
import type { RemoteSink } from '../remote/model.js';
import { canonicalJson } from './canonical.js';
import type { FieldChange } from './model.js';
import { displayDesired, displayRemote } from './sensitive.js';


/** The comparable form of one configuration value, with the type's defaults applied. */
function normalise(sinkType: string, key: string, value: unknown): string {
  if (sinkType === 'webhook' && key === 'method') {
    return value === undefined || value === null ? 'POST' : String(value).toUpperCase();
  }
  if (sinkType === 'webhook' && key === 'batch_events') {
    return value === true || (typeof value === 'string' && value.toLowerCase() === 'true') ? 'true' : 'false';
  }
  if (value === undefined || value === null) return '\u0000absent';
  if (typeof value === 'object') return canonicalJson(value);
  return String(value);
}

/** The field that identifies a sink's destination, per type: a cheap index for lookalike search. */
const PRIMARY_KEY: Readonly<Record<string, string>> = { webhook: 'destination', kinesis: 'arn', segment: 'write_key' };

/**
 * Index keys for finding remote sinks configured like a desired one without comparing it with
 * every sink (10,000 remote sinks × 1,000 creates must stay fast). Equal configurations have equal
 * keys; a candidate found by key is then compared in full. Undefined when the value is unknown.
 */
export function remoteLookalikeKey(sink: RemoteSink): string | undefined {
  const key = PRIMARY_KEY[sink.sinkType];
  return key === undefined ? undefined : `${sink.sinkType}\u0000${normalise(sink.sinkType, key, sink.sinkConfiguration[key])}`;
}

export function desiredLookalikeKey(desired: DesiredSink): string | undefined {
  const key = PRIMARY_KEY[desired.sinkType];
  if (key === undefined) return undefined;
  const value = desired.sinkConfiguration[key];
  if (value !== undefined && value.value === undefined) return undefined;
  return `${desired.sinkType}\u0000${normalise(desired.sinkType, key, value?.value)}`;
}

export interface ConfigComparison {
  /** `sink_type` and `sink_configuration.<key>` changes, all forcing a replacement. */
  readonly changes: readonly FieldChange[];
  /** Keys whose desired value is unknown (environment variable absent), compared as unknown. */
  readonly unknownKeys: readonly string[];
}

/** Compares the immutable fields (type, configuration); every difference forces a replacement. */
export function compareImmutable(desired: DesiredSink, remote: RemoteSink): ConfigComparison {
  const changes: FieldChange[] = [];
  const unknownKeys: string[] = [];
  if (desired.sinkType !== remote.sinkType) {
    changes.push({
      path: 'sink_type',
      before: JSON.stringify(remote.sinkType),
      after: JSON.stringify(desired.sinkType),
      forcesReplacement: true,
      sensitive: false,
    });
  }
  const wanted = desired.sinkConfiguration;
  const actual = remote.sinkConfiguration;
  const keys = [...new Set([...Object.keys(wanted), ...Object.keys(actual)])].sort();
  for (const key of keys) {
    const d = Object.hasOwn(wanted, key) ? wanted[key] : undefined;
    const hasRemote = Object.hasOwn(actual, key) && actual[key] !== undefined && actual[key] !== null;
    const r = hasRemote ? actual[key] : undefined;
    const sensitive = (d?.sensitive ?? false) || SECRET_CONFIG_KEYS.has(key);
    if (d !== undefined && d.value === undefined) {
      unknownKeys.push(key);
      // Unknown is not a difference, unless the remote sink has no such key at all.
      if (hasRemote) continue;
    } else if (normalise(desired.sinkType, key, d?.value) === normalise(remote.sinkType, key, r)) {
      continue;
    }
    changes.push({
      path: `sink_configuration.${configKeyPath(key)}`,
      ...(hasRemote ? { before: displayRemote(key, r) } : {}),
      ...(d !== undefined ? { after: displayDesired(key, d) } : {}),
      forcesReplacement: true,
      sensitive,
    });
  }
  return { changes, unknownKeys };
}

/**
 * A configuration key as it appears in a field path. Keys the repository declares are plain words;
 * a key only the remote has could hold anything (a newline would forge lines in the diffs), so
 * such a key is written as a JSON string.
 */
function configKeyPath(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** The one mutable field; undefined when equal. */
export function compareDescription(before: string, after: string): FieldChange | undefined {
  if (before === after) return undefined;
  return {
    path: 'description',
    before: JSON.stringify(before),
    after: JSON.stringify(after),
    forcesReplacement: false,
    sensitive: false,
  };
}
