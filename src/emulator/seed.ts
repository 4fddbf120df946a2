import { parse as parseYaml } from 'yaml';
import { SinkopsError } from '../errors.js';
import { readTextFile } from '../files.js';
import { CATALOGUE } from './event-catalogue.js';
import type { Activation, EmulatorSeed, SeedSink, SeedSubscription } from './options.js';
import { isoNow, newSid, SINK_SID_PATTERN, SUBSCRIPTION_SID_PATTERN } from './sids.js';
import { isSinkStatus, isSinkType, SINK_STATUSES, SINK_TYPES, sinkConfigurationProblems } from './sink-config.js';
import { initialStatus, repeatedTypes, type Store, type SubscribedEvent } from './store.js';
import { toSubscribedType } from './subscribed-type.js';

/**
 * A seed is an account to start from:
 * `{ "sinks": [{sid?, description, sink_type, sink_configuration, status?}],
 *    "subscriptions": [{sid?, description, sink_sid, types?: [{type, schema_version?}]}] }`.
 * It is applied only to an empty account, so a subscription's `sink_sid` must name a seeded sink
 * (give that sink a `sid`). A sink's explicit `status` is kept; without one it starts as an API
 * create would in the emulator's activation mode. Seeds are not held to the sink limit. A
 * subscription's types are held to the catalogue as an API create's are (each type once, known,
 * with a version its schema has; the latest when left out), but a seed may give a subscription no
 * types at all, which the API cannot. Every problem is reported at once.
 */

/**
 * A seed of 10,000 sinks is about 2.6 MB of JSON; 32 MiB is ten times that and still parses in
 * well under a second, so only a mistake (or a wrong path) reaches it.
 */
export const MAX_SEED_FILE_BYTES = 32 * 1024 * 1024;

/** Reads a seed file (JSON, or YAML when it ends in .yaml/.yml) and checks it for an emulator in `activation` mode. */
export async function loadSeed(path: string, activation: Activation = 'current'): Promise<EmulatorSeed> {
  const text = readTextFile(path, { what: 'a seed file', maxBytes: MAX_SEED_FILE_BYTES, code: 'CONFIG' });
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new SinkopsError('CONFIG', `seed file ${path} cannot be parsed: ${(e as Error).message}`, { cause: e });
  }
  return checkSeed(raw, `seed file ${path}`, activation);
}

