// @ts-check
/**
 * SPEC §10: peak RSS under 256 MB at 10,000 sinks. Measured on the real CLI in a child process
 * (`node bin/sinkops.js validate|plan`, against the 10,000-sink emulator), with bench/rss-probe.js
 * preloaded to report getrusage's maxRSS at exit: only sinkops' own memory is counted, not the
 * bench's or the emulator's. The wall time of each command (process start to exit) is shown too.
 * Baseline: the peak RSS of a node process that runs nothing.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SINK_LIMIT, FIXTURE_ENV } from '../lib/fixtures.js';
import { formatMb, formatMs, timed } from '../lib/measure.js';

const TARGET_BYTES = 256 * 1024 * 1024;
const BIN = fileURLToPath(new URL('../../bin/sinkops.js', import.meta.url));
const PROBE = new URL('../rss-probe.js', import.meta.url).href;

/**
 * Runs `node --import rss-probe argv…` with stdout discarded and returns its wall time and peak RSS.
 * @param {string[]} argv
 * @param {string} cwd
 * @param {Record<string, string>} env
 */
async function runNode(argv, cwd, env) {
  const out = join(cwd, `probe-${process.pid}.json`);
  const { value: code, ms } = await timed(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', PROBE, ...argv], {
          cwd,
          env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', LOG_LEVEL: 'warn', BENCH_PROBE_OUT: out, ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += String(d)));
        child.on('error', reject);
        child.on('exit', (c) => (c === 0 ? resolve(c) : reject(new Error(`${argv.join(' ')} exited ${c}: ${stderr.slice(0, 500)}`))));
      }),
  );
  const probe = /** @type {{ maxRssBytes: number }} */ (JSON.parse(await readFile(out, 'utf8')));
  await rm(out);
  return { code, ms, maxRss: probe.maxRssBytes };
}

/**
 * @param {string[]} args
 * @param {string} cwd
 * @param {Record<string, string>} env
 */
const runCli = (args, cwd, env) => runNode([BIN, ...args], cwd, env);

/**
 * @param {{ emulator: import('../lib/emulator-process.js').BenchEmulator, dir: string, cwd: string, count: number }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function peakRss(s) {
  const dirArg = s.dir.slice(s.cwd.length + 1);
  // What Node itself holds before sinkops does anything: the floor under both measurements.
  const bare = await runNode(['--eval', ''], s.cwd, {});
  const validate = await runCli(['validate', '--dir', dirArg], s.cwd, { ...FIXTURE_ENV });
  const credentials = {
    TWILIO_ACCOUNT_SID: s.emulator.accountSid,
    TWILIO_AUTH_TOKEN: s.emulator.config.password,
    TWILIO_EVENTS_BASE_URL: s.emulator.url,
  };
  const planned = await runCli(['plan', '--dir', dirArg, '--sink-limit', String(BENCH_SINK_LIMIT)], s.cwd, { ...FIXTURE_ENV, ...credentials });
  const n = s.count.toLocaleString('en');
  return [
    {
      scenario: `peak RSS: sinkops validate, ${n} files (child; ${formatMs(validate.ms)} wall)`,
      measured: formatMb(validate.maxRss),
      baseline: `${formatMb(bare.maxRss)} (bare node)`,
      target: `< ${formatMb(TARGET_BYTES)}`,
      pass: validate.maxRss < TARGET_BYTES,
    },
    {
      scenario: `peak RSS: sinkops plan, ${n} files x ${n} sinks (child; ${formatMs(planned.ms)} wall)`,
      measured: formatMb(planned.maxRss),
      baseline: `${formatMb(bare.maxRss)} (bare node)`,
      target: `< ${formatMb(TARGET_BYTES)}`,
      pass: planned.maxRss < TARGET_BYTES,
    },
  ];
}
