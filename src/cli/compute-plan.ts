import { resolve } from 'node:path';
import { loadDesired } from '../desired/load.js';
import { formatDiagnostic, hasErrors, type DesiredState } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { Plan, PlanOptions } from '../plan/model.js';
import { plan } from '../plan/plan.js';
import type { RemoteState } from '../remote/model.js';
import { readRemoteState, withSubscriptions } from '../remote/read.js';
import type { SinksApi } from '../twilio/api.js';
import type { Io } from './io.js';

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

/**
 * The pipeline's middle: read the remote state, plan (pure), and, only when the plan blocks the
 * removal of in-use sinks, ask which subscriptions hold them and plan again so the plan names them.
 */
export async function computePlan(
  desired: DesiredState,
  api: SinksApi,
  options: PlanOptions,
  cached?: RemoteState,
): Promise<{ plan: Plan; remote: RemoteState }> {
  let remote = cached ?? (await readRemoteState(api));
  let result = plan(desired.sinks, remote, options);
  const blocked = result.actions.flatMap((a) => (a.action === 'blocked' ? [a.sid] : []));
  const enriched = await withSubscriptions(api, remote, blocked);
  if (enriched !== remote) {
    remote = enriched;
    result = plan(desired.sinks, remote, options);
  }
  return { plan: result, remote };
}
