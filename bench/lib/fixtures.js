// @ts-check
/**
 * Deterministic bench fixtures: sink files for the loader, and the account (emulator seed) they are
 * planned against. Sink i is named `sink-NNNNN`; 80% webhooks, 10% kinesis, 10% segment, so the
 * loader resolves `${ENV}` references and the planner compares all three configuration shapes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The environment the sink files' `${…}` references resolve from (fake values, bench only). */
export const FIXTURE_ENV = Object.freeze({
  KINESIS_EXTERNAL_ID: 'bench-external-id',
  SEGMENT_WRITE_KEY: 'bench-write-key',
});

/**
 * The sink limit of the bench's accounts, for the emulator and the planner alike. Their 1,000 and
 * 10,000 sinks are far past Twilio's 100 on purpose: SPEC §10's targets measure scale, which an
 * account raised to this limit allows (the highest `--sink-limit` sinkops accepts).
 */
export const BENCH_SINK_LIMIT = 100_000;

/** @param {number} i */
export const sinkName = (i) => `sink-${String(i).padStart(5, '0')}`;
/** @param {number} i */
export const sinkSid = (i) => `DG${i.toString(16).padStart(32, '0')}`;
/** @param {number} i */
const subscriptionSid = (i) => `DF${i.toString(16).padStart(32, '0')}`;

/** @param {number} i @returns {'webhook' | 'kinesis' | 'segment'} */
function typeOf(i) {
  const r = i % 10;
  return r === 7 ? 'kinesis' : r === 8 ? 'segment' : 'webhook';
}

/** @param {number} i */
const describe = (i) => `Bench sink ${i}`;

/**
 * The configuration Twilio holds (secrets resolved).
 * @param {number} i
 * @returns {Record<string, unknown>}
 */
function remoteConfiguration(i) {
  switch (typeOf(i)) {
    case 'kinesis':
      return {
        arn: `arn:aws:kinesis:us-east-1:111111111111:stream/bench-${i}`,
        role_arn: 'arn:aws:iam::111111111111:role/bench',
        external_id: FIXTURE_ENV.KINESIS_EXTERNAL_ID,
      };
    case 'segment':
      return { write_key: FIXTURE_ENV.SEGMENT_WRITE_KEY };
    case 'webhook':
      return { destination: `https://hooks.example.org/bench/${i}`, method: 'POST', batch_events: i % 2 === 0 };
  }
}

/**
 * One sink file's YAML text; `edit` changes only the description (what the watch bench saves).
 * @param {number} i
 * @param {string} [edit]
 */
export function sinkYaml(i, edit) {
  const head = [
    `# Bench fixture ${i}`,
    `name: ${sinkName(i)}`,
    `description: ${describe(i)}${edit === undefined ? '' : ` (${edit})`}`,
    `sink_type: ${typeOf(i)}`,
    'sink_configuration:',
  ];
  const config = remoteConfiguration(i);
  const body = Object.entries(config).map(([key, value]) => {
    if (key === 'external_id') return '  external_id: ${KINESIS_EXTERNAL_ID}';
    if (key === 'write_key') return '  write_key: ${SEGMENT_WRITE_KEY}';
    return `  ${key}: ${String(value)}`;
  });
  return `${[...head, ...body].join('\n')}\n`;
}

/**
 * Where sink i's file lives under a fixture folder (20 team folders, like a real repository).
 * @param {number} i
 */
export const sinkFile = (i) => join(`team-${String(i % 20).padStart(2, '0')}`, `${sinkName(i)}.yaml`);

/**
 * Writes sinks 0…count-1, one file each.
 * @param {string} dir
 * @param {number} count
 */
export async function writeSinkFiles(dir, count) {
  for (let t = 0; t < Math.min(20, count); t += 1) await mkdir(join(dir, `team-${String(t).padStart(2, '0')}`), { recursive: true });
  const indexes = Array.from({ length: count }, (_, i) => i);
  for (let start = 0; start < count; start += 256) {
    await Promise.all(indexes.slice(start, start + 256).map((i) => writeFile(join(dir, sinkFile(i)), sinkYaml(i))));
  }
}

/**
 * The account the files are planned against: the first 98% are this repository's managed sinks
 * (every 100th, from 11, with an old description → update; from 13, a moved destination →
 * replace), the last 2% unmanaged Console sinks (so 2% of the files plan a create), and `inUse`
 * noop sinks held by a subscription.
 * @param {number} count
 * @param {number} inUse
 * @returns {{ seed: import('../../dist/emulator/index.js').EmulatorSeed, expected: Record<string, number> }}
 */
export function accountSeed(count, inUse) {
  const managed = Math.round(count * 0.98);
  /** @type {import('../../dist/emulator/index.js').SeedSink[]} */
  const sinks = [];
  const expected = { create: count - managed, update: 0, adopt: 0, replace: 0, delete: 0, blocked: 0, noop: 0 };
  for (let i = 0; i < count; i += 1) {
    const config = remoteConfiguration(i);
    if (i >= managed) {
      sinks.push({ sid: sinkSid(i), description: `Console sink ${i}`, sink_type: 'webhook', status: 'active',
        sink_configuration: { destination: `https://console.example.org/${i}`, method: 'POST' } });
      continue;
    }
    let description = describe(i);
    if (i % 100 === 11) {
      description = `Old description ${i}`;
      expected.update += 1;
    } else if (i % 100 === 13) {
      config['destination'] = `https://old.example.org/bench/${i}`;
      expected.replace += 1;
    } else {
      expected.noop += 1;
    }
    sinks.push({ sid: sinkSid(i), description: `${description} [sinkops:${sinkName(i)}]`, sink_type: typeOf(i), status: 'active', sink_configuration: config });
  }
  // Even indexes, never 11 or 13 mod 100: the in-use sinks are all noops (nothing is blocked).
  const step = Math.floor(managed / inUse / 2) * 2;
  if (step < 2) throw new RangeError(`${inUse} in-use sinks do not fit in ${count}`);
  const subscriptions = Array.from({ length: inUse }, (_, k) => ({
    sid: subscriptionSid(k),
    description: `Bench subscription ${k}`,
    sink_sid: sinkSid(k * step),
    types: [{ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }],
  }));
  return { seed: { sinks, subscriptions }, expected };
}
