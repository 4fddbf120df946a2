/**
 * The action as GitHub runs it: only action.yml and the file its `runs.main` names are copied into a
 * folder with no node_modules and no package.json above it, and `node <that file>` runs in a
 * repository that holds nothing but sink YAML, with the environment GitHub gives a step (INPUT_*,
 * GITHUB_OUTPUT, RUNNER_TEMP) and the emulator's credentials, never this test runner's own
 * environment. Spawned on purpose: the process, and what it can find on disk, is what is under test.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  E2E_AUTH_TOKEN,
  expectNoSecrets,
  onCleanup,
  PROCESS_TEST_TIMEOUT_MS,
  REPO_ROOT,
  startE2eEmulator,
  tempDir,
  writeRepo,
  type E2eEmulator,
} from '../e2e/helpers/index.js';

/** A spawned run is killed after this long: an upper bound that turns a hang into a failure, never a wait. */
const KILL_AFTER_MS = 120_000;

const HOOK = (path: string) => ({ destination: `https://hooks.example.com/${path}`, method: 'POST' });

let bundle: string;
let emu: E2eEmulator;
let repo: string;
let runnerTemp: string;

beforeAll(async () => {
  const action = parse(await readFile(join(REPO_ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; main: string } };
  const copy = await tempDir('sinkops-action-');
  await copyFile(join(REPO_ROOT, 'action.yml'), join(copy, 'action.yml'));
  bundle = join(copy, action.runs.main);
  await mkdir(dirname(bundle), { recursive: true });
  await copyFile(join(REPO_ROOT, action.runs.main), bundle).catch((e: unknown) => {
    throw new Error(`${action.runs.main} is missing: run npm run bundle and commit the result`, { cause: e });
  });
  expect((await readdir(copy, { recursive: true })).sort()).toEqual(['action', 'action.yml', 'action/dist', 'action/dist/main.mjs']);

  emu = await startE2eEmulator();
  repo = await writeRepo({
    'sinks/orders.yaml': { name: 'orders', description: 'Order events', sink_type: 'webhook', sink_configuration: HOOK('orders') },
    'sinks/billing.yml': { name: 'billing', description: 'Billing events', sink_type: 'webhook', sink_configuration: HOOK('billing') },
  });
  runnerTemp = await tempDir('sinkops-runner-temp-');
});

interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** $GITHUB_OUTPUT after the run, as name → value (the last line of a name wins, as in GitHub). */
  readonly outputs: Readonly<Record<string, string>>;
  readonly outputLines: readonly string[];
}

/**
 * `node <bundle>` in `cwd` with the inputs (every one set, as GitHub sets the defaults of those a
 * workflow leaves out) and a fresh GITHUB_OUTPUT. `nodeArgs` go before the bundle.
 */
