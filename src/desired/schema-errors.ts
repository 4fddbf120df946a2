/**
 * Turns ajv errors into one clear message each, with the document path they belong to. Pure:
 * positions are attached by the caller, which holds the YAML nodes.
 *
 * The wording of the common cases (a wrong type, a missing key, an enum, a pattern, a length) is
 * shared by every YAML file sinkops reads; what differs per kind of file — how a path reads, what
 * an unknown key probably meant, which values are safe to repeat — is a `SchemaWording`. Sink
 * files have theirs here (`describeSchemaErrors`); sinkops.yaml has its own in src/accounts.
 */
import type { ErrorObject } from 'ajv';
import { SECRET_CONFIG_KEYS, SINK_TYPES, type SinkType } from './model.js';
import { suggestionSuffix } from './did-you-mean.js';
import type { SinkSchema } from './schema.js';

export interface SchemaProblem {
  readonly code: 'SCHEMA' | 'UNKNOWN_KEY';
  /** Path of the node the message is about, from the document root. */
  readonly path: readonly string[];
  /** Point at the key (unknown keys, missing keys' parent) or at the value (wrong values). */
  readonly target: 'key' | 'value';
  readonly message: string;
}

function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A key as written, made safe for a one-line message. */
export function showKey(key: string): string {
  const clean = JSON.stringify(key).slice(1, -1);
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

/**
 * A path as a user reads it, `subscriptions[1].events`, `accounts[0].dir`: `isIndex(path, i)` says
 * which segments are positions in a list (shown in brackets).
 */
export function pathDisplay(path: readonly string[], isIndex: (path: readonly string[], i: number) => boolean): string {
  if (path.length === 0) return 'the document';
  return path.map((segment, i) => (isIndex(path, i) ? `[${showKey(segment)}]` : `${i === 0 ? '' : '.'}${showKey(segment)}`)).join('');
}

/** `sink_configuration.destination`, `subscriptions[1].events`: a sink path as a user reads it. */
function display(path: readonly string[]): string {
  return pathDisplay(path, (p, i) => i === 1 && p[0] === 'subscriptions');
}

/** `['subscriptions', '0', 'events']`: the map of event types to schema versions. */
function isEventsPath(path: readonly string[]): boolean {
  return path.length === 3 && path[0] === 'subscriptions' && path[2] === 'events';
}

/** `['subscriptions', '0', 'events', <type>]`: one event type's schema version. */
function isVersionPath(path: readonly string[]): boolean {
  return path.length === 4 && path[0] === 'subscriptions' && path[2] === 'events';
}

/** The shape of the events map, for messages that have to say how to write one. */
const EVENTS_EXAMPLE = "'<event type>: <schema version>', for example com.twilio.messaging.message.delivered: 1";

/** Same shape as a Twilio event type (the schema's propertyNames pattern), for hints. */
const LOOKS_LIKE_EVENT_TYPE = /^[a-z0-9]+(\.[a-z0-9-]+)+$/;

/** The rest of "schema version … must be a whole number of at least 1" for a wrong value. */
function versionProblem(data: unknown): string {
  if (data === null) return ', but it is empty';
  if (typeof data === 'number') return `, not ${String(data)}`;
  if (typeof data === 'string') {
    const quoted = JSON.stringify(data);
    const shown = quoted.length > 30 ? `${quoted.slice(0, 26)}..."` : quoted;
    return /^\s*\d+\s*$/.test(data) ? `, not the string ${shown} (write it without quotes)` : `, not the string ${shown}`;
  }
  return `, not ${describeType(data)}`;
}

/**
 * The offending value, quoted, when it is safe to repeat: not a secret key, no `${…}` reference
 * (its expansion could be secret), and short.
 */
function showValue(path: readonly string[], data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  const last = path[path.length - 1];
  if (path[0] === 'sink_configuration' && last !== undefined && SECRET_CONFIG_KEYS.has(last)) return undefined;
  return quotedValue(data);
}

/** A string value quoted and cut short for a one-line message; undefined when it holds a `${…}` reference (its expansion could be secret). */
export function quotedValue(data: unknown): string | undefined {
  if (typeof data !== 'string' || data.includes('${')) return undefined;
  const quoted = JSON.stringify(data);
  return quoted.length > 60 ? `${quoted.slice(0, 56)}..."` : quoted;
}

function describeType(data: unknown): string {
  if (data === null) return 'empty';
  if (Array.isArray(data)) return 'a list';
  switch (typeof data) {
    case 'object':
      return 'a mapping';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    default:
      return typeof data;
  }
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function sinkTypeOf(doc: Record<string, unknown>): SinkType | undefined {
  const t = doc['sink_type'];
  return SINK_TYPES.find((s) => s === t);
}

function annotation(e: ErrorObject, name: 'patternErrorMessage' | 'errorMessage'): string | undefined {
  const v: unknown = e.parentSchema?.[name];
  return typeof v === 'string' ? v : undefined;
}

function unknownKey(path: string[], key: string, doc: Record<string, unknown>, schema: SinkSchema): SchemaProblem {
  const keyPath = [...path, key];
  const allConfigKeys = SINK_TYPES.flatMap((t) => schema.configKeys[t]);
  if (path.length === 0) {
    let hint = suggestionSuffix(key, schema.topLevelKeys);
    if (hint === '' && allConfigKeys.includes(key)) hint = `; '${key}' belongs under sink_configuration`;
    if (hint === '' && (key === 'events' || LOOKS_LIKE_EVENT_TYPE.test(key))) {
      hint = `; '${showKey(key)}' belongs under a subscription, in subscriptions`;
    }
    return { code: 'UNKNOWN_KEY', path: keyPath, target: 'key', message: `unknown key '${showKey(key)}'${hint}` };
  }
  if (path[0] === 'subscriptions') {
    let hint = suggestionSuffix(key, schema.subscriptionKeys);
    if (hint === '' && LOOKS_LIKE_EVENT_TYPE.test(key)) hint = `; event types belong under events (${EVENTS_EXAMPLE})`;
    return { code: 'UNKNOWN_KEY', path: keyPath, target: 'key', message: `unknown key '${showKey(key)}' in ${display(path)}${hint}` };
  }
  const type = sinkTypeOf(doc);
  const where = type ? `${display(path)} for sink_type ${type}` : display(path);
  let hint = type ? suggestionSuffix(key, schema.configKeys[type]) : '';
  if (hint === '') {
    const owners = SINK_TYPES.filter((t) => t !== type && schema.configKeys[t].includes(key));
    if (owners.length > 0) hint = ` ('${key}' is a setting of sink_type ${owners.join(', ')})`;
  }
  return { code: 'UNKNOWN_KEY', path: keyPath, target: 'key', message: `unknown key '${showKey(key)}' in ${where}${hint}` };
}

/**
 * The problems of a subscription's `events` map, said in its own words: an event type that is not
 * one (pointed at the key), a schema version that is not a whole number ≥ 1, a map with no event.
 * `null` when the error is about something else; `undefined` when it says nothing new.
 */
function describeEventProblem(e: ErrorObject, path: readonly string[]): SchemaProblem | undefined | null {
  if (isEventsPath(path) && e.propertyName !== undefined) {
    // Inside propertyNames: the data is the key, which ajv names in propertyName.
    const key = e.propertyName;
    const subject = `event type '${showKey(key)}' in ${display(path)}`;
    const keyProblem = (message: string): SchemaProblem => ({ code: 'SCHEMA', path: [...path, key], target: 'key', message });
    switch (e.keyword) {
      case 'pattern':
        return keyProblem(`${subject} ${annotation(e, 'patternErrorMessage') ?? 'is not a Twilio event type'}`);
      case 'maxLength':
        return keyProblem(`${subject} must be at most ${String((e.params as { limit: number }).limit)} characters (it has ${key.length})`);
      default:
        return keyProblem(`${subject} ${e.message ?? 'is invalid'}`);
    }
  }
  if (isEventsPath(path) && (e.keyword === 'minProperties' || (e.keyword === 'type' && e.data === null))) {
    return {
      code: 'SCHEMA',
      path,
      target: 'value',
      message: `${display(path)} is empty: a subscription must deliver at least one event type; write each as ${EVENTS_EXAMPLE}`,
    };
  }
  if (isEventsPath(path) && e.keyword === 'type') {
    return {
      code: 'SCHEMA',
      path,
      target: 'value',
      message: `${display(path)} must be a mapping of event type to schema version (${EVENTS_EXAMPLE}), not ${describeType(e.data)}`,
    };
  }
  if (isVersionPath(path) && (e.keyword === 'type' || e.keyword === 'minimum')) {
    const type = showKey(path[3] ?? '');
    return {
      code: 'SCHEMA',
      path,
      target: 'value',
      message: `schema version of '${type}' in ${display(path.slice(0, 3))} must be a whole number of at least 1${versionProblem(e.data)}`,
    };
  }
  return null;
}

/** What describing ajv's errors needs to know about one kind of file. */
export interface SchemaWording {
  /** A path as a user reads it: `sink_configuration.destination`, `accounts[0].dir`. */
  display(path: readonly string[]): string;
  /** The problem of a key the schema does not allow in the mapping at `path`. */
  unknownKey(path: readonly string[], key: string): SchemaProblem;
  /** The offending value, quoted, when it is safe to repeat in a message. */
  showValue(path: readonly string[], data: unknown): string | undefined;
  /** Said after "missing required key 'k' in <path>", for example ` for sink_type webhook`. */
  requiredSuffix?(path: readonly string[], missing: string): string;
  /**
   * An error this kind of file words itself: its problem, undefined when it says nothing new, or
   * null for the common wording.
   */
  special?(e: ErrorObject, path: readonly string[]): SchemaProblem | undefined | null;
}

function describeOne(e: ErrorObject, wording: SchemaWording): SchemaProblem | undefined {
  const path = pointerToPath(e.instancePath);
  const at = wording.display(path);
  const params = e.params as Record<string, unknown>;
  const problem = (message: string, target: 'key' | 'value' = 'value'): SchemaProblem => ({
    code: 'SCHEMA',
    path,
    target,
    message,
  });
  if (e.keyword === 'if' || e.keyword === 'propertyNames') {
    // "must match then schema", "property name must be valid": the errors inside say what is wrong.
    return undefined;
  }
  const special = wording.special?.(e, path) ?? null;
  if (special !== null) return special;
  switch (e.keyword) {
    case 'additionalProperties':
      return wording.unknownKey(path, String(params['additionalProperty']));
    case 'required': {
      const missing = showKey(String(params['missingProperty']));
      if (path.length === 0) return problem(`missing required key '${missing}'`, 'key');
      return problem(`missing required key '${missing}' in ${at}${wording.requiredSuffix?.(path, missing) ?? ''}`, 'key');
    }
    case 'type': {
      const expected = EXPECTED[String(params['type'])] ?? String(params['type']);
      if (e.data === null) return problem(`${at} must be ${expected}, but it is empty`);
      const quoteHint =
        params['type'] === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean')
          ? ' (put the value in quotes)'
          : '';
      return problem(`${at} must be ${expected}, not ${describeType(e.data)}${quoteHint}`);
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const shown = wording.showValue(path, e.data);
      const hint = typeof e.data === 'string' ? suggestionSuffix(e.data, allowed) : '';
      return problem(`${at} must be one of ${allowed.join(', ')}${shown ? `, not ${shown}` : ''}${hint}`);
    }
    case 'pattern': {
      // The schema's messages have no subject ("must be …") so that editors can show them too.
      const text = `${at} ${annotation(e, 'patternErrorMessage') ?? 'has an invalid format'}`;
      const shown = wording.showValue(path, e.data);
      return problem(shown ? `${text}, not ${shown}` : text);
    }
    case 'minLength':
      return problem(
        params['limit'] === 1 ? `${at} must not be empty` : `${at} must be at least ${String(params['limit'])} characters`,
      );
    case 'maxLength': {
      const length = typeof e.data === 'string' ? ` (it has ${e.data.length})` : '';
      return problem(`${at} must be at most ${String(params['limit'])} characters${length}`);
    }
    default:
      return problem(`${at} ${annotation(e, 'errorMessage') ?? e.message ?? 'is invalid'}`);
  }
}

/** How sink files word their problems (SPEC §2). */
function sinkWording(doc: Record<string, unknown>, schema: SinkSchema): SchemaWording {
  return {
    display,
    unknownKey: (path, key) => unknownKey([...path], key, doc, schema),
    showValue,
    requiredSuffix(path, missing) {
      if (path[0] === 'subscriptions' && missing === 'events') return `: a subscription must deliver at least one event type (${EVENTS_EXAMPLE})`;
      const type = sinkTypeOf(doc);
      return path[0] === 'sink_configuration' && type ? ` for sink_type ${type}` : '';
    },
    special: describeEventProblem,
  };
}

/** One problem per distinct message and place, in ajv's (schema) order, worded for the file at hand. */
export function describeSchemaErrorsWith(errors: readonly ErrorObject[], wording: SchemaWording): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = describeOne(e, wording);
    if (!p) continue;
    const key = `${p.path.join('\u0000')}\u0001${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** One problem per distinct message and place of a sink document, in ajv's (schema) order. */
export function describeSchemaErrors(
  errors: readonly ErrorObject[],
  doc: Record<string, unknown>,
  schema: SinkSchema,
): SchemaProblem[] {
  return describeSchemaErrorsWith(errors, sinkWording(doc, schema));
}
