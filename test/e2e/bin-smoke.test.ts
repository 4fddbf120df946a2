/**
 * The real entry point, spawned as users run it: `node bin/sinkops.js`, which loads the compiled
 * dist/ (run `npm run build` first; `npm test` does). Every other end-to-end test runs the CLI
 * in-process (`runCli`, helpers/cli.ts) through the same `run(argv, io)` that bin/sinkops.js calls;
 * this file checks what only a process shows: that the build starts, finds package.json and the
 * schemas, writes to the real stdout and stderr, and turns run's result into the exit code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, copyIntoRepo, PROCESS_TEST_TIMEOUT_MS, REPO_ROOT, runCli, runCliProcess, writeRepo } from './helpers/index.js';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => assertBuilt());

describe('bin/sinkops.js', () => {
  it('prints the version and exits 0', async () => {
    const r = await runCliProcess(['--version'], { cwd: REPO_ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it('plans the project’s sinks against the local account, with no credentials', async () => {
    const cwd = await copyIntoRepo(join(REPO_ROOT, 'sinks'));
    const r = await runCliProcess(['plan', '--local'], { cwd });
    expect(r.stderr).not.toMatch(/Error|credentials/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 blocked.');
  });

  it('exits 1 on an invalid sink file, with the same output as the in-process run', async () => {
    const cwd = await writeRepo({ 'sinks/bad.yaml': 'name: bad\nsink_typ: webhook\n' });
    const [spawned, inProcess] = await Promise.all([runCliProcess(['validate'], { cwd }), runCli(['validate'], { cwd })]);
    expect(spawned.code).toBe(1);
    expect(spawned.stdout).toMatch(/^sinks\/bad\.yaml:\d+:\d+: error: /m);
    expect({ code: spawned.code, stdout: spawned.stdout, stderr: spawned.stderr }).toEqual({
      code: inProcess.code,
      stdout: inProcess.stdout,
      stderr: inProcess.stderr,
    });
  });
});