async function runAction(given: Record<string, string>, options: { env?: Record<string, string>; cwd?: string; nodeArgs?: string[] } = {}): Promise<ActionRun> {
  const inputs = { command: 'plan', dir: 'sinks', stack: '', account: '', format: '', args: '', ...given };
  const home = await tempDir('sinkops-home-');
  const outputFile = join(home, 'github_output');
  await writeFile(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: runnerTemp,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...emu.env,
    ...options.env,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bundle], { cwd: options.cwd ?? repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exit) => resolve(exit));
  });
  clearTimeout(killer);
  if (child.signalCode === 'SIGKILL') throw new Error(`the action did not finish in ${KILL_AFTER_MS} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
  const outputLines = (await readFile(outputFile, 'utf8')).split('\n').filter(Boolean);
  const outputs = Object.fromEntries(outputLines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  expectNoSecrets({ stdout, stderr, outputs: outputLines.join('\n') }, [E2E_AUTH_TOKEN]);
  return { code, stdout, stderr, outputs, outputLines };
}

const PLAN_HASH = /^<!-- sinkops:plan-hash (sha256:[0-9a-f]{64}) -->\n/;

describe('the bundled action, run as GitHub runs it, without node_modules', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('validates a repository of YAML only', async () => {
    const r = await runAction({ command: 'validate' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('OK: 2 sinks in 2 files\n');
    expect(r.code).toBe(0);
    expect(Object.keys(r.outputs).sort()).toEqual(['exit-code', 'stdout-file']);
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.outputs['stdout-file']?.startsWith(`${runnerTemp}/`)).toBe(true);
    expect(await readFile(r.outputs['stdout-file'] ?? '', 'utf8')).toBe(r.stdout);
  });

  it('annotates a broken sink file with --format github and fails the step', async () => {
    const broken = await writeRepo({ 'sinks/bad.yaml': 'name: Bad Name\ndescription: x\nsink_type: webhook\nsink_configuration: {destination: https://e.org, method: POST}\n' });
    const r = await runAction({ command: 'validate', format: 'github' }, { cwd: broken });
    expect(r.stdout).toMatch(/^::error file=sinks\/bad\.yaml,line=1,/m);
    expect(r.code).toBe(1);
    expect(r.outputs['exit-code']).toBe('1');
  });

  it('plans as Markdown: the plan on stdout and in stdout-file, its hash as an output, nothing changed', async () => {
    await emu.clearRequests();
    const r = await runAction({ command: 'plan', format: 'markdown' });
    expect(r.code).toBe(0);
    const hash = PLAN_HASH.exec(r.stdout)?.[1];
    expect(hash, r.stdout).toBeDefined();
    expect(r.stdout).toContain('### sinkops plan');
    expect(r.stdout).toContain('2 to create');
    expect(r.stdout).toContain('`billing`');
    expect(r.stdout).toContain('`orders`');
    expect(r.outputs).toEqual({ 'exit-code': '0', 'stdout-file': expect.stringMatching(/\/plan\.md$/), 'plan-hash': hash });
    expect(await readFile(r.outputs['stdout-file'] ?? '', 'utf8')).toBe(r.stdout);
    // The plan read the account with the step's credentials and wrote nothing.
    const requests = await emu.requests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect((await emu.api('GET', '/v1/Sinks')).body.sinks).toEqual([]);
  });

  it('fails with exit-code 2 on changes with --detailed-exitcode, then applies the reviewed plan by its hash', async () => {
    const plan = await runAction({ command: 'plan', format: 'json', args: '--detailed-exitcode' });
    expect(plan.code).toBe(2);
    expect(plan.outputs['exit-code']).toBe('2');
    const hash = (JSON.parse(plan.stdout) as { plan_hash: string }).plan_hash;
    expect(plan.outputs['plan-hash']).toBe(hash);
    expect(plan.outputs['stdout-file']).toMatch(/\/plan\.json$/);

    const apply = await runAction({ command: 'apply', args: `--yes --expect-plan-hash ${hash}` });
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.outputs['exit-code']).toBe('0');
    const sinks = (await emu.api('GET', '/v1/Sinks')).body.sinks as { description: string }[];
    expect(sinks.map((s) => s.description).sort()).toEqual(['Billing events [sinkops:billing]', 'Order events [sinkops:orders]']);

    const again = await runAction({ command: 'plan', args: '--detailed-exitcode' });
    expect(again.code).toBe(0);
    expect(again.outputs['exit-code']).toBe('0');
  });

  it('refuses args a shell would have read, before sinkops runs', async () => {
    await emu.clearRequests();
    const r = await runAction({ command: 'plan', args: '--out $RUNNER_TEMP/plan.json' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error: input 'args': '$RUNNER_TEMP/plan.json' is not a plain argument. No shell runs the arguments");
    expect(r.stdout).toMatch(/^::error title=sinkops action::input 'args': '\$RUNNER_TEMP\/plan\.json' is not a plain argument/);
    expect(r.outputLines).toEqual(['exit-code=1']);
    expect(await emu.requests()).toEqual([]);
  });

  it('passes a usage error of sinkops through, with its exit code', async () => {
    const r = await runAction({ command: 'plan', format: 'yaml' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*--format/);
    expect(r.outputs['exit-code']).toBe('1');
  });

  it('logs JSON lines to stderr, and pretty lines on a terminal, with no pino transport file to load', async () => {
    const json = await runAction({ command: 'plan' }, { env: { LOG_LEVEL: 'debug' } });
    expect(json.code).toBe(0);
    const lines = json.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg)).toContain('twilio request');

    // pino-pretty is used only when stderr is a terminal; here it is made to look like one.
    const pretty = await runAction(
      { command: 'plan' },
      { env: { LOG_LEVEL: 'debug', NO_COLOR: '1' }, nodeArgs: ['--import', 'data:text/javascript,Object.defineProperty(process.stderr,"isTTY",{value:true})'] },
    );
    expect(pretty.code).toBe(0);
    expect(pretty.stderr).toMatch(/^DEBUG: twilio request$/m);
    expect(pretty.stderr).not.toMatch(/^\{"level"/m);
  });
});
