/**
 * Semantic comparison of a desired sink with a remote one, producing the FieldChanges that
 * renderers display. Pure.
 *
 * Normalisation (SPEC §4 "key order, defaults"):
 * - key order never matters (configurations are compared key by key);
 * - webhook `method` defaults to POST and compares case-insensitively;
 * - webhook `batch_events`: an absent value reads as `false` (Twilio's default), so
 *   `batch_events: false` in YAML against a sink without the key is not a replacement;
 * - Twilio may return scalars as strings (`"true"`, `"1"`): scalars compare by their string form.
 *
 * Read-back tolerance (SPEC §12): the planner never replaces a sink for something Twilio alone
 * introduced when reading it back, because every plan would then replace every sink.
 * - a key the repository does not set is no change: when it holds Twilio's default it is not even
 *   mentioned; any other value is reported (`remoteOnlyKeys`) for the caller to warn about;
 * - a secret (`external_id`, `write_key`) that reads back masked or not at all is *unverifiable*
 *   (`unverifiableKeys`): no change, since sinkops cannot see it; `--replace NAME` rotates it;
 * - a desired value that is unknown (its environment variable is not set) is never a change.
 * The same rules decide whether a sink found after a create with an unknown outcome is the one
 * that create made (`matchesCreatedSink`), so a read-back difference never duplicates a sink.
 */
import { SECRET_CONFIG_KEYS, type ConfigValue, type DesiredSink } from '../desired/model.js';
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

/**
 * Whether Twilio hid a secret when reading it back. Neither AWS external ids nor Segment write keys
 * may contain `*`, so an asterisk in one is masking, whatever its length or the characters it keeps.
 */
function isMasked(value: unknown): boolean {
  return typeof value === 'string' && value.includes('*');
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
  /** Keys only the remote sink has, with a value other than Twilio's default: no change, but worth a warning. */
  readonly remoteOnlyKeys: readonly string[];
  /** Secret keys that Twilio read back masked or left out: they cannot be compared. */
  readonly unverifiableKeys: readonly string[];
}

/** Compares the immutable fields (type, configuration); every difference forces a replacement. */
export function compareImmutable(desired: DesiredSink, remote: RemoteSink): ConfigComparison {
  const changes: FieldChange[] = [];
  if (desired.sinkType !== remote.sinkType) {
    changes.push({
      path: 'sink_type',
      before: JSON.stringify(remote.sinkType),
      after: JSON.stringify(desired.sinkType),
      forcesReplacement: true,
      sensitive: false,
    });
  }
  // Across types, every key differs for real (a webhook has no write_key), and the sink is replaced anyway.
  const config = compareConfiguration(desired.sinkType, desired.sinkConfiguration, remote, changes.length === 0);
  return { ...config, changes: [...changes, ...config.changes] };
}

/**
 * Whether `sink` is what a create of `input` stored, as the planner would see it: the same
 * description (which carries the unique ownership marker), the same type, and a configuration
 * that differs in nothing but what Twilio adds or hides when reading a sink back. The caller must
 * rule out the sink a replacement is replacing: it carries the same marker, and a secret that reads
 * back masked is all that may tell the two apart.
 */
export function matchesCreatedSink(
  input: { readonly description: string; readonly sinkType: string; readonly sinkConfiguration: Readonly<Record<string, unknown>> },
  sink: RemoteSink,
): boolean {
  if (sink.description !== input.description || sink.sinkType !== input.sinkType) return false;
  const wanted: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(input.sinkConfiguration)) {
    wanted[key] = { value: value as ConfigValue['value'], sensitive: false, envRefs: [] };
  }
  return compareConfiguration(input.sinkType, wanted, sink, true).changes.length === 0;
}

/** `tolerant`: apply the read-back tolerance (the sink is of the desired type). */
function compareConfiguration(
  sinkType: string,
  wanted: Readonly<Record<string, ConfigValue>>,
  remote: RemoteSink,
  tolerant: boolean,
): ConfigComparison {
  const changes: FieldChange[] = [];
  const unknownKeys: string[] = [];
  const remoteOnlyKeys: string[] = [];
  const unverifiableKeys: string[] = [];
  const actual = remote.sinkConfiguration;
  const keys = [...new Set([...Object.keys(wanted), ...Object.keys(actual)])].sort();
  for (const key of keys) {
    const d = Object.hasOwn(wanted, key) ? wanted[key] : undefined;
    const hasRemote = Object.hasOwn(actual, key) && actual[key] !== undefined && actual[key] !== null;
    const r = hasRemote ? actual[key] : undefined;
    const secret = SECRET_CONFIG_KEYS.has(key);
    if (d === undefined && tolerant) {
      // Set by Twilio, not by the repository: never a reason to replace.
      if (normalise(sinkType, key, undefined) !== normalise(remote.sinkType, key, r)) remoteOnlyKeys.push(key);
      continue;
    }
    if (d === undefined) {
      changes.push({ path: `sink_configuration.${configKeyPath(key)}`, before: displayRemote(key, r), forcesReplacement: true, sensitive: secret });
      continue;
    }
    if (d.value === undefined) {
      unknownKeys.push(key);
      // Unknown is not a difference, unless the remote sink has no such key at all.
      if (hasRemote || secret) continue;
    } else if (normalise(sinkType, key, d.value) === normalise(remote.sinkType, key, r)) {
      continue;
    } else if (tolerant && secret && (!hasRemote || isMasked(r))) {
      unverifiableKeys.push(key);
      continue;
    }
    changes.push({
      path: `sink_configuration.${configKeyPath(key)}`,
      ...(hasRemote ? { before: displayRemote(key, r) } : {}),
      after: displayDesired(key, d),
      forcesReplacement: true,
      sensitive: d.sensitive || secret,
    });
  }
  return { changes, unknownKeys, remoteOnlyKeys, unverifiableKeys };
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
