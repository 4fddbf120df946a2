/**
 * sinkops as a library: the one public surface (package.json `main`, `types` and `exports`).
 * The pipeline in its order — load the desired state, read the remote state, plan (pure), render
 * or apply — plus the Twilio client, the emulator and the CLI itself. Anything not exported here is
 * internal and may change in any release.
 *
 *   const desired = await loadDesired('sinks', { cwd: process.cwd(), env: process.env });
 *   const client = new TwilioClient(configFromEnv(process.env));
 *   const { plan } = await computePlan(desired, client, { prune: true });
 *   process.stdout.write(renderPlan(plan, 'text', { color: false, verbose: false }));
 *   await client.close();
 */

// Errors
export { SinkopsError, isSinkopsError, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';

// 1. Desired state
export { loadDesired, type LoadOptions } from './desired/load.js';
export {
  SINK_TYPES,
  SECRET_CONFIG_KEYS,
  formatDiagnostic,
  hasErrors,
  type ConfigValue,
  type DesiredSink,
  type DesiredState,
  type Diagnostic,
  type DiagnosticCode,
  type SinkType,
  type SourceLocation,
} from './desired/model.js';

// 2. Remote state, and the seam every client implements
export type { CreateSinkInput, ListSinksOptions, SinksApi } from './remote/api.js';
export type { RemoteSink, RemoteState, SinkStatus, Subscription } from './remote/model.js';
export { readRemoteState, type ReadOptions } from './remote/read.js';

// 3. Plan (pure)
export { plan } from './plan/plan.js';
export { ACTION_KINDS, type ActionKind } from './plan/action.js';
export type {
  ActionReason,
  FieldChange,
  Plan,
  PlanError,
  PlanErrorCode,
  PlannedAction,
  PlanOptions,
  PlanSummary,
  PlanWarning,
  PlanWarningCode,
  SinkCount,
  SinkSpec,
} from './plan/model.js';
export { DEFAULT_SINK_LIMIT } from './plan/sink-limit.js';
export { assertSafe, countDeletes, hasChanges, DEFAULT_MAX_DELETES, type SafetyLimits } from './plan/safety.js';
export { planHash } from './plan/plan-hash.js';
export { computePlan, computeSavedPlan } from './pipeline/compute-plan.js';

// Saved plans and their JSON form
export { decodePlan, encodePlan, readPlanFile } from './plan/codec.js';
export { PLAN_FORMAT_VERSION, type JsonPlan } from './plan/plan-json.js';
export {
  assertCurrent,
  planFromSaved,
  resolveSecrets,
  toSaved,
  type SavedAction,
  type SavedPlan,
  type SinkRef,
} from './plan/saved-plan.js';

// 4. Render
export { RENDER_FORMATS, RENDERERS, renderPlan, type RenderFormat, type RenderOptions, type Renderers } from './render/index.js';

// 4. Apply
export {
  AdaptiveLimiter,
  execute,
  renderApplyResult,
  type ActionResult,
  type ApplyOptions,
  type ApplyResult,
  type ProgressEvent,
  type ResultStatus,
} from './apply/index.js';

// The Twilio client
export { TwilioClient, type TwilioClientOptions } from './twilio/client.js';
export { configFromEnv, type TwilioConfig } from './twilio/config.js';
export { TwilioApiError } from './twilio/errors.js';

// The emulator
export {
  startEmulator,
  loadSeed,
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  type AccountStatus,
  type EmulatorAccount,
  type EmulatorOptions,
  type EmulatorSeed,
  type NewEmulatorAccount,
  type RunningEmulator,
  type SeedAccount,
} from './emulator/index.js';

// Many accounts (sinkops.yaml)
export { loadRepoConfig } from './accounts/config.js';
export type { AccountTarget, FleetSpec, NamedAccountSpec, RepoConfig } from './accounts/model.js';
export { accountsPlanHash } from './plan/plan-hash.js';
export { renderAccountsPlan, type AccountPlanView, type AccountsPlanView } from './render/accounts.js';

// The command line, in-process
export { run } from './cli/main.js';
export type { Io, OutputStream } from './io.js';
export type { Logger } from './log/logger.js';
