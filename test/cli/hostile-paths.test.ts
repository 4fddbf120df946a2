/**
 * Every file path the CLI accepts, besides validate's sink files (test/desired/hostile-input.test.ts),
 * against what a path can point to: a FIFO with no writer (which must never block the process), a
 * device that never ends (/dev/zero, /dev/urandom), a directory, a file over the limit, a binary
 * and a non-UTF-8 file. Each run is in-process (`run(argv, io)`) and must fail at once with a
 * clear error that names the path and what is wrong with it.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/helpers/index.js';
import { MAX_PLAN_FILE_BYTES } from '../../src/cli/commands/apply.js';
import { MAX_COMMENT_FILE_BYTES } from '../../src/cli/commands/github.js';
import { MAX_SEED_FILE_BYTES } from '../../src/emulator/seed.js';
import { MAX_STATE_FILE_BYTES } from '../../src/emulator/state-file.js';

/** A generous upper bound on "at once"; a FIFO read that blocked would never finish at all. */
const PROMPT_MS = 20_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sinkops-paths-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function sinkops(args: string[], cwd = dir, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; ms: number }> {
  const r = await runCli(args, { cwd: cwd, env: { LOG_LEVEL: 'silent', ...env } });
  return { code: r.code ?? -1, out: r.stdout, err: r.stderr, ms: r.ms };
}

let made = 0;
/** A fresh path in the temp folder, made by `create`. */
async function fresh(create: (path: string) => Promise<void> | void): Promise<string> {
  const path = join(dir, `input-${(made += 1)}`);
  await create(path);
  return path;
}

async function sparse(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  await handle.truncate(bytes);
  await handle.close();
}

const MiB = 1024 * 1024;

interface AcceptedPath {
  readonly name: string;
  readonly argv: (path: string) => string[];
  readonly what: string;
  readonly limit: number;
  readonly limitText: string;
}

const PATHS: readonly AcceptedPath[] = [
  { name: 'apply PLAN_FILE', argv: (p) => ['apply', p, '--yes'], what: 'a saved plan', limit: MAX_PLAN_FILE_BYTES, limitText: '32 MiB' },
  { name: 'emulator --seed', argv: (p) => ['emulator', '--port', '0', '--seed', p], what: 'a seed file', limit: MAX_SEED_FILE_BYTES, limitText: '32 MiB' },
  { name: 'emulator --state', argv: (p) => ['emulator', '--port', '0', '--state', p], what: 'an emulator state file', limit: MAX_STATE_FILE_BYTES, limitText: '64 MiB' },
  { name: 'github comment --file', argv: (p) => ['github', 'comment', '--file', p, '--pr', '1'], what: 'a comment file', limit: MAX_COMMENT_FILE_BYTES, limitText: '4 MiB' },
];

interface Hostile {
  readonly name: string;
  readonly path: (accepted: AcceptedPath) => Promise<string>;
  readonly problem: (accepted: AcceptedPath) => string;
}

const HOSTILE: readonly Hostile[] = [
  {
    name: 'a FIFO with no writer',
    path: () => fresh((p) => void execFileSync('mkfifo', [p])),
    problem: (a) => `it is a FIFO (named pipe), not a regular file; ${a.what} must be a regular file`,
  },
  { name: '/dev/zero', path: async () => '/dev/zero', problem: () => 'it is a character device, not a regular file' },
  { name: '/dev/urandom', path: async () => '/dev/urandom', problem: () => 'it is a character device, not a regular file' },
  { name: 'a directory', path: () => fresh((p) => mkdir(p)), problem: () => 'it is a directory, not a regular file' },
  {
    name: 'a file one byte over the limit',
    path: (a) => fresh((p) => sparse(p, a.limit + 1)),
    problem: (a) => `over the limit of ${a.limitText} for ${a.what}; it was not read`,
  },
  {
    name: 'a binary file',
    path: () => fresh((p) => writeFile(p, Buffer.from('{"a":\n 1\u0000}'))),
    problem: (a) => `it contains a NUL byte (line 2, column 3): ${a.what} is text, not binary`,
  },
  {
    name: 'a file that is not UTF-8',
    path: () => fresh((p) => writeFile(p, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))),
    problem: () => 'it is not valid UTF-8 (byte 0xff at line 1, column 3); save it as UTF-8',
  },
];

describe.each(PATHS)('$name', (accepted) => {
  it.each(HOSTILE)('refuses $name at once, naming the path and the problem', async (hostile) => {
    const path = await hostile.path(accepted);
    const r = await sinkops(accepted.argv(path));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Error: Cannot read ${path}: `);
    expect(r.err).toContain(hostile.problem(accepted));
    expect(r.err).not.toContain('Internal error');
    expect(r.ms).toBeLessThan(PROMPT_MS);
  });
});

describe('more paths', () => {
  it('names a missing saved plan as it was typed (not an internal error)', async () => {
    const r = await sinkops(['apply', 'nope.json', '--yes']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: Cannot read nope.json: ENOENT (no such file)');
  });

  it("plan --local refuses a local account whose state file is a FIFO, without blocking", async () => {
    const repo = await mkdtemp(join(dir, 'repo-'));
    await mkdir(join(repo, 'sinks'));
    await writeFile(join(repo, 'sinks', 'a.yaml'), 'name: a\ndescription: A\nsink_type: webhook\nsink_configuration:\n  destination: https://example.org/a\n');
    await mkdir(join(repo, '.sinkops'));
    const state = join(repo, '.sinkops', 'local-account.json');
    execFileSync('mkfifo', [state]);
    const r = await sinkops(['plan', '--local'], repo);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Error: Cannot read ${state}: it is a FIFO (named pipe), not a regular file`);
    expect(r.ms).toBeLessThan(PROMPT_MS);
  });

  it('reads a saved plan, seed and comment within their limits as before', async () => {
    const seed = await fresh((p) => writeFile(p, JSON.stringify({ sinks: [{ description: 'x', sink_type: 'segment', sink_configuration: { write_key: 'k' } }, 7] })));
    // Read and parsed: the error is about its content now, not about the file.
    const r = await sinkops(['emulator', '--port', '0', '--seed', seed]);
    expect(r.err).toContain(`seed file ${seed} is not valid`);
  });
});

it('a sparse file over the limit is refused from its size alone, without reading it', async () => {
  const path = await fresh((p) => sparse(p, 4096 * MiB));
  const r = await sinkops(['apply', path, '--yes']);
  expect(r.err).toContain(`Cannot read ${path}: it is 4096 MiB, over the limit of 32 MiB for a saved plan; it was not read`);
});
