// @ts-check
/**
 * `npm run bench`: measures the SPEC §10 targets against the built code (dist/), each next to a
 * baseline measured in the same run, prints one table and exits 1 when a target is missed.
 * The emulators run in child processes with 50 ms latency on every API request, as a stand-in for
 * Twilio across a network. Fixtures live in a temporary folder, removed at the end.
 *
 * `npm run bench -- watch apply` runs only the named scenarios (startup, validate, plan, subscriptions,
 * rss, apply, watch, and fleet-plan, fleet-subscriptions, fleet-apply; `fleet` for those three).
 *
 * Order matters: the start-up scenario runs first, on a machine not yet busy with the fixtures'
 * writeback or an emulator (it times whole `sinkops` processes, so nothing of the bench process
 * warms it); then the validate scenario, so that its load is a cold one (nothing of the loader is
 * JIT-compiled yet), as it is for `sinkops validate`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDesired } from '../dist/desired/load.js';
import { startEmulatorProcess } from './lib/emulator-process.js';
import { accountSeed, BENCH_SINK_LIMIT, FIXTURE_ENV, writeSinkFiles } from './lib/fixtures.js';
import { formatMs } from './lib/measure.js';
import { renderTable } from './lib/table.js';
import { applyCreatesScenario } from './scenarios/apply-creates.js';
import { fleetApply } from './scenarios/fleet-apply.js';
import { fleetPlan } from './scenarios/fleet-plan.js';
import { fleetSubscriptions } from './scenarios/fleet-subscriptions.js';
import { peakRss } from './scenarios/peak-rss.js';
import { planRemote } from './scenarios/plan-remote.js';
import { planSubscriptions, subscriptionAccount } from './scenarios/plan-subscriptions.js';
import { startup } from './scenarios/startup.js';
import { validateFiles } from './scenarios/validate-files.js';
import { watchScenario } from './scenarios/watch-plans.js';

const LATENCY_MS = 50;
const LARGE = 10_000;
const LARGE_IN_USE = 300;
const SMALL = 1_000;
const SCENARIOS = ['startup', 'validate', 'plan', 'subscriptions', 'rss', 'apply', 'watch'];
/** Many accounts (SPEC §10 "Fleet plan", "Fleet apply"); `fleet` names the three. */
const FLEET_SCENARIOS = ['fleet-plan', 'fleet-subscriptions', 'fleet-apply'];

/**
 * Flushes the fixture files just written, so the loader reads files at rest (as a repository's
 * are) rather than competing with their writeback: on a 2-core machine that writeback alone added
 * about 0.5 s to loading 10,000 files. Best effort: where there is no `sync`, nothing happens.
 */
function settleDisk() {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // no sync(1) on this platform
  }
}

/** The 1-minute load average, with the core count: a busy machine explains slow rows. */
const machineLoad = () => `${(loadavg()[0] ?? 0).toFixed(1)} on ${availableParallelism()} cores`;

/**
 * Runs `fn` with an emulator process holding `seed`, at the bench's latency, and stops it after.
 * @param {import('../dist/emulator/index.js').EmulatorSeed} seed
 * @param {(emulator: import('./lib/emulator-process.js').BenchEmulator) => Promise<void>} fn
 */
async function withEmulator(seed, fn) {
  const emulator = await startEmulatorProcess({ seed, sinkLimit: BENCH_SINK_LIMIT, faults: { latencyMs: LATENCY_MS } });
  try {
    await fn(emulator);
  } finally {
    await emulator.close();
  }
}

