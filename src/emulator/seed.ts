import { parse as parseYaml } from 'yaml';
import { SinkopsError } from '../errors.js';
import { readTextFile } from '../files.js';
import { CATALOGUE } from './event-catalogue.js';
import { accountFieldProblem, type AccountRegistry } from './accounts.js';
import { ACCOUNT_SID_PATTERN, type Activation, type EmulatorSeed, type SeedAccount, type SeedSink, type SeedSubscription } from './options.js';
import { isoNow, newSid, SINK_SID_PATTERN, SUBSCRIPTION_SID_PATTERN } from './sids.js';
import { isSinkStatus, isSinkType, SINK_STATUSES, SINK_TYPES, sinkConfigurationProblems } from './sink-config.js';
import { initialStatus, repeatedTypes, type Store, type SubscribedEvent } from './store.js';
import { toSubscribedType } from './subscribed-type.js';

/**
 * A seed is the accounts to start from:
 * `{ "sinks": [{sid?, description, sink_type, sink_configuration, status?}],
 *    "subscriptions": [{sid?, description, sink_sid, types?: [{type, schema_version?}]}],
 *    "accounts": [{sid?, auth_token?, friendly_name, status?, owner_account_sid?, sinks?, subscriptions?}] }`.
 * The top-level sinks and subscriptions are the main account's; each entry of `accounts` is one
 * more account (a subaccount when its `owner_account_sid` names the main account or a main account
 * of the seed) with sinks and subscriptions of its own, in the same shape.
 * A seed is applied only to an empty emulator, so a subscription's `sink_sid` must name a sink
 * seeded in the same account (give that sink a `sid`). A sink's explicit `status` is kept; without
 * one it starts as an API create would in the emulator's activation mode. Seeds are not held to
 * the sink limit. A subscription's types are held to the catalogue as an API create's are (each
 * type once, known, with a version its schema has; the latest when left out), but a seed may give
 * a subscription no types at all, which the API cannot. SIDs are unique across accounts, as
 * Twilio's are. Every problem is reported at once, named by its place (`accounts[2].sinks[0].sid`).
 */

/**
 * A seed of 10,000 sinks is about 2.6 MB of JSON; 32 MiB is ten times that and still parses in
 * well under a second, so only a mistake (or a wrong path) reaches it. The benchmark's 1,000
 * accounts of 100 sinks fit (about 20 MB), and it hands its seed over as an object anyway.
 */
export const MAX_SEED_FILE_BYTES = 32 * 1024 * 1024;

/**
 * Reads a seed file (JSON, or YAML when it ends in .yaml/.yml) and checks it for an emulator in
 * `activation` mode whose own account is `mainAccountSid` (see checkSeed).
 */
export async function loadSeed(path: string, activation: Activation = 'current', mainAccountSid?: string): Promise<EmulatorSeed> {
  const text = readTextFile(path, { what: 'a seed file', maxBytes: MAX_SEED_FILE_BYTES, code: 'CONFIG' });
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new SinkopsError('CONFIG', `seed file ${path} cannot be parsed: ${(e as Error).message}`, { cause: e });
  }
  return checkSeed(raw, `seed file ${path}`, activation, mainAccountSid);
}

/**
 * Validates a seed (from a file or an object) and returns it typed; throws a CONFIG error listing
 * every problem. Owners are checked against `mainAccountSid` when it is given; without it an
 * owner outside the seed is left for the emulator to check when it starts.
 */
export function checkSeed(raw: unknown, source = 'seed', activation: Activation = 'current', mainAccountSid?: string): EmulatorSeed {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SinkopsError('CONFIG', `${source} must be an object with "sinks", "subscriptions" and/or "accounts"`);
  }
  const { sinks = [], subscriptions = [], accounts, ...rest } = raw as Record<string, unknown>;
  for (const key of Object.keys(rest)) problems.push(`${key}: unknown key (expected sinks, subscriptions, accounts)`);
  const seenSids = new Set<string>();
  checkResources(sinks, subscriptions, '', { problems, seenSids, activation });
  if (accounts !== undefined) checkAccounts(accounts, mainAccountSid, { problems, seenSids, activation });
  if (problems.length > 0) throw new SinkopsError('CONFIG', `${source} is not valid`, { details: problems });
  const seed: EmulatorSeed = { sinks: sinks as SeedSink[], subscriptions: subscriptions as SeedSubscription[] };
  return accounts === undefined ? seed : { ...seed, accounts: accounts as SeedAccount[] };
}

interface CheckState {
  readonly problems: string[];
  /** Every SID seen so far, of sinks, subscriptions and accounts. */
  readonly seenSids: Set<string>;
  readonly activation: Activation;
}

function sidProblem(value: unknown, where: string, pattern: RegExp, prefix: string, state: CheckState): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !pattern.test(value)) state.problems.push(`${where}.sid: must be ${prefix} followed by 32 hexadecimal digits`);
  else if (state.seenSids.has(value)) state.problems.push(`${where}.sid: ${value} is used twice`);
  else state.seenSids.add(value);
}

