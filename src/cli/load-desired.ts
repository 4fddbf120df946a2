import { resolve } from 'node:path';
import { loadDesired } from '../desired/load.js';
import { formatDiagnostic, hasErrors, type DesiredState } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { Io } from '../io.js';

/** Loads the desired state, printing its diagnostics to stderr; invalid input stops here (exit 1). */
export async function loadDesiredOrFail(dir: string, io: Io): Promise<DesiredState> {
  const desired = await loadDesired(resolve(io.cwd, dir), { cwd: io.cwd, env: io.env });
  for (const d of desired.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(desired.diagnostics)) {
    const count = desired.diagnostics.filter((d) => d.severity === 'error').length;
    throw new SinkopsError('INVALID_INPUT', `${dir}: ${count} error${count === 1 ? '' : 's'} in the sink files; nothing was planned`);
  }
  return desired;
}
