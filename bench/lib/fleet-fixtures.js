// @ts-check
/**
 * Fixtures of the fleet benchmarks (SPEC §10 "Fleet plan", "Fleet apply", SPEC §14): a repository
 * with `sinkops.yaml` naming one fleet (the emulator's main account's subaccounts whose friendly
 * name matches `m*`), its sink directory, and the emulator seed that holds the members with their
 * sinks. Member k is `m0000`…`m0999` (`fleet/m0000` to sinkops), with a deterministic SID and auth
 * token; its sinks' descriptions and webhook destinations hold its friendly name and SID, written
 * in the files as `${account.friendly_name}` and `${account.sid}`, so every member's plan stamps
 * them. Seeds are built as plain objects (no JSON text): they go to the emulator process over IPC.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_SCHEMAS } from '../../dist/emulator/index.js';
import { FIXTURE_ENV } from './fixtures.js';

/** The fleet's name in sinkops.yaml: its members are `fleet/<friendly name>`. */
export const FLEET = 'fleet';
/** The fleet's directory, relative to the repository root. */
export const FLEET_DIR = 'sinks/fleet';
/** The friendly-name filter: calibration accounts (`calib-…`) are listed by the Accounts API but are not members. */
const MEMBER_FILTER = 'm*';

/** @param {number} k */
export const memberName = (k) => `m${String(k).padStart(4, '0')}`;
/** @param {number} k */
export const memberSid = (k) => `ACf1ee7${k.toString(16).padStart(27, '0')}`;
/** 32 hexadecimal digits, as Twilio issues auth tokens (the emulator checks that). @param {number} k */
export const memberToken = (k) => `${k.toString(16).padStart(8, '0')}${'5eed'.repeat(6)}`;
/** @param {number} k @param {number} i */
const sinkSid = (k, i) => `DG${k.toString(16).padStart(16, '0')}${i.toString(16).padStart(16, '0')}`;
/** @param {number} k @param {number} i */
const subscriptionSid = (k, i) => `DF${k.toString(16).padStart(16, '0')}${i.toString(16).padStart(16, '0')}`;

/** @param {number} i */
export const fleetSinkName = (i) => `sink-${String(i).padStart(3, '0')}`;

/** @param {number} i @returns {'webhook' | 'kinesis' | 'segment'} */
function typeOf(i) {
  const r = i % 10;
  return r === 7 ? 'kinesis' : r === 8 ? 'segment' : 'webhook';
}

/**
 * Two triples of real event types (src/emulator/catalogue.ts), from four schemas in all, each
 * subscribed at its schema's latest version; sink i's subscription takes triple i % 2. The first
 * type of each triple has a schema with more than one version, so a subscription can be behind.
 */
const TRIPLES = [
  ['com.twilio.messaging.message.delivered', 'com.twilio.messaging.message.failed', 'com.twilio.messaging.inbound-message.received'],
  ['com.twilio.studio.flow.execution.started', 'com.twilio.studio.flow.execution.ended', 'com.twilio.error-logs.error.logged'],
];
const SCHEMA_OF = /** @type {Record<string, string>} */ ({
  'com.twilio.messaging.message.delivered': 'Messaging.MessageStatus',
  'com.twilio.messaging.message.failed': 'Messaging.MessageStatus',
  'com.twilio.messaging.inbound-message.received': 'Messaging.InboundMessageV1',
  'com.twilio.studio.flow.execution.started': 'Studio.FlowExecutionEvent',
  'com.twilio.studio.flow.execution.ended': 'Studio.FlowExecutionEvent',
  'com.twilio.error-logs.error.logged': 'ErrorLogs.Error',
});
/** @param {string} type */
function latestVersion(type) {
  const schema = EVENT_SCHEMAS.find((s) => s.id === SCHEMA_OF[type]);
  if (schema === undefined) throw new Error(`no schema ${SCHEMA_OF[type]} in the emulator's catalogue`);
  return schema.versions.length;
}
/** The schemas the subscriptions use: the plan reads each one's versions once. */
export const SUBSCRIPTION_SCHEMAS = new Set(Object.values(SCHEMA_OF)).size;

/**
 * One sink file of the fleet (`${account.…}` unstamped), with one subscription of three event types
 * when `subscriptions` is set.
 * @param {number} i
 * @param {{ subscriptions?: boolean }} [o]
 */
