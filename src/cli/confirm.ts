import { createInterface } from 'node:readline';
import { SinkopsError } from '../errors.js';
import type { Io } from '../io.js';

/**
 * Terraform's confirmation: only the word `yes` proceeds. Off a terminal there is nobody to ask,
 * so the answer is a refusal that names `--yes` (CI must say so explicitly). When `signal` aborts
 * (Ctrl-C, or the deadline: the wait at the prompt counts), the question ends with its reason.
 */
export async function confirmApply(io: Io, what: string, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  if (io.stdin.isTTY !== true) {
    throw new SinkopsError('REFUSED', `apply needs confirmation, and standard input is not a terminal; nothing was applied`, {
      details: ['Review the plan above and re-run with --yes to apply it without a prompt.'],
    });
  }
  // The prompt goes through io.stdout like all human output; readline only reads the answer (it
  // needs a full stream as output, which io.stdout need not be). The terminal echoes the typing.
  io.stdout.write(`\nDo you want to ${what}?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  const rl = createInterface({ input: io.stdin, terminal: false });
  let onAbort: (() => void) | undefined;
  try {
    const answer = await new Promise<string | undefined>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(undefined)); // end of input (Ctrl-D) is no approval
      onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (answer?.trim() !== 'yes') throw new SinkopsError('REFUSED', 'apply cancelled; nothing was applied');
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    rl.close();
  }
}
