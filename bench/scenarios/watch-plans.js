// @ts-check
/**
 * SPEC §10: `plan --watch` over 1,000 files with the remote state cached: file saved → new plan
 * printed in under 150 ms (p95). Drives `watchPlans` in-process with an Io whose stdout timestamps
 * each write; a save's latency runs from just before `writeFile` to the write that ends the plan
 * it caused (the "Watching …" line after a plan whose summary counts that save's update).
 * The account is read once, before watching; the emulator's request log proves no save asks again.
 * Baseline: a fresh `loadDesired` + `plan` + render of the same files (median of 5), what each
 * save costs at least; the difference is the watcher's (event delivery and its 15 ms debounce).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { watchPlans } from '../../dist/cli/watch.js';
import { loadDesired } from '../../dist/desired/load.js';
import { plan } from '../../dist/plan/plan.js';
import { readRemoteState } from '../../dist/remote/read.js';
import { renderPlan } from '../../dist/render/index.js';
import { BENCH_SINK_LIMIT, FIXTURE_ENV, sinkFile, sinkYaml } from '../lib/fixtures.js';
import { formatMs, median, percentile, sleep, timed } from '../lib/measure.js';

const TARGET_P95_MS = 150;
const SAVES = 20;
/**
 * Pause after a plan before the next save, so one save's work (including the watcher's re-check
 * 75 ms after an event) never runs into the next: the bench measures a save, not a save storm.
 */
const QUIET_MS = 250;
const SAVE_TIMEOUT_MS = 5000;

/** @type {import('../../dist/plan/model.js').PlanOptions} */
const PLAN_OPTIONS = { prune: true, sinkLimit: BENCH_SINK_LIMIT };
const RENDER = { color: false, verbose: false };

/**
 * A stdout that hands each completed plan (its text, and the time of the write that completed
 * it) to whoever waits for one that satisfies a predicate. A plan ends with its "Watching …"
 * line; how the watcher splits its output into writes does not matter.
 */
function planRecorder() {
  let pending = '';
  /** @type {{ test: (text: string) => boolean, resolve: (at: number) => void } | undefined} */
  let waiter;
  return {
    stdout: {
      write(/** @type {string} */ chunk) {
        const at = performance.now();
        pending += chunk;
        for (let end = planEnd(pending); end >= 0; end = planEnd(pending)) {
          const text = pending.slice(0, end);
          pending = pending.slice(end);
          if (waiter !== undefined && waiter.test(text)) {
            waiter.resolve(at);
            waiter = undefined;
          }
        }
        return true;
      },
    },
    /**
     * @param {(text: string) => boolean} test
     * @param {number} [timeoutMs]
     * @returns {Promise<number>}
     */
    next(test, timeoutMs = SAVE_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching plan printed within ${timeoutMs} ms of a save`)), timeoutMs);
        waiter = { test, resolve: (at) => (clearTimeout(timer), resolve(at)) };
      });
    },
  };
}

/**
 * Where the first complete plan in `text` ends (after its "Watching …" line), or -1.
 * @param {string} text
 */
function planEnd(text) {
  const start = text.startsWith('Watching ') ? 0 : text.indexOf('\nWatching ');
  if (start < 0) return -1;
  const newline = text.indexOf('\n', start + 1);
  return newline < 0 ? -1 : newline + 1;
}

/**
 * Repeats `act` until `seen` resolves (at most 5 times).
 * @param {() => Promise<void>} act
 * @param {() => Promise<number>} seen
 */
async function warmUp(act, seen) {
  for (let attempt = 1; ; attempt += 1) {
    const printed = seen();
    await act();
    try {
      await printed;
      return;
    } catch (e) {
      if (attempt === 5) throw e;
    }
  }
}

/**
 * @param {{
 *   emulator: import('../lib/emulator-process.js').BenchEmulator,
 *   dir: string, cwd: string, count: number, expected: Record<string, number>,
 * }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function watchScenario(s) {
  const client = s.emulator.client();
  try {
    const remote = await readRemoteState(client);
    const recorder = planRecorder();
    /** @type {string[]} */
    const errors = [];
    const stderr = { write: (/** @type {string} */ chunk) => errors.push(chunk) > 0 };
    const abort = new AbortController();
    const dirArg = s.dir.slice(s.cwd.length + 1);
    const updatesIn = (/** @type {number} */ edits) => `${(s.expected['update'] ?? 0) + edits} to update`;
    /** Save number `edit` changes one more noop sink's description (never 11 or 13 mod 100): one more update. */
    const save = (/** @type {number} */ edit) => {
      const i = (edit - 1) * 40 + 1;
      return writeFile(join(s.dir, sinkFile(i)), sinkYaml(i, `edit ${edit}`));
    };

    const first = recorder.next((text) => text.includes(updatesIn(0)));
    const watching = watchPlans({
      dir: dirArg,
      io: { stdout: recorder.stdout, stderr, stdin: Readable.from([]), env: FIXTURE_ENV, cwd: s.cwd },
      remote,
      options: PLAN_OPTIONS,
      allowEmpty: false,
      format: 'text',
      render: RENDER,
      signal: abort.signal,
    });
    const latencies = [];
    let requests = 0;
    try {
      await first;
      await s.emulator.clearRequests();
      // One unmeasured save, repeated until a plan shows it (should the watcher not be ready yet).
      await warmUp(() => save(1), () => recorder.next((text) => text.includes(updatesIn(1)), 1000));
      for (let edit = 2; edit <= SAVES + 1; edit += 1) {
        await sleep(QUIET_MS);
        const printed = recorder.next((text) => text.includes(updatesIn(edit)));
        const start = performance.now();
        await save(edit);
        latencies.push((await printed) - start);
      }
      requests = (await s.emulator.requests()).length;
    } finally {
      abort.abort();
      await watching;
    }
    if (errors.length > 0) throw new Error(`watch wrote to stderr: ${errors.join('').slice(0, 200)}`);

    const cold = [];
    for (let run = 0; run < 5; run += 1) {
      cold.push(
        (
          await timed(async () => {
            const desired = await loadDesired(s.dir, { cwd: s.cwd, env: FIXTURE_ENV });
            return renderPlan(plan(desired.sinks, remote, PLAN_OPTIONS), 'text', RENDER);
          })
        ).ms,
      );
    }
    const p95 = percentile(latencies, 95);
    return [
      {
        scenario: `watch ${s.count.toLocaleString('en')} files: save -> plan, p95 of ${SAVES} (median ${formatMs(median(latencies))}; ${requests} API requests)`,
        measured: formatMs(p95),
        baseline: `${formatMs(median(cold))} (load + plan)`,
        target: `< ${formatMs(TARGET_P95_MS)}`,
        pass: p95 < TARGET_P95_MS && requests === 0,
      },
    ];
  } finally {
    await client.close();
  }
}