export function fleetSinkYaml(i, o = {}) {
  const lines = [`name: ${fleetSinkName(i)}`, `description: Bench sink ${i} of \${account.friendly_name}`, `sink_type: ${typeOf(i)}`, 'sink_configuration:'];
  switch (typeOf(i)) {
    case 'kinesis':
      lines.push(`  arn: arn:aws:kinesis:us-east-1:111111111111:stream/bench-${i}`, '  role_arn: arn:aws:iam::111111111111:role/bench', '  external_id: ${KINESIS_EXTERNAL_ID}');
      break;
    case 'segment':
      lines.push('  write_key: ${SEGMENT_WRITE_KEY}');
      break;
    case 'webhook':
      lines.push(`  destination: https://hooks.example.org/\${account.sid}/bench/${i}`, '  method: POST', `  batch_events: ${i % 2 === 0}`);
  }
  if (o.subscriptions === true) {
    lines.push('subscriptions:', '  - name: feed', `    description: Feed of sink ${i}`, '    events:');
    for (const type of /** @type {string[]} */ (TRIPLES[i % 2])) lines.push(`      ${type}: ${latestVersion(type)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Member k's sink i as Twilio holds it (stamped, secrets resolved, with sinkops's marker).
 * @param {number} k
 * @param {string} name  its friendly name
 * @param {number} i
 * @param {string} [description]  another description than the desired one (an update)
 * @returns {import('../../dist/emulator/index.js').SeedSink}
 */
function remoteSink(k, name, i, description) {
  /** @type {Record<string, unknown>} */
  let config;
  switch (typeOf(i)) {
    case 'kinesis':
      config = { arn: `arn:aws:kinesis:us-east-1:111111111111:stream/bench-${i}`, role_arn: 'arn:aws:iam::111111111111:role/bench', external_id: FIXTURE_ENV.KINESIS_EXTERNAL_ID };
      break;
    case 'segment':
      config = { write_key: FIXTURE_ENV.SEGMENT_WRITE_KEY };
      break;
    default:
      config = { destination: `https://hooks.example.org/${memberSid(k)}/bench/${i}`, method: 'POST', batch_events: i % 2 === 0 };
  }
  const text = description ?? `Bench sink ${i} of ${name}`;
  return { sid: sinkSid(k, i), description: `${text} [sinkops:${fleetSinkName(i)}]`, sink_type: typeOf(i), status: 'active', sink_configuration: config };
}

/**
 * Member k's subscription on sink i, as the fixture's file declares it; `behind`: its first type
 * one schema version behind (an update in place).
 * @param {number} k
 * @param {number} i
 * @param {boolean} behind
 * @returns {import('../../dist/emulator/index.js').SeedSubscription}
 */
function remoteSubscription(k, i, behind) {
  const triple = /** @type {string[]} */ (TRIPLES[i % 2]);
  return {
    sid: subscriptionSid(k, i),
    description: `Feed of sink ${i} [sinkops:${fleetSinkName(i)}#feed]`,
    sink_sid: sinkSid(k, i),
    types: triple.map((type, e) => ({ type, schema_version: latestVersion(type) - (behind && e === 0 ? 1 : 0) })),
  };
}

/**
 * @typedef {object} FleetShape
 * @property {number} members  subaccounts in the fleet
 * @property {number} sinks  sinks per member (and files in the fleet's directory)
 * @property {boolean} [subscriptions]  one subscription of three event types per sink
 * @property {(k: number) => boolean} changed  whether member k's plan holds a change: its sink 0's
 *   description is an old one (and, with subscriptions, its sink 0's subscription is a version behind)
 * @property {number} [calibration]  subaccounts `calib-0`… outside the fleet's filter, with a member's
 *   sinks and change: one account applied on its own (the critical path), without touching the fleet
 * @property {string} parentSid  the emulator's main account, the members' owner
 */

/** @param {number} c */
export const calibrationName = (c) => `calib-${c}`;
/** Calibration accounts take indexes after every member's. @param {number} c */
const calibrationIndex = (c) => 100_000 + c;

/**
 * The emulator accounts of a fleet (members first, then calibration accounts), and how many of
 * the members' plans hold a change.
 * @param {FleetShape} shape
 * @returns {{ accounts: import('../../dist/emulator/index.js').SeedAccount[], changed: number }}
 */
export function fleetAccounts(shape) {
  /** @type {import('../../dist/emulator/index.js').SeedAccount[]} */
  const accounts = [];
  let changed = 0;
  /** @param {number} k @param {string} name @param {boolean} change */
  const account = (k, name, change) => {
    /** @type {import('../../dist/emulator/index.js').SeedSink[]} */
    const sinks = new Array(shape.sinks);
    /** @type {import('../../dist/emulator/index.js').SeedSubscription[]} */
    const subscriptions = [];
    for (let i = 0; i < shape.sinks; i += 1) {
      sinks[i] = remoteSink(k, name, i, change && i === 0 ? `Old description ${i}` : undefined);
      if (shape.subscriptions === true) subscriptions.push(remoteSubscription(k, i, change && i === 0));
    }
    return { sid: memberSid(k), auth_token: memberToken(k), friendly_name: name, owner_account_sid: shape.parentSid, sinks, subscriptions };
  };
  for (let k = 0; k < shape.members; k += 1) {
    const change = shape.changed(k);
    if (change) changed += 1;
    accounts.push(account(k, memberName(k), change));
  }
  for (let c = 0; c < (shape.calibration ?? 0); c += 1) {
    accounts.push(account(calibrationIndex(c), calibrationName(c), true));
  }
  return { accounts, changed };
}

/** The credentials of calibration account c (for an in-process client). @param {number} c */
export function calibrationAccount(c) {
  const k = calibrationIndex(c);
  return { name: calibrationName(c), sid: memberSid(k), token: memberToken(k) };
}

/** Member k's credentials (to read its sinks after an apply). @param {number} k */
export const memberAccount = (k) => ({ name: memberName(k), sid: memberSid(k), token: memberToken(k) });

/**
 * A named account of sinkops.yaml (its own main account in the emulator), with the names of the
 * variables its credentials are read from.
 * @typedef {object} NamedAccount
 * @property {string} name
 * @property {string} sid
 * @property {string} token
 * @property {{ sid: string, token: string }} variables
 */

/**
 * Writes the repository: sinkops.yaml (the fleet; `calibration`: a second fleet `calib` over the
 * same directory whose members are the calibration accounts, so that one of them can be applied
 * alone with `--account calib/calib-0`; `named`: a named account with one sink file of its own) and
 * the fleet's `sinks` files.
 * @param {string} root
 * @param {{ sinks: number, subscriptions?: boolean, calibration?: boolean, named?: NamedAccount }} o
 */
export async function writeFleetRepo(root, o) {
  const parent = '{account_sid: TWILIO_ACCOUNT_SID, auth_token: TWILIO_AUTH_TOKEN}';
  const yaml = ['# sinkops bench: one fleet of subaccounts', 'fleets:', `  - name: ${FLEET}`, `    dir: ${FLEET_DIR}`, `    parent: ${parent}`, `    subaccounts: {friendly_name: "${MEMBER_FILTER}", status: active}`];
  if (o.calibration === true) yaml.push('  - name: calib', `    dir: ${FLEET_DIR}`, `    parent: ${parent}`, '    subaccounts: {friendly_name: "calib-*", status: active}');
  if (o.named !== undefined) {
    const n = o.named;
    yaml.push('accounts:', `  - name: ${n.name}`, `    dir: sinks/${n.name}`, `    credentials: {account_sid: ${n.variables.sid}, auth_token: ${n.variables.token}}`);
    await mkdir(join(root, 'sinks', n.name), { recursive: true });
    await writeFile(join(root, 'sinks', n.name, 'orders.yaml'), namedSinkYaml(n.name));
  }
  await mkdir(join(root, FLEET_DIR), { recursive: true });
  await writeFile(join(root, 'sinkops.yaml'), `${yaml.join('\n')}\n`);
  await Promise.all(Array.from({ length: o.sinks }, (_, i) => writeFile(join(root, FLEET_DIR, `${fleetSinkName(i)}.yaml`), fleetSinkYaml(i, { subscriptions: o.subscriptions === true }))));
}

/** @param {string} name */
const namedSinkYaml = (name) => `name: orders\ndescription: Orders of ${name}\nsink_type: webhook\nsink_configuration:\n  destination: https://hooks.example.org/${name}/orders\n  method: POST\n  batch_events: false\n`;

/**
 * The named account in the emulator: one sink whose description differs from its file's (it
 * would be an update, were its credentials right).
 * @param {NamedAccount} n
 * @returns {import('../../dist/emulator/index.js').SeedAccount}
 */
export function namedSeedAccount(n) {
  return {
    sid: n.sid,
    auth_token: n.token,
    friendly_name: n.name,
    sinks: [{ sid: `DG${'ab'.repeat(16)}`, description: `Old orders [sinkops:orders]`, sink_type: 'webhook', status: 'active', sink_configuration: { destination: `https://hooks.example.org/${n.name}/orders`, method: 'POST', batch_events: false } }],
    subscriptions: [],
  };
}

/** The environment of a `sinkops` child run against `emulator` (both APIs), with the parent's credentials. @param {import('./emulator-process.js').BenchEmulator} emulator */
export function fleetEnv(emulator) {
  return {
    ...FIXTURE_ENV,
    TWILIO_EVENTS_BASE_URL: emulator.url,
    TWILIO_API_BASE_URL: emulator.url,
    TWILIO_ACCOUNT_SID: emulator.accountSid,
    TWILIO_AUTH_TOKEN: emulator.config.password,
  };
}
