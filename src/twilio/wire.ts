import { SinkopsError } from '../errors.js';
import type { EventType, RemoteSink, SubscribedEvent, Subscription } from '../remote/model.js';

/**
 * Twilio's snake_case JSON → the camelCase model. Only the fields sinkops reads are checked, and
 * only as much as a wrong shape would otherwise turn into a confusing failure later — except SIDs,
 * which are checked against their pattern: a SID is put in request paths, plan files and every
 * output unquoted, so one that is not a SID (a path, markup, control characters) is refused here
 * rather than passed on.
 */

/** The patterns of Twilio's OpenAPI description (test/reference/twilio_events_v1.yaml): hex of either case. */
export const SINK_SID = /^DG[0-9a-fA-F]{32}$/;
export const SUBSCRIPTION_SID = /^DF[0-9a-fA-F]{32}$/;

function unexpected(what: string): SinkopsError {
  return new SinkopsError('TWILIO_API', `Unexpected response from the Events API: ${what}.`);
}

/** A value quoted in an error: JSON-escaped, and cut short so a huge answer does not flood the terminal. */
export function quote(value: string): string {
  const limit = 64;
  return JSON.stringify(value.length > limit ? `${value.slice(0, limit)}…` : value);
}

function requiredSid(o: Record<string, unknown>, key: string, what: string, pattern: RegExp, kind: string): string {
  const sid = requiredString(o, key, what);
  if (!pattern.test(sid)) throw unexpected(`${what} has ${key} ${quote(sid)}, which is not a ${kind} SID`);
  return sid;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unexpected(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function requiredString(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw unexpected(`${what} has no ${key}`);
  return v;
}

function optionalString(o: Record<string, unknown>, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

/**
 * `sink_configuration` is an object on the wire; null means none. A JSON string is also accepted,
 * because it is how the field is sent and some API generations echoed it back that way.
 */
function configuration(value: unknown, sid: string): Readonly<Record<string, unknown>> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'string') {
    try {
      return asObject(JSON.parse(value), `sink ${sid} sink_configuration`);
    } catch {
      throw unexpected(`sink ${sid} has a sink_configuration that is not a JSON object`);
    }
  }
  return asObject(value, `sink ${sid} sink_configuration`);
}

export function toRemoteSink(wire: unknown): RemoteSink {
  const o = asObject(wire, 'a sink');
  const sid = requiredSid(o, 'sid', 'a sink', SINK_SID, 'Sink');
  return {
    sid,
    description: optionalString(o, 'description') ?? '',
    sinkType: requiredString(o, 'sink_type', `sink ${sid}`),
    sinkConfiguration: configuration(o['sink_configuration'], sid),
    status: optionalString(o, 'status') ?? '',
    dateCreated: optionalString(o, 'date_created'),
    dateUpdated: optionalString(o, 'date_updated'),
  };
}

export function toSubscription(wire: unknown): Subscription {
  const o = asObject(wire, 'a subscription');
  const sid = requiredSid(o, 'sid', 'a subscription', SUBSCRIPTION_SID, 'Subscription');
  return {
    sid,
    description: optionalString(o, 'description') ?? '',
    sinkSid: requiredSid(o, 'sink_sid', `subscription ${sid}`, SINK_SID, 'Sink'),
  };
}

/**
 * The characters src/terminal-safe.ts escapes: C0/C1 controls, DEL, invisible format characters
 * (bidi overrides, zero-width), lone surrogates, U+2028 and U+2029.
 */
const UNSAFE_TEXT = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;

/** Far beyond any event type or schema id Twilio has (the longest are under 80 characters). */
export const MAX_NAME_LENGTH = 256;

/**
 * Why `value` cannot be an event type or a schema id, or undefined when it can. Both are shown on
 * the terminal, written into plan files and put in request paths (`…/SubscribedEvents/{Type}`,
 * `/v1/Schemas/{Id}/Versions`): a control or format character, an empty value, or `.`/`..` (which a
 * path normaliser would turn into another resource, even encoded) is refused.
 */
export function nameProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value === '.' || value === '..') return 'is a relative path segment';
  if (value.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (UNSAFE_TEXT.test(value)) return 'contains control or invisible characters';
  return undefined;
}

function requiredName(o: Record<string, unknown>, key: string, what: string): string {
  const name = requiredString(o, key, what);
  const problem = nameProblem(name);
  if (problem !== undefined) throw unexpected(`${what} has ${key} ${quote(name)}, which ${problem}`);
  return name;
}

/** A schema version: a whole number of at least 1 (JSON numbers only; `"2"` is not one). */
function requiredVersion(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) return v;
  if (v === undefined || v === null) throw unexpected(`${what} has no ${key}`);
  throw unexpected(`${what} has ${key} ${shown(v)}, which is not a schema version (a whole number of at least 1)`);
}

/** A wrong value as an error shows it: a number as written, a string quoted, anything else by its kind. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return quote(value);
  return Array.isArray(value) ? 'a list' : `a value of type ${typeof value}`;
}

/** One entry of `…/SubscribedEvents` (list key `types`), or the answer to adding or updating one. */
export function toSubscribedEvent(wire: unknown): SubscribedEvent {
  const o = asObject(wire, 'a subscribed event');
  const type = requiredName(o, 'type', 'a subscribed event');
  return { type, schemaVersion: requiredVersion(o, 'schema_version', `subscribed event ${quote(type)}`) };
}

/** One entry of Twilio's event-type catalogue (`/v1/Types`, list key `types`). */
export function toEventType(wire: unknown): EventType {
  const o = asObject(wire, 'an event type');
  const type = requiredName(o, 'type', 'an event type');
  const what = `event type ${quote(type)}`;
  const status = optionalString(o, 'status') ?? '';
  if (UNSAFE_TEXT.test(status)) throw unexpected(`${what} has status ${quote(status)}, which contains control or invisible characters`);
  return { type, schemaId: requiredName(o, 'schema_id', what), status };
}

/** One entry of `/v1/Schemas/{Id}/Versions` (list key `schema_versions`): its version number. */
export function toSchemaVersion(wire: unknown): number {
  return requiredVersion(asObject(wire, 'a schema version'), 'schema_version', 'a schema version');
}

/** The list keys of the Events API lists sinkops reads. */
export type ListKey = 'sinks' | 'subscriptions' | 'types' | 'schema_versions';

export interface Page {
  readonly items: readonly unknown[];
  readonly nextPageUrl: string | null;
}

/** One page of a list: `{ <key>: [...], meta: { next_page_url } }`. */
export function readPage(body: unknown, key: ListKey): Page {
  const o = asObject(body, 'a list page');
  const items = o[key];
  if (!Array.isArray(items)) throw unexpected(`a list page has no '${key}' array`);
  const meta = o['meta'];
  const next = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['next_page_url'] : null;
  return { items, nextPageUrl: typeof next === 'string' && next !== '' ? next : null };
}

/** Twilio's `{ "result": "…" }` answer to Sink Test and Sink Validate. */
export function readResult(body: unknown): string {
  const result = asObject(body, 'a result').result;
  if (typeof result !== 'string') throw unexpected('the answer has no result');
  return result;
}