/** Validates a seed (from a file or an object) and returns it typed; throws a CONFIG error listing every problem. */
export function checkSeed(raw: unknown, source = 'seed', activation: Activation = 'current'): EmulatorSeed {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SinkopsError('CONFIG', `${source} must be an object with "sinks" and/or "subscriptions"`);
  }
  const { sinks = [], subscriptions = [], ...rest } = raw as Record<string, unknown>;
  for (const key of Object.keys(rest)) problems.push(`${key}: unknown key (expected sinks, subscriptions)`);
  if (!Array.isArray(sinks)) problems.push('sinks: must be an array');
  if (!Array.isArray(subscriptions)) problems.push('subscriptions: must be an array');
  const sinkStatus = new Map<string, string>();
  const seenSids = new Set<string>();
  const sid = (value: unknown, where: string, pattern: RegExp, prefix: string): void => {
    if (value === undefined) return;
    if (typeof value !== 'string' || !pattern.test(value)) problems.push(`${where}.sid: must be ${prefix} followed by 32 hexadecimal digits`);
    else if (seenSids.has(value)) problems.push(`${where}.sid: ${value} is used twice`);
    else seenSids.add(value);
  };
  const text = (o: Record<string, unknown>, key: string, where: string): void => {
    if (typeof o[key] !== 'string' || o[key] === '') problems.push(`${where}.${key}: must be a non-empty string`);
  };
  (Array.isArray(sinks) ? sinks : []).forEach((item: unknown, i) => {
    const where = `sinks[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return void problems.push(`${where}: must be an object`);
    const { sid: s, description, sink_type: type, sink_configuration: config, status, ...extra } = item as Record<string, unknown>;
    for (const key of Object.keys(extra)) problems.push(`${where}.${key}: unknown key`);
    sid(s, where, SINK_SID_PATTERN, 'DG');
    text({ description }, 'description', where);
    if (typeof type !== 'string' || !isSinkType(type)) return void problems.push(`${where}.sink_type: must be one of ${SINK_TYPES.join(', ')}`);
    for (const p of sinkConfigurationProblems(type, config)) problems.push(`${where}.sink_configuration: ${p}`);
    if (status !== undefined && (typeof status !== 'string' || !isSinkStatus(status))) problems.push(`${where}.status: must be one of ${SINK_STATUSES.join(', ')}`);
    if (typeof s === 'string') sinkStatus.set(s, typeof status === 'string' ? status : initialStatus(type, activation));
  });
  (Array.isArray(subscriptions) ? subscriptions : []).forEach((item: unknown, i) => {
    const where = `subscriptions[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return void problems.push(`${where}: must be an object`);
    const { sid: s, description, sink_sid: sinkSid, types, ...extra } = item as Record<string, unknown>;
    for (const key of Object.keys(extra)) problems.push(`${where}.${key}: unknown key`);
    sid(s, where, SUBSCRIPTION_SID_PATTERN, 'DF');
    text({ description }, 'description', where);
    const status = typeof sinkSid === 'string' ? sinkStatus.get(sinkSid) : undefined;
    if (status === undefined) problems.push(`${where}.sink_sid: must be the sid of a sink in this seed`);
    else if (status !== 'active') problems.push(`${where}.sink_sid: sink ${String(sinkSid)} is ${status}; a subscription needs an active sink`);
    if (types !== undefined) {
      if (!Array.isArray(types)) problems.push(`${where}.types: must be an array`);
      else {
        const resolved: SubscribedEvent[] = [];
        types.forEach((t: unknown, j) => {
          const entry = toSubscribedType(t);
          const event = typeof entry === 'string' ? entry : CATALOGUE.resolve(entry);
          if (typeof event === 'string') problems.push(`${where}.types[${j}]: ${event}`);
          else resolved.push(event);
        });
        for (const repeat of repeatedTypes(resolved)) problems.push(`${where}.types: ${repeat.type} is given more than once`);
      }
    }
  });
  if (problems.length > 0) throw new SinkopsError('CONFIG', `${source} is not valid`, { details: problems });
  return { sinks: sinks as SeedSink[], subscriptions: subscriptions as SeedSubscription[] };
}

/** Puts a checked seed into an empty store. */
export function applySeed(store: Store, seed: EmulatorSeed): void {
  const now = isoNow();
  for (const s of seed.sinks) insertSeedSink(store, s, now, initialStatus(s.sink_type, store.rules.activation));
  for (const s of seed.subscriptions) insertSeedSubscription(store, s, now);
}

function insertSeedSink(store: Store, s: SeedSink, now: string, defaultStatus: string): void {
  store.insertSink({
    sid: s.sid ?? newSid('DG'),
    description: s.description,
    sinkType: s.sink_type,
    sinkConfiguration: s.sink_configuration,
    status: s.status ?? defaultStatus,
    dateCreated: now,
    dateUpdated: now,
    testEvents: [],
  });
}

/** The seed was checked: every type resolves (a type left without a version gets its schema's latest). */
function insertSeedSubscription(store: Store, s: SeedSubscription, now: string): void {
  const types = (s.types ?? []).map((t) => CATALOGUE.resolve(t)).filter((t): t is SubscribedEvent => typeof t !== 'string');
  store.insertSubscription({ sid: s.sid ?? newSid('DF'), description: s.description, sinkSid: s.sink_sid, types, dateCreated: now, dateUpdated: now });
}
