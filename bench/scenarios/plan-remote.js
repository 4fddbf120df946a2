// @ts-check
/**
 * SPEC §10: plan over 10,000 remote sinks (300 in use) at 50 ms latency: at most
 * ceil(10000/1000) sink pages + ceil(300/1000) pages of subscriptions (which say which sinks are in
 * use) = 11 requests and under 1.0 s for reading the account and
 * planning (`readRemoteState` + `plan`, a fresh client each run so connections are opened too).
 * Baseline: Terraform-style refresh, one GET /v1/Sinks/{Sid} per sink, 10 at a time, run on a
 * subset and extrapolated linearly (it is latency-bound: 10 requests per 50 ms round).
 */
import { plan } from '../../dist/plan/plan.js';
import { readRemoteState } from '../../dist/remote/read.js';
import { BENCH_SINK_LIMIT, sinkSid } from '../lib/fixtures.js';
import { formatMs, mapLimit, median, timed } from '../lib/measure.js';

const TARGET_MS = 1000;
const RUNS = 3;
const REFRESH_CONCURRENCY = 10;

/** @type {import('../../dist/plan/model.js').PlanOptions} */
const PLAN_OPTIONS = { prune: true, sinkLimit: BENCH_SINK_LIMIT };

/**
 * @param {{
 *   emulator: import('../lib/emulator-process.js').BenchEmulator,
 *   desired: readonly import('../../dist/desired/model.js').DesiredSink[],
 *   remoteCount: number, inUse: number, expected: Record<string, number>, refreshSubset: number, latencyMs: number,
 * }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function planRemote(s) {
  const { emulator } = s;
  const maxRequests = Math.ceil(s.remoteCount / 1000) + Math.ceil(s.inUse / 1000);
  const times = [];
  let requests = 0;
  for (let run = 0; run < RUNS; run += 1) {
    await emulator.clearRequests();
    const client = emulator.client();
    try {
      const { value: result, ms } = await timed(async () => plan(s.desired, await readRemoteState(client), PLAN_OPTIONS));
      times.push(ms);
      checkPlan(result, s.expected);
    } finally {
      await client.close();
    }
    requests = Math.max(requests, (await emulator.requests()).length);
  }

  await emulator.clearRequests();
  const client = emulator.client();
  const sids = Array.from({ length: s.refreshSubset }, (_, i) => sinkSid(i));
  let refresh;
  try {
    refresh = await timed(() => mapLimit(sids, REFRESH_CONCURRENCY, (sid) => client.fetchSink(sid)));
  } finally {
    await client.close();
  }
  const refreshRequests = (await emulator.requests()).length;
  if (refreshRequests !== s.refreshSubset) throw new Error(`refresh sent ${refreshRequests} requests for ${s.refreshSubset} sinks`);
  const scale = s.remoteCount / s.refreshSubset;
  const measured = median(times);
  const floor = Math.ceil(s.remoteCount / 1000) * s.latencyMs;
  const label = `${s.remoteCount.toLocaleString('en')} remote sinks, ${s.inUse} in use`;
  return [
    {
      scenario: `plan ${label}: requests`,
      measured: String(requests),
      baseline: `${Math.round(refreshRequests * scale).toLocaleString('en')} (per-sink GET)`,
      target: `<= ${maxRequests}`,
      pass: requests <= maxRequests,
    },
    {
      scenario: `plan ${label}: read + plan (median of ${RUNS}; floor ${formatMs(floor)})`,
      measured: formatMs(measured),
      baseline: `${formatMs(refresh.ms * scale)} (refresh, x${scale} of ${s.refreshSubset.toLocaleString('en')})`,
      target: `< ${formatMs(TARGET_MS)}`,
      pass: measured < TARGET_MS,
    },
  ];
}

/**
 * The plan must be the one the fixture was built to produce; a fast wrong plan is no result.
 * @param {import('../../dist/plan/model.js').Plan} result
 * @param {Record<string, number>} expected
 */
function checkPlan(result, expected) {
  const got = JSON.stringify(result.summary, Object.keys(expected).sort());
  const want = JSON.stringify(expected, Object.keys(expected).sort());
  if (got !== want || result.errors.length > 0) throw new Error(`unexpected plan: ${got} (expected ${want}), ${result.errors.length} errors`);
}
