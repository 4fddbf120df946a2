/**
 * Progress for long applies: one line per finished action, `[12/1000] + created orders-webhook (DG…)`.
 * Only on a terminal; in CI logs (not a TTY) the final summary says it all, and a thousand progress
 * lines would bury it. Remote text in a line (Twilio's error messages, SIDs) is escaped by
 * describeResult, the one place that words a result for the terminal.
 */
import type { OutputStream } from '../io.js';
import { describeAnyResult } from './describe.js';
import type { ProgressEvent } from './model.js';

export function formatProgress(event: ProgressEvent): string {
  const width = String(event.total).length;
  return `[${String(event.completed).padStart(width)}/${event.total}] ${describeAnyResult(event.result)}`;
}

/** A progress listener writing to `stream`, or undefined when the stream is not a terminal. */
export function progressReporter(stream: OutputStream): ((event: ProgressEvent) => void) | undefined {
  if (stream.isTTY !== true) return undefined;
  return (event) => {
    stream.write(`${formatProgress(event)}\n`);
  };
}