/** @param {string} message */
const progress = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
  const only = process.argv.slice(2).flatMap((name) => (name === 'fleet' ? FLEET_SCENARIOS : [name]));
  const unknown = only.filter((name) => !SCENARIOS.includes(name) && !FLEET_SCENARIOS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')} (choose from ${[...SCENARIOS, ...FLEET_SCENARIOS, 'fleet'].join(', ')})`);
  /** @param {string} name */
  const wanted = (name) => only.length === 0 || only.includes(name);
  const started = performance.now();
  const loadAtStart = machineLoad();
  const cwd = await mkdtemp(join(tmpdir(), 'sinkops-bench-'));
  /** @type {import('./lib/measure.js').Row[]} */
  const rows = [];
  /**
   * Runs one scenario; a scenario that throws (a wrong plan, a timeout) becomes a failed row, and
   * the others still run.
   * @param {string} name
   * @param {() => Promise<import('./lib/measure.js').Row[]>} fn
   */
  const scenario = async (name, fn) => {
    if (!wanted(name)) return;
    progress(name);
    // `npm run bench` passes --expose-gc: each scenario starts without the previous one's garbage.
    globalThis.gc?.();
    try {
      rows.push(...(await fn()));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`bench: ${name} failed: ${e instanceof Error ? (e.stack ?? message) : message}\n`);
      rows.push({ scenario: name, measured: `error: ${message.slice(0, 80)}`, baseline: '-', target: '-', pass: false });
    }
  };
  try {
    await scenario('startup', () => startup({ cwd }));

    const large = join(cwd, 'sinks-large');
    const small = join(cwd, 'sinks-small');
    progress(`writing sink files under ${cwd}`);
    if (wanted('validate') || wanted('plan') || wanted('rss')) await writeSinkFiles(large, LARGE);
    if (wanted('apply') || wanted('watch')) await writeSinkFiles(small, SMALL);
    settleDisk();

    await scenario('validate', () => validateFiles({ dir: large, cwd, count: LARGE }));

    if (wanted('plan') || wanted('rss')) {
      const account = accountSeed(LARGE, LARGE_IN_USE);
      await withEmulator(account.seed, async (emulator) => {
        // Loaded here, outside any measurement: the plan scenario times reading the account and planning.
        const desired = await loadDesired(large, { cwd, env: FIXTURE_ENV });
        await scenario('plan', () =>
          planRemote({
            emulator,
            desired: desired.sinks,
            remoteCount: LARGE,
            inUse: LARGE_IN_USE,
            expected: account.expected,
            refreshSubset: 1000,
            latencyMs: LATENCY_MS,
          }),
        );
        await scenario('rss', () => peakRss({ emulator, dir: large, cwd, count: LARGE }));
      });
    }

    if (wanted('subscriptions')) {
      const account = subscriptionAccount();
      await withEmulator(account.seed, (emulator) =>
        scenario('subscriptions', () => planSubscriptions({ emulator, desired: account.desired, latencyMs: LATENCY_MS })),
      );
    }

    await scenario('apply', async () =>
      applyCreatesScenario({ desired: (await loadDesired(small, { cwd, env: FIXTURE_ENV })).sinks, baselineSubset: 50, latencyMs: LATENCY_MS }),
    );

    if (wanted('watch')) {
      const account = accountSeed(SMALL, 30);
      await withEmulator(account.seed, (emulator) =>
        scenario('watch', () => watchScenario({ emulator, dir: small, cwd, count: SMALL, expected: account.expected })),
      );
    }

    // Last: each starts an emulator of its own with 1,000 accounts and runs the CLI in child processes.
    await scenario('fleet-plan', () => fleetPlan({ cwd, latencyMs: LATENCY_MS, progress }));
    await scenario('fleet-subscriptions', () => fleetSubscriptions({ cwd, latencyMs: LATENCY_MS, progress }));
    await scenario('fleet-apply', () => fleetApply({ cwd, latencyMs: LATENCY_MS, progress }));
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }

  process.stdout.write(`\n${renderTable(rows)}\n\n`);
  process.stdout.write(
    `Emulated latency ${LATENCY_MS} ms per API request; Node ${process.version}; whole bench ${formatMs(performance.now() - started)}.\n` +
      `Load average ${loadAtStart} at the start, ${machineLoad()} at the end (other work on the machine slows every row).\n` +
      'Baselines marked "xN of M" ran on M items and were scaled linearly by N (they are latency-bound).\n',
  );
  const failed = rows.filter((r) => r.pass === false);
  if (failed.length > 0) {
    process.stdout.write(`${failed.length} target${failed.length === 1 ? '' : 's'} missed.\n`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