/** One account's sinks and subscriptions; `prefix` places them (`accounts[2].`, or nothing for the main account). */
function checkResources(sinks: unknown, subscriptions: unknown, prefix: string, state: CheckState): void {
  const { problems, activation } = state;
  if (!Array.isArray(sinks)) problems.push(`${prefix}sinks: must be an array`);
  if (!Array.isArray(subscriptions)) problems.push(`${prefix}subscriptions: must be an array`);
  const sinkStatus = new Map<string, string>();
  const text = (o: Record<string, unknown>, key: string, where: string): void => {
    if (typeof o[key] !== 'string' || o[key] === '') problems.push(`${where}.${key}: must be a non-empty string`);
  };
  (Array.isArray(sinks) ? sinks : []).forEach((item: unknown, i) => {
    const where = `${prefix}sinks[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return void problems.push(`${where}: must be an object`);
    const { sid: s, description, sink_type: type, sink_configuration: config, status, ...extra } = item as Record<string, unknown>;
    for (const key of Object.keys(extra)) problems.push(`${where}.${key}: unknown key`);
    sidProblem(s, where, SINK_SID_PATTERN, 'DG', state);
    text({ description }, 'description', where);
    if (typeof type !== 'string' || !isSinkType(type)) return void problems.push(`${where}.sink_type: must be one of ${SINK_TYPES.join(', ')}`);
    for (const p of sinkConfigurationProblems(type, config)) problems.push(`${where}.sink_configuration: ${p}`);
    if (status !== undefined && (typeof status !== 'string' || !isSinkStatus(status))) problems.push(`${where}.status: must be one of ${SINK_STATUSES.join(', ')}`);
    if (typeof s === 'string') sinkStatus.set(s, typeof status === 'string' ? status : initialStatus(type, activation));
  });
  (Array.isArray(subscriptions) ? subscriptions : []).forEach((item: unknown, i) => {
    const where = `${prefix}subscriptions[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return void problems.push(`${where}: must be an object`);
    const { sid: s, description, sink_sid: sinkSid, types, ...extra } = item as Record<string, unknown>;
    for (const key of Object.keys(extra)) problems.push(`${where}.${key}: unknown key`);
    sidProblem(s, where, SUBSCRIPTION_SID_PATTERN, 'DF', state);
    text({ description }, 'description', where);
    const status = typeof sinkSid === 'string' ? sinkStatus.get(sinkSid) : undefined;
    if (status === undefined) problems.push(`${where}.sink_sid: must be the sid of a sink in this ${prefix === '' ? 'seed' : 'account'}`);
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
}

/** Whether a seed account is a main account: it has no owner (left out or null), or names itself, as Twilio shows one. */
function ownsItself(account: { sid?: unknown; owner_account_sid?: unknown }): boolean {
  const owner = account.owner_account_sid;
  return owner === undefined || owner === null || owner === account.sid;
}

function checkAccounts(accounts: unknown, mainAccountSid: string | undefined, state: CheckState): void {
  const { problems } = state;
  if (!Array.isArray(accounts)) return void problems.push('accounts: must be an array');
  const entries = accounts.map((item: unknown) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined));
  // Which SIDs may own accounts: the main account, and the seed's own main accounts.
  const owners = new Set<unknown>(mainAccountSid === undefined ? [] : [mainAccountSid]);
  const seeded = new Set<unknown>();
  for (const e of entries) {
    if (e?.['sid'] === undefined) continue;
    seeded.add(e['sid']);
    if (ownsItself(e)) owners.add(e['sid']);
  }
  entries.forEach((entry, i) => {
    const where = `accounts[${i}]`;
    if (!entry) return void problems.push(`${where}: must be an object`);
    const { sid, auth_token: token, friendly_name: name, status, owner_account_sid: owner, sinks = [], subscriptions = [], ...extra } = entry;
    for (const key of Object.keys(extra)) problems.push(`${where}.${key}: unknown key`);
    const field = (key: string, problem: string | undefined): void => void (problem !== undefined && problems.push(`${where}.${key}: ${problem}`));
    if (sid !== undefined && sid === mainAccountSid) field('sid', `${String(sid)} is the emulator's own account; its sinks and subscriptions go at the top of the seed`);
    else sidProblem(sid, where, ACCOUNT_SID_PATTERN, 'AC', state);
    if (token !== undefined) field('auth_token', accountFieldProblem.authToken(token));
    field('friendly_name', accountFieldProblem.friendlyName(name));
    if (status !== undefined) field('status', accountFieldProblem.status(status));
    if (!ownsItself(entry) && !owners.has(owner)) {
      if (accountFieldProblem.sid(owner) !== undefined) field('owner_account_sid', accountFieldProblem.sid(owner));
      else if (seeded.has(owner)) field('owner_account_sid', `${String(owner)} is a subaccount, and subaccounts cannot own accounts`);
      else if (mainAccountSid !== undefined) field('owner_account_sid', `must be the emulator's own account (${mainAccountSid}) or a main account of this seed, not ${String(owner)}`);
    }
    checkResources(sinks, subscriptions, `${where}.`, state);
  });
}

/**
 * Puts a checked seed into an empty emulator, in the seed's order (the order of the Accounts
 * list), except that a seeded main account goes in before the first of its subaccounts.
 */
export function applySeed(accounts: AccountRegistry, seed: EmulatorSeed): void {
  applyResources(accounts.main.store, seed);
  const entries = seed.accounts ?? [];
  const bySid = new Map(entries.filter((a) => a.sid !== undefined).map((a) => [a.sid, a]));
  const added = new Set<SeedAccount>();
  const add = (a: SeedAccount): void => {
    if (added.has(a)) return;
    added.add(a);
    const owner = ownsItself(a) ? undefined : (a.owner_account_sid as string);
    const seededOwner = owner === undefined ? undefined : bySid.get(owner);
    if (seededOwner) add(seededOwner);
    const account = accounts.add({ sid: a.sid, authToken: a.auth_token, friendlyName: a.friendly_name, status: a.status, ownerAccountSid: owner });
    applyResources(account.store, a);
  };
  entries.forEach(add);
}

function applyResources(store: Store, resources: { sinks?: SeedSink[]; subscriptions?: SeedSubscription[] }): void {
  const now = isoNow();
  for (const s of resources.sinks ?? []) insertSeedSink(store, s, now, initialStatus(s.sink_type, store.rules.activation));
  for (const s of resources.subscriptions ?? []) insertSeedSubscription(store, s, now);
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
