import { resolve } from 'node:path';
import { loadDesired } from '../desired/load.js';
import { formatDiagnostic, hasErrors, type ConfigValue, type DesiredState } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { Io } from '../io.js';

/**
 * Loads the desired state, printing its diagnostics to stderr; invalid input stops here (exit 1).
 * Its sensitive values join `secrets`, which the CLI scrubs from everything it prints.
 */
export async function loadDesiredOrFail(dir: string, io: Io, secrets: Set<string>, options: { readonly accountRefs?: boolean } = {}): Promise<DesiredState> {
  // accountRefs: a fleet's directory, whose files may use ${account.sid} and ${account.friendly_name}.
  const desired = await loadDesired(resolve(io.cwd, dir), { cwd: io.cwd, env: io.env, ...(options.accountRefs === true ? { accountRefs: true } : {}) });
  rememberSecrets(secrets, desired.sinks);
  for (const d of desired.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
  if (hasErrors(desired.diagnostics)) {
    const count = desired.diagnostics.filter((d) => d.severity === 'error').length;
    throw new SinkopsError('INVALID_INPUT', `${dir}: ${count} error${count === 1 ? '' : 's'} in the sink files; nothing was planned`);
  }
  return desired;
}

/** Adds the resolved sensitive values of these sinks (desired, or what a saved plan would send) to `secrets`. */
export function rememberSecrets(secrets: Set<string>, sinks: readonly { readonly sinkConfiguration: Readonly<Record<string, ConfigValue>> }[]): void {
  for (const sink of sinks) {
    for (const value of Object.values(sink.sinkConfiguration)) {
      if (value.sensitive && value.value !== undefined) secrets.add(String(value.value));
    }
  }
}
