// @ts-check
/**
 * SPEC §10: `plan --watch` over 1,000 files with the remote state cached: file saved → new plan
 * printed in under 150 ms (p95). Drives `watchPlans` in-process with an Io whose stdout timestamps
 * each write; a save's latency runs from just before `writeFile` to the write that ends the plan
 * it caused (the "Watching …" line after a plan whose summary counts that save's update).
 * Baseline: the same work without watch's cache of the account: `loadDesired` + read the account
 * (50 ms latency) + `plan` + render, i.e. a fresh `sinkops plan`, median of 5.
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
import { FIXTURE_ENV, sinkFile, sinkYaml } from '../lib/fixtures.js';
import { formatMs, median, percentile, sleep, timed } from '../lib/measure.js';

const TARGET_P95_MS = 150;
const SAVES = 20;
/** Time for the watcher to settle after a plan, so one save's events never run into the next. */
const QUIET_MS = 120;
const SAVE_TIMEOUT_MS = 5000;

/** @type {import('../../dist/plan/model.js').PlanOptions} */
const PLAN_OPTIONS = { prune: true, allowEmpty: false, mode: 'plan' };
const RENDER = { color: false, verbose: false };

/**
 * A stdout that hands each completed plan (its text and the time its last line was written) to
 * whoever waits for one that satisfies a predicate.
 */
function planRecorder() {
  let current = '';
  /** @type {{ test: (text: string) => boolean, resolve: (at: number) => void } | undefined} */
  let waiter;
  return {
    stdout: {
      write(/** @type {string} */ chunk) {
        const at = performance.now();
        current += chunk;
        if (!chunk.startsWith('Watching ')) return true;
        const text = current;
        current = '';
        if (waiter !== undefined && waiter.test(text)) {
          waiter.resolve(at);
          waiter = undefined;
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
    const stderr = { chunks: /** @type {string[]} */ ([]), write(/** @type {string} */ c) { this.chunks.push(c); return true; } };
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
      api: client,
      remote,
      options: PLAN_OPTIONS,
      format: 'text',
      render: RENDER,
      signal: abort.signal,
    });
    const latencies = [];
    try {
      await first;
      // The watcher is created after the first plan and must scan the folder before it sees a save,
      // and nothing says when it is ready: the unmeasured first save is repeated until a plan shows it.
      await warmUp(() => save(1), () => recorder.next((text) => text.includes(updatesIn(1)), 1000));
      for (let edit = 2; edit <= SAVES + 1; edit += 1) {
        await sleep(QUIET_MS);
        const printed = recorder.next((text) => text.includes(updatesIn(edit)));
        const start = performance.now();
        await save(edit);
        latencies.push((await printed) - start);
      }
    } finally {
      abort.abort();
      await watching;
    }
    if (stderr.chunks.length > 0) throw new Error(`watch wrote to stderr: ${stderr.chunks.join('').slice(0, 200)}`);

    const cold = [];
    for (let run = 0; run < 5; run += 1) {
      cold.push(
        (
          await timed(async () => {
            const desired = await loadDesired(s.dir, { cwd: s.cwd, env: FIXTURE_ENV });
            return renderPlan(plan(desired.sinks, await readRemoteState(client), PLAN_OPTIONS), 'text', RENDER);
          })
        ).ms,
      );
    }
    const p95 = percentile(latencies, 95);
    return [
      {
        scenario: `watch ${s.count.toLocaleString('en')} files: save -> plan, p95 of ${SAVES} (median ${formatMs(median(latencies))})`,
        measured: formatMs(p95),
        baseline: `${formatMs(median(cold))} (fresh plan)`,
        target: `< ${formatMs(TARGET_P95_MS)}`,
        pass: p95 < TARGET_P95_MS,
      },
    ];
  } finally {
    await client.close();
  }
}
