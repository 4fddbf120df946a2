// @ts-check
/**
 * SPEC §10 "Start-up": `sinkops --version` and `sinkops validate` of 10 files each within 1.5x of a
 * bare `node -e 0`. Whole processes, as a user starts them (`node bin/sinkops.js …`, stdout and
 * stderr pipes, stdin empty), timed from spawn to exit. Each command runs in turn with its baseline
 * (A B A B …, after one unmeasured warm-up pair), so a drift in the machine's speed moves both; the
 * ratio is the median of the pairs' ratios, the times the medians of each side.
 *
 * The environment is a minimal one, as in a user's shell: PATH, NO_COLOR and the fixtures' variables.
 * Inherited, a variable such as NODE_EXTRA_CA_CERTS (every node start then reads a CA bundle, about
 * 30 ms here) or NODE_OPTIONS would slow both sides alike and flatten the ratio.
 *
 * The floor, informational: a bare node that requires a minified one-file bundle of yaml (built
 * here with esbuild) and parses the same 10 files, which is about the least `validate` can do. The
 * distance between it and `node -e 0` is out of sinkops's hands; the distance between it and
 * `sinkops validate` is what sinkops adds.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FIXTURE_ENV, sinkName, sinkYaml } from '../lib/fixtures.js';
import { formatMs, median } from '../lib/measure.js';

const TARGET_RATIO = 1.5;
const PAIRS = 21;
const FILES = 10;
const BIN = fileURLToPath(new URL('../../bin/sinkops.js', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BARE = ['-e', '0'];

/**
 * One sink file as a repository holds it: the bench fixture's sink with a subscription.
 * @param {number} i
 */
const sinkFileText = (i) =>
  `${sinkYaml(i)}subscriptions:\n  - name: deliveries\n    description: Delivery receipts\n    events:\n      com.twilio.messaging.message.delivered: 2\n      com.twilio.messaging.message.failed: 2\n`;

/**
 * The floor's script: requires the one-file yaml bundle and parses every file of the folder into
 * plain data, as the loader must at least do.
 */
const FLOOR_SCRIPT = `'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parseAllDocuments } = require('./yaml.cjs');
const dir = process.argv[2];
let docs = 0;
for (const name of readdirSync(dir).sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, name), 'utf8'))) {
    if (doc.errors.length > 0 || typeof doc.toJS() !== 'object') throw new Error(name + ': not a sink document');
    docs += 1;
  }
}
process.stdout.write('parsed ' + docs + ' documents\\n');
`;

/**
 * Runs `node args…` once and returns its wall time, from spawn to exit, in milliseconds.
 * @param {{ args: string[], cwd: string, env: NodeJS.ProcessEnv, expect: RegExp }} command
 */
function runOnce(command) {
  const start = performance.now();
  const r = spawnSync(process.execPath, command.args, { cwd: command.cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0 || !command.expect.test(r.stdout) || r.stderr !== '') {
    throw new Error(`node ${command.args.join(' ')} exited ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`);
  }
  return ms;
}

/**
 * `command` and the bare node in turn, PAIRS times after a warm-up pair.
 * @param {{ args: string[], cwd: string, env: NodeJS.ProcessEnv, expect: RegExp }} command
 * @param {{ args: string[], cwd: string, env: NodeJS.ProcessEnv, expect: RegExp }} bare
 */
function alternate(command, bare) {
  runOnce(command);
  runOnce(bare);
  /** @type {number[]} */ const a = [];
  /** @type {number[]} */ const b = [];
  /** @type {number[]} */ const ratios = [];
  for (let i = 0; i < PAIRS; i += 1) {
    const ms = runOnce(command);
    const base = runOnce(bare);
    a.push(ms);
    b.push(base);
    ratios.push(ms / base);
  }
  return { ms: median(a), bare: median(b), ratio: median(ratios) };
}

/**
 * Builds the floor: yaml bundled and minified into one CommonJS file beside the script.
 * @param {string} dir
 */
async function writeFloor(dir) {
  await mkdir(dir, { recursive: true });
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: REPO,
    stdin: { contents: "module.exports = require('yaml');", resolveDir: REPO, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(dir, 'yaml.cjs'),
    logLevel: 'warning',
  });
  await writeFile(join(dir, 'floor.cjs'), FLOOR_SCRIPT);
}

/**
 * @param {{ cwd: string }} s  a temporary folder of the bench's
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function startup(s) {
  const root = join(s.cwd, 'startup');
  const sinks = join(root, 'sinks');
  await mkdir(sinks, { recursive: true });
  for (let i = 0; i < FILES; i += 1) await writeFile(join(sinks, `${sinkName(i)}.yaml`), sinkFileText(i));
  await writeFloor(join(root, 'floor'));

  const env = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...FIXTURE_ENV };
  const bare = { args: BARE, cwd: root, env, expect: /^$/ };
  const version = alternate({ args: [BIN, '--version'], cwd: root, env, expect: /^\d+\.\d+\.\d+\S*\n$/ }, bare);
  const validate = alternate({ args: [BIN, 'validate', '--dir', 'sinks'], cwd: root, env, expect: new RegExp(`^OK: ${FILES} sinks in ${FILES} files\\n$`) }, bare);
  const floor = alternate({ args: [join(root, 'floor', 'floor.cjs'), sinks], cwd: root, env, expect: new RegExp(`^parsed ${FILES} documents\\n$`) }, bare);

  /**
   * @param {string} scenario
   * @param {{ ms: number, bare: number, ratio: number }} m
   * @param {boolean} [informational]
   * @returns {import('../lib/measure.js').Row}
   */
  const row = (scenario, m, informational = false) => ({
    scenario: `${scenario} (median of ${PAIRS} alternating pairs)`,
    measured: `${formatMs(m.ms)} (${m.ratio.toFixed(2)}x)`,
    baseline: `${formatMs(m.bare)} (node -e 0)`,
    target: informational ? '-' : `<= ${TARGET_RATIO}x node -e 0`,
    pass: informational ? undefined : m.ratio <= TARGET_RATIO,
  });
  return [
    row('start-up: sinkops --version', version),
    row(`start-up: sinkops validate (${FILES} files)`, validate),
    row(`start-up floor: node + one-file yaml, parse the ${FILES} files`, floor, true),
  ];
}
