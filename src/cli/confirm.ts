import { createInterface } from 'node:readline/promises';
import { SinkopsError } from '../errors.js';
import type { Io } from './io.js';

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
  const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream, terminal: true });
  try {
    const answer = await rl.question(`\nDo you want to ${what}?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
    if (answer.trim() !== 'yes') throw new SinkopsError('REFUSED', 'apply cancelled; nothing was applied');
  } finally {
    rl.close();
  }
}
