import type { ApplyResult } from '../apply/model.js';
import { EXIT } from './command.js';

/**
 * SPEC §5: 0 when everything went through, 1 when any action failed (or was skipped because the
 * apply was interrupted: the account is not yet what the repository says), 3 when some actions
 * were blocked and none failed.
 */
export function applyExitCode(result: ApplyResult): number {
  if (result.counts.failed > 0 || result.counts.skipped > 0) return EXIT.ERROR;
  if (result.counts.blocked > 0) return EXIT.BLOCKED;
  return EXIT.OK;
}
