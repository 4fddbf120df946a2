/**
 * Progress for long applies (SPEC §9). On a terminal, one line per finished action,
 * `[12/1000] + created orders-webhook (DG…)`. Elsewhere — a CI log — a line per action would bury
 * the summary under a thousand lines, and no line at all leaves a long apply looking hung: a count
 * at most every few seconds, `[120/1000] 118 applied, 2 failed`, and none for an apply that ends
 * sooner (the summary follows). Remote text in a line (Twilio's error messages, SIDs) is escaped by
 * describeResult, the one place that words a result for the terminal.
 */
import type { OutputStream } from '../io.js';
import { describeAnyResult } from './describe.js';
import { RESULT_STATUSES, type ProgressEvent, type ResultStatus } from './model.js';

/** Off a terminal, the least time between two progress lines. */
export const PROGRESS_INTERVAL_MS = 5000;

export interface ProgressOptions {
  /** Off a terminal, the least time between two lines (default PROGRESS_INTERVAL_MS). */
  readonly intervalMs?: number;
  /** Milliseconds on a monotonic clock (default performance.now); tests pass their own. */
  readonly now?: () => number;
}

function counter(event: ProgressEvent): string {
  const width = String(event.total).length;
  return `[${String(event.completed).padStart(width)}/${event.total}]`;
}

export function formatProgress(event: ProgressEvent): string {
  return `${counter(event)} ${describeAnyResult(event.result)}`;
}

/** `[120/1000] 118 applied, 2 failed`: the statuses so far, in the summary's order, those at 0 left out. */
export function formatProgressCount(event: ProgressEvent, counts: Readonly<Record<ResultStatus, number>>): string {
  const parts = RESULT_STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `${counter(event)} ${parts.join(', ')}`;
}

/**
 * A progress listener writing to `stream`: a line per action on a terminal, otherwise a count at
 * most every `intervalMs` from the moment it is made (so make it when execution starts).
 */
export function progressReporter(stream: OutputStream, options: ProgressOptions = {}): (event: ProgressEvent) => void {
  if (stream.isTTY === true) {
    return (event) => {
      stream.write(`${formatProgress(event)}\n`);
    };
  }
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? PROGRESS_INTERVAL_MS;
  const counts = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;
  let last = now();
  return (event) => {
    counts[event.result.status] += 1;
    // The last action's line would only repeat the summary printed next.
    if (event.completed >= event.total || now() - last < intervalMs) return;
    last = now();
    stream.write(`${formatProgressCount(event, counts)}\n`);
  };
}
