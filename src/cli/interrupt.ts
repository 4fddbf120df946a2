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

/** An apply's interrupt, in its two stages (see `onApplyInterrupt`). */
export interface ApplyInterrupt {
  /** Aborts at a signal before the apply was confirmed: every request, the prompt, the lease. */
  readonly preparing: AbortSignal;
  /** Aborts at the first signal, whenever it comes: no new action starts. */
  readonly signal: AbortSignal;
  readonly received: NodeJS.Signals | undefined;
  /** The apply is confirmed: from now on a signal lets the requests in flight finish. Throws if one came first. */
  startApplying(): void;
  dispose(): void;
}

/**
 * SIGINT and SIGTERM during an apply, of one account or many (Ctrl-C, a cancelled CI job; SPEC §9).
 * Until the apply is confirmed nothing has changed, so a signal cancels everything at once:
 * `preparing` aborts, and with it every request and the prompt. Once confirmed, it only stops new
 * actions from starting: the requests in flight finish (one cut off would leave its outcome
 * unknown), leases are given back, the result says what was and was not done, and the command
 * exits 130.
 */
export function onApplyInterrupt(stderr: OutputStream, source?: SignalSource): ApplyInterrupt {
  const preparing = new AbortController();
  let applying = false;
  const interrupt = onInterrupt({
    command: 'apply',
    stderr,
    ...(source === undefined ? {} : { source }),
    onFirst: (signal) => {
      if (!applying) {
        preparing.abort(new SinkopsError('INTERRUPTED', `sinkops apply was interrupted (${signal}) before it changed anything; nothing was applied.`));
      } else {
        stderr.write(`\nInterrupted (${signal}): letting the requests in flight finish and starting nothing new. Interrupt again to exit at once.\n`);
      }
    },
  });
  return {
    preparing: preparing.signal,
    signal: interrupt.signal,
    get received() {
      return interrupt.received;
    },
    startApplying() {
      applying = true;
      preparing.signal.throwIfAborted();
    },
    dispose: () => interrupt.dispose(),
  };
}
