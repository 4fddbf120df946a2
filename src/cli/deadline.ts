/**
 * `--deadline SECONDS`, shared by every command that talks to an API: one limit on the whole
 * command, retries and their waits included. When it passes, its signal aborts: every request in
 * flight is cancelled, no retry or backoff wait goes on, and the clients fail with the DEADLINE
 * error made here, which names the deadline and how to raise it. One definition, so the commands
 * cannot drift apart.
 */
import { SinkopsError } from '../errors.js';
import type { Io } from '../io.js';
import { stringOption, type OptionSpec, type OptionValues } from './command.js';

export const DEFAULT_DEADLINE_SECONDS = 1800;
/** A week. Longer is a mistake, and timers cannot wait more than about 24 days anyway. */
const MAX_DEADLINE_SECONDS = 7 * 24 * 3600;
export const DEADLINE_VARIABLE = 'SINKOPS_DEADLINE';

export const DEADLINE_OPTIONS: OptionSpec = {
  deadline: { type: 'string' },
};

export const DEADLINE_HELP: Readonly<Record<string, string>> = {
  '--deadline SECONDS': `give up after this long, retries included, cancelling requests in flight (default ${DEFAULT_DEADLINE_SECONDS}, or ${DEADLINE_VARIABLE})`,
};

/** The deadline in seconds: `--deadline`, else SINKOPS_DEADLINE (empty counts as unset), else the default. */
export function deadlineSeconds(values: OptionValues, env: Io['env']): number {
  const flag = stringOption(values, 'deadline');
  const fromEnv = env[DEADLINE_VARIABLE];
  const [raw, source] = flag !== undefined ? [flag, '--deadline'] : fromEnv !== undefined && fromEnv.trim() !== '' ? [fromEnv, DEADLINE_VARIABLE] : [undefined, ''];
  if (raw === undefined) return DEFAULT_DEADLINE_SECONDS;
  const seconds = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(seconds > 0 && seconds <= MAX_DEADLINE_SECONDS)) {
    throw new SinkopsError('USAGE', `${source} must be a number of seconds greater than 0 and at most ${MAX_DEADLINE_SECONDS} (a week), not '${raw}'`);
  }
  return seconds;
}

export interface Deadline {
  /** Aborts when the deadline passes, with the DEADLINE error as its reason. */
  readonly signal: AbortSignal;
  readonly seconds: number;
  /** Ends the countdown (the command finished, or waits for nothing more that could hang). */
  stop(): void;
}

/** Starts the countdown of `sinkops <command>`; call `stop` when the command ends. */
export function startDeadline(command: string, values: OptionValues, env: Io['env']): Deadline {
  const seconds = deadlineSeconds(values, env);
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new SinkopsError('DEADLINE', `sinkops ${command} did not finish within its deadline of ${seconds} s; the requests in flight were cancelled.`, {
        details: [`Raise the deadline with --deadline SECONDS or ${DEADLINE_VARIABLE} (default ${DEFAULT_DEADLINE_SECONDS}).`],
      }),
    );
  }, seconds * 1000);
  return { signal: controller.signal, seconds, stop: () => clearTimeout(timer) };
}

/** The DEADLINE error when the deadline has passed; for work the clients do not see (an apply's unstarted actions). */
export function throwIfPassed(deadline: Deadline): void {
  if (deadline.signal.aborted) throw deadline.signal.reason as SinkopsError;
}
