/**
 * The real entry point, spawned as users run it: `node bin/sinkops.js`, which runs the CLI bundle
 * (dist/cli-bundle/, built by `npm run build`; `npm test` builds first). Every other end-to-end test
 * runs the CLI in-process (`runCli`, helpers/cli.ts) through the same `run(argv, io)` from src/;
 * this file checks what only a process shows: that the bundle starts, carries package.json's
 * version and the schemas, loads its commands and pino from where they are, writes to the real
 * stdout and stderr, and turns run's result into the exit code — with the same output as src/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  assertBuilt,
  copyIntoRepo,
  E2E_AUTH_TOKEN,
  PROCESS_TEST_TIMEOUT_MS,
  REPO_ROOT,
  runCli,
  runCliProcess,
  startE2eEmulator,
  tempDir,
  writeRepo,
  type CliOptions,
  type CliResult,
} from './helpers/index.js';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BUNDLE = join(REPO_ROOT, 'dist', 'cli-bundle');

/** What a spawned run loaded: the files node required (the bundle's chunks, pino…). */
let probe: string;

beforeAll(async () => {
  assertBuilt();
  if (!existsSync(join(BUNDLE, 'main.cjs'))) throw new Error(`${BUNDLE} is missing: bin/sinkops.js runs it. Run \`npm run build\` first (\`npm test\` does).`);
  const dir = await tempDir('sinkops-bin-');
  probe = join(dir, 'probe.cjs');
  await writeFile(
    probe,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.SINKOPS_PROBE_OUT, JSON.stringify(Object.keys(require.cache))));\n",
  );
});

/** `runCliProcess`, and the files the process required. */
async function spawned(args: readonly string[], options: CliOptions): Promise<CliResult & { required: string[] }> {
  const out = join(await tempDir('sinkops-bin-probe-'), 'required.json');
  const r = await runCliProcess(args, { ...options, env: { ...options.env, NODE_OPTIONS: `--require ${probe}`, SINKOPS_PROBE_OUT: out } });
  return { ...r, required: JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

/** Spawned and in-process runs must agree on everything the user sees. */
function sameAsInProcess(a: CliResult, b: CliResult): void {
  expect({ code: a.code, stdout: a.stdout, stderr: a.stderr }).toEqual({ code: b.code, stdout: b.stdout, stderr: b.stderr });
}

describe('bin/sinkops.js', () => {
  it('prints the version and exits 0, from the bundle, loading no command', async () => {
    const r = await spawned(['--version'], { cwd: REPO_ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
    const inBundle = r.required.filter((f) => f.startsWith(BUNDLE));
    expect(inBundle).toContain(join(BUNDLE, 'main.cjs'));
    expect(inBundle.filter((f) => /[/\\](validate|plan|apply|activate|import|emulator|github|init)-[^/\\]+\.cjs$/.test(f))).toEqual([]);
    expect(r.required.filter((f) => f.startsWith(join(REPO_ROOT, 'dist', 'cli') + '/'))).toEqual([]);
  });

  it('prints the help, the same as the in-process run', async () => {
    const [help, inProcess] = await Promise.all([runCliProcess(['--help'], { cwd: REPO_ROOT }), runCli(['--help'], { cwd: REPO_ROOT })]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`sinkops ${VERSION}`);
    expect(help.stdout).toMatch(/^ {2}validate {2}/m);
    sameAsInProcess(help, inProcess);
    const command = await runCliProcess(['plan', '--help'], { cwd: REPO_ROOT });
    expect(command.code).toBe(0);
    expect(command.stdout).toMatch(/^Usage: sinkops plan/);
  });

  it('validates the project’s sinks, the same as the in-process run, without loading pino', async () => {
    const cwd = await copyIntoRepo(join(REPO_ROOT, 'sinks'));
    const env = { KINESIS_EXTERNAL_ID: 'external-id', SEGMENT_WRITE_KEY: 'write-key' };
    const [r, inProcess] = await Promise.all([spawned(['validate'], { cwd, env }), runCli(['validate'], { cwd, env })]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK: \d+ sinks in \d+ files\n$/);
    sameAsInProcess(r, inProcess);
    expect(r.required.some((f) => /[/\\]validate-[^/\\]+\.cjs$/.test(f))).toBe(true);
    expect(r.required.filter((f) => f.includes(`${join('node_modules', 'pino')}`))).toEqual([]);
  });

  it('exits 1 on an invalid sink file, with the same output as the in-process run', async () => {
    const cwd = await writeRepo({ 'sinks/bad.yaml': 'name: bad\nsink_typ: webhook\n' });
    const [r, inProcess] = await Promise.all([runCliProcess(['validate'], { cwd }), runCli(['validate'], { cwd })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^sinks\/bad\.yaml:\d+:\d+: error: /m);
    sameAsInProcess(r, inProcess);
  });

  it('exits 1 on an unknown command or option, naming it on stderr', async () => {
    const [command, option] = await Promise.all([runCliProcess(['plna'], { cwd: REPO_ROOT }), runCliProcess(['validate', '--dri', 'x'], { cwd: REPO_ROOT })]);
    expect(command.code).toBe(1);
    expect(command.stdout).toBe('');
    expect(command.stderr).toMatch(/^Error: unknown command 'plna'.*'plan'/);
    expect(option.code).toBe(1);
    expect(option.stderr).toMatch(/^Error: unknown option '--dri'; did you mean '--dir'\?/);
  });

  it('plans against the emulator, with logs from pino (loaded from node_modules) and no credential printed', async () => {
    const emu = await startE2eEmulator();
    const cwd = await writeRepo({
      'sinks/orders.yaml': { name: 'orders', description: 'Orders', sink_type: 'webhook', sink_configuration: { destination: 'https://example.org/orders' } },
    });
    const r = await spawned(['plan', '--log-level', 'debug'], { cwd, env: emu.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg)).toContain('twilio request');
    expect(r.stdout + r.stderr).not.toContain(E2E_AUTH_TOKEN);
    expect(r.required.some((f) => f.includes(join('node_modules', 'pino', '')))).toBe(true);
    expect((await emu.requests()).length).toBeGreaterThan(0);
  });

  it('plans the project’s sinks against the local account, with no credentials', async () => {
    const cwd = await copyIntoRepo(join(REPO_ROOT, 'sinks'));
    const r = await runCliProcess(['plan', '--local'], { cwd });
    expect(r.stderr).not.toMatch(/Error|credentials/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 blocked.');
  });
});
