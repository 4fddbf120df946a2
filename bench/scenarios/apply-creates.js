// @ts-check
/**
 * SPEC §10: apply of 1,000 creates at 50 ms latency under an emulator concurrency limit of 20
 * (requests beyond it are answered 429): within 1.3x of the ideal 1000/20 x 50 ms, with zero
 * duplicates and zero failed actions. The executor runs with parallelism 20 and an AdaptiveLimiter
 * wired to the client's onRateLimited, as `sinkops apply` does. Baseline: the same creates one at a
 * time (parallelism 1) on a subset, extrapolated linearly.
 */
import { pino } from 'pino';
import { AdaptiveLimiter, execute } from '../../dist/apply/index.js';
import { parseMarker } from '../../dist/plan/marker.js';
import { plan } from '../../dist/plan/plan.js';
import { readRemoteState } from '../../dist/remote/read.js';
import { startEmulatorProcess } from '../lib/emulator-process.js';
import { BENCH_SINK_LIMIT } from '../lib/fixtures.js';
import { formatMs, timed } from '../lib/measure.js';

const PARALLELISM = 20;
const SLACK = 1.3;

/** @type {import('../../dist/plan/model.js').PlanOptions} */
const APPLY_OPTIONS = { prune: true, sinkLimit: BENCH_SINK_LIMIT };

/**
 * Plans the creates against an empty emulator and applies them; returns the time and what the
 * account holds afterwards.
 * @param {readonly import('../../dist/desired/model.js').DesiredSink[]} desired
 * @param {number} parallelism
 * @param {number} latencyMs
 */
async function applyCreates(desired, parallelism, latencyMs) {
  const emulator = await startEmulatorProcess({ sinkLimit: BENCH_SINK_LIMIT, faults: { latencyMs, concurrencyLimit: PARALLELISM } });
  try {
    const limiter = new AdaptiveLimiter(parallelism);
    const client = emulator.client({ onRateLimited: () => limiter.onRateLimited() });
    try {
      const creates = plan(desired, await readRemoteState(client), APPLY_OPTIONS);
      if (creates.summary.create !== desired.length) throw new Error(`expected ${desired.length} creates, planned ${creates.summary.create}`);
      await emulator.clearRequests();
      const run = await timed(() => execute(creates, client, { parallelism, dryRun: false, logger: pino({ level: 'silent' }), limiter }));
      const log = await emulator.requests();
      const after = await client.listSinks();
      const markers = new Set(after.map((s) => parseMarker(s.description)));
      return {
        ms: run.ms,
        failed: run.value.counts.failed + run.value.counts.skipped,
        applied: run.value.counts.applied,
        rateLimited: log.filter((r) => r.status === 429).length,
        sinks: after.length,
        distinctMarkers: [...markers].filter((m) => m !== undefined).length,
        window: limiter.window,
      };
    } finally {
      await client.close();
    }
  } finally {
    await emulator.close();
  }
}

/**
 * @param {{ desired: readonly import('../../dist/desired/model.js').DesiredSink[], baselineSubset: number, latencyMs: number }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function applyCreatesScenario(s) {
  const n = s.desired.length;
  const ideal = (n / PARALLELISM) * s.latencyMs;
  const limit = ideal * SLACK;
  const r = await applyCreates(s.desired, PARALLELISM, s.latencyMs);
  const subset = s.desired.slice(0, s.baselineSubset);
  const base = await applyCreates(subset, 1, s.latencyMs);
  const scale = n / subset.length;
  const label = `apply ${n.toLocaleString('en')} creates, limit ${PARALLELISM}`;
  return [
    {
      scenario: `${label}: time (ideal ${formatMs(ideal)}; ${r.rateLimited} x 429)`,
      measured: formatMs(r.ms),
      baseline: `${formatMs(base.ms * scale)} (sequential, x${scale} of ${subset.length})`,
      target: `< ${formatMs(limit)} (${SLACK}x ideal)`,
      pass: r.ms < limit,
    },
    {
      scenario: `${label}: duplicates (sinks - distinct markers)`,
      measured: `${r.sinks - r.distinctMarkers} (${r.sinks} sinks, ${r.distinctMarkers} markers)`,
      baseline: `${base.sinks - base.distinctMarkers}`,
      target: `0, ${n} markers`,
      pass: r.sinks === r.distinctMarkers && r.distinctMarkers === n,
    },
    {
      scenario: `${label}: failed actions`,
      measured: `${r.failed} (${r.applied} applied)`,
      baseline: `${base.failed}`,
      target: '0',
      pass: r.failed === 0 && r.applied === n,
    },
  ];
}
