/**
 * SIGINT and SIGTERM while a command runs that must not stop halfway (apply, SPEC §9). The first
 * signal does not end the process: it aborts `signal`, and the command stops where that is safe —
 * before it changed anything, at once; while it applies, once the requests in flight have finished
 * (a request cut off mid-way leaves its outcome unknown, and a replacement half-done). A second
 * signal ends the process at once with 130: whoever sent it chose not to wait, and every step of an
 * apply is safe to repeat after a crash (src/apply/run-action.ts).
 *
 * CI systems cancel a job with SIGINT or SIGTERM and kill it a few seconds later; a terminal sends
 * SIGINT on Ctrl-C. The handlers are removed when the command ends (`dispose`): commands run many
 * times in one process in tests, and a handler left behind would swallow the next Ctrl-C.
 */
import { SinkopsError } from '../errors.js';
import type { OutputStream } from '../io.js';
import { EXIT } from './command.js';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Where signals come from: the process, or an EventEmitter in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface InterruptOptions {
  /** `apply`: for the messages. */
  readonly command: string;
  /** Where the line about a second signal goes. */
  readonly stderr: OutputStream;
  /** Called once, at the first signal, after `signal` aborted: the command says what happens now. */
  readonly onFirst?: (signal: NodeJS.Signals) => void;
  /** Default: the process. */
  readonly source?: SignalSource;
  /** Ends the process at the second signal. Default: `process.exit`. */
  readonly exit?: (code: number) => void;
}

export interface Interrupt {
  /** Aborts at the first SIGINT or SIGTERM, with an INTERRUPTED error as its reason. */
  readonly signal: AbortSignal;
  /** The first signal received, once one was. */
  readonly received: NodeJS.Signals | undefined;
  /** Removes the handlers: the command ended, and a signal from now on does what it does by default. */
  dispose(): void;
}

/** Takes SIGINT and SIGTERM over for the command's run; call `dispose` when it ends. */
export function onInterrupt(options: InterruptOptions): Interrupt {
  const source = options.source ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (received === undefined) {
      received = signal;
      controller.abort(new SinkopsError('INTERRUPTED', `sinkops ${options.command} was interrupted (${signal})`));
      options.onFirst?.(signal);
      return;
    }
    options.stderr.write(
      `\nInterrupted again (${signal}): exiting now, without waiting for the requests in flight. Run sinkops ${options.command} again: it starts from the account as it is.\n`,
    );
    exit(EXIT.INTERRUPTED);
  };
  for (const s of SIGNALS) source.on(s, handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const s of SIGNALS) source.off(s, handler);
    },
  };
}
