import { createInterface } from 'node:readline';
import { SinkopsError } from '../errors.js';
import type { Io } from '../io.js';

/**
 * Terraform's confirmation: only the word `yes` proceeds. Off a terminal there is nobody to ask,
 * so the answer is a refusal that names `--yes` (CI must say so explicitly).
 */
export async function confirmApply(io: Io, what: string): Promise<void> {
  if (io.stdin.isTTY !== true) {
    throw new SinkopsError('REFUSED', `apply needs confirmation, and standard input is not a terminal; nothing was applied`, {
      details: ['Review the plan above and re-run with --yes to apply it without a prompt.'],
    });
  }
  // The prompt goes through io.stdout like all human output; readline only reads the answer (it
  // needs a full stream as output, which io.stdout need not be). The terminal echoes the typing.
  io.stdout.write(`\nDo you want to ${what}?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(undefined)); // end of input (Ctrl-D) is no approval
    });
    if (answer?.trim() !== 'yes') throw new SinkopsError('REFUSED', 'apply cancelled; nothing was applied');
  } finally {
    rl.close();
  }
}
