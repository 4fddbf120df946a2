// @ts-check
/**
 * `npm run bench`: measures the SPEC §10 targets against the built code (dist/), each next to a
 * baseline measured in the same run, prints one table and exits 1 when a target is missed.
 * The emulators run in child processes with 50 ms latency on every API request, as a stand-in for
 * Twilio across a network. Fixtures live in a temporary folder, removed at the end.
 *
 * Order matters: the validate scenario runs first so that its load is a cold one (nothing of the
 * loader is JIT-compiled yet), as it is for `sinkops validate`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDesired } from '../dist/desired/load.js';
import { startEmulatorProcess } from './lib/emulator-process.js';
import { accountSeed, FIXTURE_ENV, writeSinkFiles } from './lib/fixtures.js';
import { formatMs } from './lib/measure.js';
import { renderTable } from './lib/table.js';
import { applyCreatesScenario } from './scenarios/apply-creates.js';
import { peakRss } from './scenarios/peak-rss.js';
import { planRemote } from './scenarios/plan-remote.js';
import { validateFiles } from './scenarios/validate-files.js';
import { watchScenario } from './scenarios/watch-plans.js';

const LATENCY_MS = 50;
const LARGE = 10_000;
const LARGE_IN_USE = 300;
const SMALL = 1_000;

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

/** @param {string} message */
const progress = (message) => process.stderr.write(`bench: ${message}\n`);

async function main() {
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
    progress(name);
    try {
      rows.push(...(await fn()));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`bench: ${name} failed: ${e instanceof Error ? (e.stack ?? message) : message}\n`);
      rows.push({ scenario: name, measured: `error: ${message.slice(0, 80)}`, baseline: '-', target: '-', pass: false });
    }
  };
  try {
    const large = join(cwd, 'sinks-large');
    const small = join(cwd, 'sinks-small');
    progress(`writing ${LARGE} + ${SMALL} sink files under ${cwd}`);
    await writeSinkFiles(large, LARGE);
    await writeSinkFiles(small, SMALL);
    settleDisk();

    await scenario('validate', () => validateFiles({ dir: large, cwd, count: LARGE }));

    const largeAccount = accountSeed(LARGE, LARGE_IN_USE);
    const emulator = await startEmulatorProcess({ seed: largeAccount.seed, faults: { latencyMs: LATENCY_MS } });
    try {
      const desired = await loadDesired(large, { cwd, env: FIXTURE_ENV });
      await scenario('plan (and the per-sink refresh baseline)', () =>
        planRemote({
          emulator,
          desired: desired.sinks,
          remoteCount: LARGE,
          inUse: LARGE_IN_USE,
          expected: largeAccount.expected,
          refreshSubset: 1000,
          latencyMs: LATENCY_MS,
        }),
      );
      await scenario('peak RSS (child processes)', () => peakRss({ emulator, dir: large, cwd, count: LARGE }));
    } finally {
      await emulator.close();
    }

    const smallDesired = await loadDesired(small, { cwd, env: FIXTURE_ENV });
    await scenario('apply (and the sequential baseline)', () =>
      applyCreatesScenario({ desired: smallDesired.sinks, baselineSubset: 50, latencyMs: LATENCY_MS }),
    );

    const smallAccount = accountSeed(SMALL, 30);
    const watchEmulator = await startEmulatorProcess({ seed: smallAccount.seed, faults: { latencyMs: LATENCY_MS } });
    try {
      await scenario('watch', () => watchScenario({ emulator: watchEmulator, dir: small, cwd, count: SMALL, expected: smallAccount.expected }));
    } finally {
      await watchEmulator.close();
    }
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
