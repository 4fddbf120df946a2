// @ts-check
/**
 * Runs the real CLI (`node bin/sinkops.js …`) in a child process, as peak-rss.js does, with
 * bench/rss-probe.js preloaded: the wall time (spawn to exit), the exit code, the process's own peak
 * RSS (getrusage's maxRSS, so nothing of the bench's or the emulator's memory counts) and what it
 * wrote. `BENCH_CPU_PROF=DIR` in the bench's environment writes a V8 CPU profile of every such run
 * into DIR (`node --cpu-prof`), to see where a slow run's time goes.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timed } from './measure.js';

const BIN = fileURLToPath(new URL('../../bin/sinkops.js', import.meta.url));
const PROBE = new URL('../rss-probe.js', import.meta.url).href;

/**
 * @typedef {object} SinkopsRun
 * @property {number} code
 * @property {number} ms  wall time, spawn to exit
 * @property {number} maxRss  bytes
 * @property {string} stdout
 * @property {string} stderr
 */

let runs = 0;

/**
 * @param {string[]} args  sinkops's arguments
 * @param {{ cwd: string, env: Record<string, string>, codes?: readonly number[] }} o  `codes`: the exit
 *   codes expected (default [0]); any other is an error quoting stderr
 * @returns {Promise<SinkopsRun>}
 */
export async function runSinkops(args, o) {
  runs += 1;
  const out = join(o.cwd, `probe-${process.pid}-${runs}.json`);
  const profileDir = process.env['BENCH_CPU_PROF'];
  const profile = profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `sinkops-${runs}-${args[0] ?? ''}.cpuprofile`];
  let stdout = '';
  let stderr = '';
  const { value: code, ms } = await timed(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...profile, '--import', PROBE, BIN, ...args], {
          cwd: o.cwd,
          env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', LOG_LEVEL: 'warn', BENCH_PROBE_OUT: out, ...o.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (c) => resolve(c ?? -1));
      }),
  );
  if (!(o.codes ?? [0]).includes(code)) throw new Error(`sinkops ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`);
  const probe = /** @type {{ maxRssBytes: number }} */ (JSON.parse(await readFile(out, 'utf8')));
  await rm(out);
  return { code, ms, maxRss: probe.maxRssBytes, stdout, stderr };
}
