/** The planner's warning and error messages, built in one place so their wording stays uniform. */
import type { DesiredSink } from '../desired/model.js';
import type { RemoteSink } from '../remote/model.js';
import type { PlanError, PlanErrorCode, PlanWarning } from './model.js';
import { markerFor } from './marker.js';

export function planError(code: PlanErrorCode, desired: DesiredSink, message: string): PlanError {
  return { code, message, name: desired.name, source: desired.source };
}

export function unknownSensitive(desired: DesiredSink, key: string): PlanWarning {
  const refs = desired.sinkConfiguration[key]?.envRefs ?? [];
  const vars = refs.length > 0 ? refs.map((r) => `$${r}`).join(', ') : 'its environment variable';
  return {
    code: 'UNKNOWN_SENSITIVE',
    name: desired.name,
    source: desired.source,
    message:
      `${desired.name}: sink_configuration.${key} is unknown because ${vars} is not set; ` +
      'it is compared as unknown (never a replacement), and apply needs it set',
  };
}

export function lookalike(desired: DesiredSink, sink: RemoteSink): PlanWarning {
  return {
    code: 'LOOKALIKE_UNMANAGED',
    name: desired.name,
    sid: sink.sid,
    source: desired.source,
    message:
      `${desired.name}: unmanaged sink ${sink.sid} has the same type and configuration; a new sink ` +
      `will be created. To adopt ${sink.sid} instead, add \`sid: ${sink.sid}\` to ${desired.source.file}`,
  };
}

export function duplicateMarker(
  name: string,
  stack: string | undefined,
  sinks: readonly RemoteSink[],
  keep: RemoteSink,
): PlanWarning {
  const others = sinks.filter((s) => s.sid !== keep.sid).map((s) => s.sid);
  return {
    code: 'DUPLICATE_MARKER',
    name,
    sid: keep.sid,
    message:
      `${name}: ${sinks.length} sinks carry ${markerFor(name, stack)} (${sinks.map((s) => s.sid).join(', ')}); ` +
      `keeping ${keep.sid}, removing ${others.join(', ')} unless in use`,
  };
}

export function notActive(name: string, sink: RemoteSink): PlanWarning {
  const message =
    sink.sinkType === 'kinesis'
      ? `${name} (${sink.sid}) is ${sink.status}, not active: run \`sinkops activate ${name}\` to send a test ` +
        `event, then \`sinkops activate ${name} --test-id <id>\` with the test id read from the stream`
      : `${name} (${sink.sid}) is ${sink.status}, not active: Twilio delivers no events to it`;
  return { code: 'NOT_ACTIVE', name, sid: sink.sid, message };
}

export function pruneDisabled(sinks: readonly { readonly name: string; readonly sink: RemoteSink }[]): PlanWarning {
  const list = sinks.map((s) => `${s.name} (${s.sink.sid})`).join(', ');
  return {
    code: 'PRUNE_DISABLED',
    message: `pruning is off (--no-prune): ${sinks.length} managed sink(s) no longer in the repository are kept: ${list}`,
  };
}

/** `in use by subscription DF…, DF…`, or the generic text when the holders are not known. */
export function inUseReason(subscriptions: readonly string[]): string {
  return subscriptions.length > 0 ? `in use by subscription ${subscriptions.join(', ')}` : 'in use by a subscription';
}

/**
 * The planner's reason for a blocked sink: the subscriptions sinkops may not move (SPEC §13), and the
 * way out — for a declared sink, adopting them (declared under it, pinned by `sid:`); for a pruned one,
 * removing them or keeping the sink.
 */
export function heldReason(subscriptions: readonly string[], declared: boolean): string {
  if (subscriptions.length === 0) return inUseReason(subscriptions);
  const way = declared
    ? `declare it under this sink with \`sid: ${subscriptions[0] ?? ''}\` to let sinkops move it`
    : 'remove it in Twilio, or keep the sink in the repository';
  return `${inUseReason(subscriptions)}, which sinkops does not manage (${way})`;
}

/** A pin left behind by an adopt that replaced its sink: harmless, but it should follow the sink. */
export function stalePin(desired: DesiredSink, pinned: string, current: readonly RemoteSink[]): PlanWarning {
  const now = current.map((s) => s.sid).join(', ');
  return {
    code: 'STALE_PIN',
    name: desired.name,
    sid: pinned,
    source: desired.source,
    message:
      `${desired.name}: pinned sid ${pinned} no longer exists; the sink managed as ${desired.name} is now ${now}. ` +
      `Set \`sid: ${current[0]?.sid ?? ''}\` in ${desired.source.file}, or remove the pin`,
  };
}

/** A configuration key Twilio returns that the repository does not set: kept, and said so. */
export function remoteOnlyKey(desired: DesiredSink, sink: RemoteSink, key: string): PlanWarning {
  const path = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return {
    code: 'REMOTE_ONLY_KEY',
    name: desired.name,
    sid: sink.sid,
    source: desired.source,
    message:
      `${desired.name} (${sink.sid}): Twilio returns sink_configuration.${path}, which ${desired.source.file} does not set; ` +
      'it is not a reason to replace the sink. Set it in the repository to manage it',
  };
}

/** Once per plan: the kept sinks whose secrets Twilio reads back masked or not at all. */
export function secretsUnverifiable(sinks: readonly { readonly name: string; readonly keys: readonly string[] }[]): PlanWarning {
  const list = sinks.map((s) => `${s.name} (${s.keys.join(', ')})`).join(', ');
  return {
    code: 'SECRETS_UNVERIFIABLE',
    message:
      `Twilio does not return the secrets of ${sinks.length} sink(s): ${list}. A secret changed in the repository cannot be ` +
      'seen in the plan; to send a new one, replace the sink with --replace NAME',
  };
}

/** `--replace NAME` for a sink that does not exist yet: it is simply created. */
export function replaceNothing(desired: DesiredSink): PlanWarning {
  return {
    code: 'REPLACE_NOTHING',
    name: desired.name,
    source: desired.source,
    message: `--replace ${desired.name}: the account has no sink for ${desired.name} yet; it will be created`,
  };
}
