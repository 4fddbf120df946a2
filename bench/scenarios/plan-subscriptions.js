// @ts-check
/**
 * SPEC §10 "Subscriptions": a plan of 100 sinks × 2 subscriptions × 5 event types reads the account
 * in at most 3 + (managed subscriptions) + (event-type catalogue pages) + (schemas used) requests:
 * the sinks, the subscriptions and the catalogue at once, then one SubscribedEvents list per managed
 * subscription (Twilio has no bulk read) and the versions of each schema the repository uses.
 * Baseline, measured in the same run: a reader that asks per resource, as one would without a list
 * of all subscriptions — each sink's subscriptions, each subscription's events, and each declared
 * event's schema versions — 10 requests at a time.
 */
import { readOptionsFor } from '../../dist/pipeline/compute-plan.js';
import { plan } from '../../dist/plan/plan.js';
import { readRemoteState } from '../../dist/remote/read.js';
import { BENCH_SINK_LIMIT } from '../lib/fixtures.js';
import { formatMs, mapLimit, median, timed } from '../lib/measure.js';

const SINKS = 100;
const RUNS = 3;
const BASELINE_CONCURRENCY = 10;
/** Five real event types per subscription, from two schemas each time (see src/emulator/catalogue.ts). */
const EVENTS = {
  a: ['com.twilio.messaging.message.queued', 'com.twilio.messaging.message.sent', 'com.twilio.messaging.message.delivered', 'com.twilio.messaging.message.failed', 'com.twilio.messaging.inbound-message.received'],
  b: ['com.twilio.studio.flow.execution.started', 'com.twilio.studio.flow.execution.ended', 'com.twilio.studio.flow.step.ended', 'com.twilio.messaging.message.read', 'com.twilio.messaging.message.undelivered'],
};

/** @type {import('../../dist/plan/model.js').PlanOptions} */
const PLAN_OPTIONS = { prune: true, sinkLimit: BENCH_SINK_LIMIT };

const sid = (/** @type {string} */ prefix, /** @type {number} */ n) => `${prefix}${n.toString(16).padStart(32, '0')}`;
const name = (/** @type {number} */ i) => `sub-sink-${String(i).padStart(3, '0')}`;

/**
 * The account: 100 managed webhooks with two managed subscriptions each; one subscription in ten
 * is a version behind what the repository declares (an update).
 * @returns {{ seed: import('../../dist/emulator/index.js').EmulatorSeed, desired: import('../../dist/desired/model.js').DesiredSink[] }}
 */
export function subscriptionAccount() {
  /** @type {import('../../dist/emulator/index.js').EmulatorSeed} */
  const seed = { sinks: [], subscriptions: [] };
  /** @type {import('../../dist/desired/model.js').DesiredSink[]} */
  const desired = [];
  for (let i = 0; i < SINKS; i += 1) {
    const destination = `https://hooks.example.org/bench/${i}`;
    seed.sinks.push({ sid: sid('DG', i + 1), description: `Bench ${i} [sinkops:${name(i)}]`, sink_type: 'webhook', sink_configuration: { destination, method: 'POST' }, status: 'active' });
    const source = { file: `sinks/${name(i)}.yaml`, line: 1, column: 1 };
    /** @type {import('../../dist/desired/model.js').DesiredSubscription[]} */
    const subscriptions = [];
    for (const [k, key] of /** @type {const} */ (['a', 'b']).entries()) {
      const behind = (i * 2 + k) % 10 === 0;
      seed.subscriptions.push({
        sid: sid('DF', i * 2 + k + 1),
        description: `Feed ${key} [sinkops:${name(i)}#feed-${key}]`,
        sink_sid: sid('DG', i + 1),
        types: EVENTS[key].map((type, e) => ({ type, schema_version: behind && e === 0 ? 1 : 2 })),
      });
      subscriptions.push({
        name: `feed-${key}`,
        description: `Feed ${key}`,
        events: [...EVENTS[key]].sort().map((type) => ({ type, schemaVersion: 2, source })),
        source,
      });
    }
    desired.push({
      name: name(i),
      description: `Bench ${i}`,
      sinkType: 'webhook',
      sinkConfiguration: { destination: { value: destination, sensitive: false, envRefs: [] }, method: { value: 'POST', sensitive: false, envRefs: [] } },
      subscriptions,
      source,
    });
  }
  return { seed, desired };
}

/**
 * @param {{ emulator: import('../lib/emulator-process.js').BenchEmulator, desired: import('../../dist/desired/model.js').DesiredSink[], latencyMs: number }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function planSubscriptions(s) {
  const { emulator, desired } = s;
  const managed = desired.reduce((n, d) => n + d.subscriptions.length, 0);
  const times = [];
  let requests = 0;
  let budget = 0;
  for (let run = 0; run < RUNS; run += 1) {
    await emulator.clearRequests();
    const client = emulator.client();
    try {
      const { value: result, ms } = await timed(async () => plan(desired, await readRemoteState(client, readOptionsFor(desired, PLAN_OPTIONS)), PLAN_OPTIONS));
      times.push(ms);
      const updates = result.subscriptions.filter((a) => a.action === 'update').length;
      if (result.errors.length > 0 || updates !== managed / 10 || result.subscriptions.length !== managed) {
        throw new Error(`unexpected plan: ${result.errors.length} errors, ${updates} updates of ${result.subscriptions.length}`);
      }
    } finally {
      await client.close();
    }
    const log = await emulator.requests();
    requests = Math.max(requests, log.length);
    const catalogue = log.filter((r) => r.path.startsWith('/v1/Types')).length;
    const schemas = log.filter((r) => r.path.startsWith('/v1/Schemas/')).length;
    budget = 3 + managed + catalogue + schemas;
  }

  // The baseline reads the same things one resource at a time.
  await emulator.clearRequests();
  const client = emulator.client();
  let baseline;
  try {
    baseline = await timed(async () => {
      const sinks = await client.listSinks();
      const bySink = await mapLimit(sinks, BASELINE_CONCURRENCY, (sink) => client.listSubscriptions({ sinkSid: sink.sid }));
      const subscriptions = bySink.flat();
      await mapLimit(subscriptions, BASELINE_CONCURRENCY, (sub) => client.listSubscribedEvents(sub.sid));
      const types = await client.listEventTypes();
      const schemaOf = new Map(types.map((t) => [t.type, t.schemaId]));
      const declared = desired.flatMap((d) => d.subscriptions.flatMap((sub) => sub.events.map((e) => schemaOf.get(e.type) ?? '')));
      await mapLimit(declared, BASELINE_CONCURRENCY, (schema) => client.listSchemaVersions(schema));
    });
  } finally {
    await client.close();
  }
  const baselineRequests = (await emulator.requests()).length;
  const measured = median(times);
  const label = `${SINKS} sinks x 2 subscriptions x 5 events`;
  return [
    {
      scenario: `plan ${label}: requests`,
      measured: String(requests),
      baseline: `${baselineRequests} (per-resource reads)`,
      target: `<= ${budget} (3 + ${managed} + catalogue + schemas)`,
      pass: requests <= budget,
    },
    {
      scenario: `plan ${label}: read + plan (median of ${RUNS}; ${s.latencyMs} ms a request)`,
      measured: formatMs(measured),
      baseline: `${formatMs(baseline.ms)} (per-resource reads, ${BASELINE_CONCURRENCY} at a time)`,
      target: `< baseline / 2`,
      pass: measured < baseline.ms / 2,
    },
  ];
}
