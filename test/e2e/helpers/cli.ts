import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/cli/main.js';
import { onCleanup } from './cleanup.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The real entry point, as users run it: it loads the compiled dist/ (run `npm run build` first). */
export const CLI = join(REPO_ROOT, 'bin', 'sinkops.js');
const BUILT = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/**
 * Generous upper bounds, never waits: a test waits for an event (output, exit, a request), and
 * these only turn a hang into a failure that shows the output so far. Under CPU load a Node start-up
 * alone can take 10 s, so tests that spawn the CLI use PROCESS_TEST_TIMEOUT_MS, and tests that run
 * it in-process E2E_TEST_TIMEOUT_MS.
 */
export const E2E_TEST_TIMEOUT_MS = 120_000;
export const PROCESS_TEST_TIMEOUT_MS = 180_000;
/** Default for `CliOptions.timeoutMs` of a spawned CLI, and for `CliProcess.waitForStdout`. */
const PROCESS_TIMEOUT_MS = 120_000;

/** Fails with a clear message when dist/ is missing; the tests that spawn the CLI run the built one, not src/. */
export function assertBuilt(): void {
  if (!existsSync(BUILT)) {
    throw new Error(`${BUILT} is missing: the tests that spawn the CLI run the built one. Run \`npm run build\` first (\`npm test\` does).`);
  }
}

export interface CliOptions {
  /** Working directory (a temp repo from `writeRepo`). */
  readonly cwd: string;
  /**
   * Variables on top of a minimal base (PATH, NO_COLOR=1). The test runner's own environment is
   * NOT inherited, so a developer's real TWILIO_* credentials can never reach a test. `undefined`
   * removes a base variable.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A spawned CLI (`runCliProcess`, `startCli`) is killed (SIGKILL) after this long and the run
   * fails (default 120 s); an in-process run (`runCli`) fails after this long when given.
   */
  readonly timeoutMs?: number;
}

export interface CliResult {
  /** Exit code; null when a signal ended the process. */
  readonly code: number | null;
  /** The signal that ended a spawned CLI; always null in-process. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from start to exit. */
  readonly ms: number;
}

/** A CLI process still running (for `plan --watch`): read its output so far, wait for text, stop it. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches (checked on every chunk); rejects on exit, or after `timeoutMs` (default 120 s). */
  waitForStdout(match: RegExp | ((stdout: string) => boolean), timeoutMs?: number): Promise<void>;
  /** Resolves when the process exits. */
  readonly exited: Promise<CliResult>;
  /** Sends a signal (default SIGINT) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/** The environment a CLI run gets, in-process or spawned: PATH and NO_COLOR=1, plus `extra`. */
export function cliEnv(extra: CliOptions['env']): Record<string, string> {
  const env: Record<string, string | undefined> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1' };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env as Record<string, string>;
}

/** The streams `run` is given: the shape of src's `Io`, taken from `run` so a move of its module does not matter here. */
type Io = Parameters<typeof run>[1];

/**
 * Runs `sinkops ...args` in this process: `run(args, io)` from src/cli/main.ts, as bin/sinkops.js
 * does, with stdout and stderr collected (not terminals), an empty stdin that is not a terminal,
 * the environment of `cliEnv` (never this process's own) and `cwd`. Returns what a spawned CLI
 * would: exit code and output. Calls may run together.
 *
 * Not for `plan --watch` or `emulator`: they install process-wide SIGINT/SIGTERM handlers and run
 * until a signal, so their tests spawn the CLI (`startCli`).
 */
export async function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (chunk: string) => void (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => void (stderr += chunk), isTTY: false },
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env: cliEnv(options.env),
    cwd: options.cwd,
  };
  const started = Date.now();
  const code = run(args, io);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    if (options.timeoutMs === undefined) return;
    timer = setTimeout(
      () => reject(new Error(`sinkops ${args.join(' ')} did not finish in ${options.timeoutMs} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`)),
      options.timeoutMs,
    );
  });
  try {
    return { code: await Promise.race([code, timedOut]), signal: null, stdout, stderr, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `node bin/sinkops.js ...args` and returns at once. The process is killed at file end if still running. */
export function startCli(args: readonly string[], options: CliOptions): CliProcess {
  assertBuilt();
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let closed = false;
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const l of listeners) l();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const timeoutMs = options.timeoutMs ?? PROCESS_TIMEOUT_MS;
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      closed = true;
      for (const l of listeners) l();
      resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - started });
    });
  });
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout(match, waitMs = PROCESS_TIMEOUT_MS) {
      const test = typeof match === 'function' ? match : (s: string) => match.test(s);
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (test(out)) finish();
          else if (closed) finish(new Error(`the CLI exited (${child.exitCode ?? child.signalCode}) before its output matched ${String(match)}\n--- stdout\n${out}\n--- stderr\n${err}`));
        };
        const timer = setTimeout(() => finish(new Error(`no match for ${String(match)} after ${waitMs} ms\n--- stdout\n${out}\n--- stderr\n${err}`)), waitMs);
        const finish = (e?: Error): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (e) reject(e);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGINT') {
      child.kill(signal);
      return exited;
    },
  };
}

/**
 * CLI processes this test file runs at once. Tests may start many runs together (each is a Node
 * start-up, mostly CPU); on CI's 2 cores, with two test files in parallel, more would only queue.
 */
const MAX_RUNNING = 3;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running < MAX_RUNNING) running += 1;
  else await new Promise<void>((r) => waiting.push(r)); // a finishing run hands its slot over
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
}

/**
 * Runs `node bin/sinkops.js ...args` as a child process to completion and captures its exit code
 * and output: for the tests about the process itself (the entry point, signals, SIGKILL). Calls may
 * be started together (they queue for a slot); `ms` counts from the process's own start.
 */
export async function runCliProcess(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const release = await slot();
  let result: CliResult;
  try {
    result = await startCli(args, options).exited;
  } finally {
    release();
  }
  if (result.signal === 'SIGKILL') {
    throw new Error(`sinkops ${args.join(' ')} did not finish in ${options.timeoutMs ?? PROCESS_TIMEOUT_MS} ms\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}
