/**
 * What `plan`, `apply` and `accounts` share in a repository with `sinkops.yaml` (SPEC §14): the
 * options, the sink directories loaded once each (before any request, so bad input changes
 * nothing), the accounts expanded (fleets listed through the Accounts API) and narrowed
 * (`--account`), and one connection pool for all of them, or the local account's emulator.
 */
import type { AccountTarget, RepoConfig } from '../accounts/model.js';
import { expandTargets } from '../accounts/expand.js';
import { fleetsNeeded, selectTargets } from '../accounts/select.js';
import { AccountConnector } from '../fleet/connector.js';
import { openLocalAccounts } from '../fleet/local.js';
import type { AccountPlanOutcome, FailedAccount, PlannedAccount } from '../fleet/model.js';
import { planAccounts } from '../fleet/plan-accounts.js';
import { compareText } from '../plan/order.js';
import type { Lease } from '../apply/lease.js';
import { stampAccount } from '../desired/stamp.js';
import { formatDiagnostic, hasErrors, type DesiredState } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { PlanOptions } from '../plan/model.js';
import { AccountsClient } from '../twilio/accounts-api.js';
import { apiBaseUrlFromEnv, eventsBaseUrlFromEnv } from '../twilio/config.js';
import { flag, type CommandContext } from './command.js';
import { loadDesiredOrFail, rememberSecrets } from './load-desired.js';
import { accountConcurrency, accountPatterns, assertReplaceable, planOptionsFrom } from './planning-options.js';

export interface AccountsRun {
  /** The selected accounts that could be listed, by name. */
  readonly targets: readonly AccountTarget[];
  /** Fleets whose subaccounts could not be listed (their parent's credentials, an outage). */
  readonly failed: readonly FailedAccount[];
  readonly accountConcurrency: number;
  /** For humans: the API origin, or the local account's state file. */
  readonly target: string;
  readonly local: boolean;
  /** Every selected account planned (or failed: a fleet that could not be listed too), by name. */
  plan(options: PlanOptions): Promise<AccountPlanOutcome[]>;
  /** Gives a lease back through a client of its own once the run's clients were cancelled. */
  releaseLate(account: PlannedAccount, lease: Lease): Promise<void>;
  close(): Promise<void>;
}

interface OpenOptions {
  readonly signal: AbortSignal;
  readonly purpose: 'plan' | 'apply' | 'list';
  /** Actions in flight per account in an apply. */
  readonly parallelism?: number;
}

/** How long giving a lease back may take once the run's own deadline has passed. */
const RELEASE_TIMEOUT_MS = 15_000;

/** The sink directories of sinkops.yaml, each loaded once; a fleet's may hold `${account.…}`. */
async function loadDirectories(ctx: CommandContext, config: RepoConfig): Promise<Map<string, DesiredState>> {
  const dirs = new Map<string, boolean>();
  for (const account of config.accounts) dirs.set(account.dir, dirs.get(account.dir) ?? false);
  for (const fleet of config.fleets) dirs.set(fleet.dir, true);
  const loaded = new Map<string, DesiredState>();
  for (const [dir, accountRefs] of dirs) {
    const desired = await loadDesiredOrFail(dir, ctx.io, ctx.secrets, { accountRefs });
    if (accountRefs) assertNoPins(dir, desired);
    loaded.set(dir, desired);
  }
  return loaded;
}

/**
 * A `sid:` pin names one sink (or subscription) of one account; a fleet's files are stamped onto
 * every member, where that SID cannot exist, or would be adopted in the wrong account.
 */
function assertNoPins(dir: string, desired: DesiredState): void {
  const pins = desired.sinks.flatMap((sink) => [
    ...(sink.sid === undefined ? [] : [{ what: `sink ${sink.name}`, at: sink.source }]),
    ...sink.subscriptions.flatMap((sub) => (sub.sid === undefined ? [] : [{ what: `subscription ${sink.name}#${sub.name}`, at: sub.source }])),
  ]);
  if (pins.length === 0) return;
  throw new SinkopsError('INVALID_INPUT', `${dir}: a fleet's sink files cannot pin a sid (they are made in every member); nothing was planned`, {
    details: pins.map((p) => `${p.at.file}:${p.at.line}:${p.at.column}: ${p.what} is pinned by sid`),
  });
}

/** A fleet member's desired state: its directory's, stamped with its SID and friendly name. */
function stamped(desired: DesiredState, target: AccountTarget, secrets: Set<string>): DesiredState {
  if (target.vars === undefined) return desired;
  const state = stampAccount(desired, target.vars);
  // Stamping can make a description or URL invalid (a long friendly name): that member fails alone.
  if (hasErrors(state.diagnostics)) {
    throw new SinkopsError('INVALID_INPUT', `its sinks are not valid once stamped with its SID and friendly name; nothing was planned for it`, {
      details: state.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
    });
  }
  // The environment's values in a fleet's sinks are known only once stamped.
  rememberSecrets(secrets, state.sinks);
  return state;
}

export async function openAccounts(ctx: CommandContext, config: RepoConfig, o: OpenOptions): Promise<AccountsRun> {
  const { values, io, logger, secrets } = ctx;
  if (values['dir'] !== undefined) {
    throw new SinkopsError('USAGE', `--dir is for a repository of one account: ${config.file} names each account's directory`);
  }
  const patterns = accountPatterns(values);
  const concurrency = accountConcurrency(values);
  const directories = o.purpose === 'list' ? new Map<string, DesiredState>() : await loadDirectories(ctx, config);
  // `--replace NAME` must name a sink of some account's folder (a typo would replace nothing).
  if (o.purpose !== 'list') {
    const sinks = [...directories.values()].flatMap((d) => d.sinks);
    assertReplaceable(planOptionsFrom(values), { sinks, diagnostics: [], files: [] }, `the folders of ${config.file}`);
  }
  const local = flag(values, 'local') ? await openLocalAccounts(io.cwd, logger, config) : undefined;
  try {
    const env = { ...io.env, ...local?.env };
    const eventsBase = local?.baseUrl ?? eventsBaseUrlFromEnv(io.env);
    const apiBase = local?.baseUrl ?? apiBaseUrlFromEnv(io.env);
    const expanded = await expandTargets(config, env, {
      fleets: fleetsNeeded(patterns, config),
      listAccounts: async (fleet, credentials) => {
        const client = new AccountsClient({ baseUrl: apiBase, ...credentials }, { logger, signal: o.signal });
        try {
          return await client.listAccounts(fleet.subaccounts.status === undefined ? {} : { status: fleet.subaccounts.status });
        } finally {
          await client.close();
        }
      },
    });
    const targets = selectTargets(expanded.targets, patterns, { fleets: config.fleets.map((f) => f.name) });
    // Only the fleets the patterns can reach were listed, so their failures are all this run's.
    const failed = expanded.failures;
    // Their tokens came from the Accounts API: scrubbed from everything printed, like the environment's.
    for (const target of targets) {
      if (target.fleet !== undefined) secrets.add(target.credentials(env).password);
    }
    const connector = new AccountConnector({ baseUrl: eventsBase, accountConcurrency: concurrency, logger, signal: o.signal });
    const desiredFor = (target: AccountTarget): DesiredState => {
      const desired = directories.get(target.dir);
      // Every directory of sinkops.yaml was loaded above; a target from elsewhere is a bug.
      if (desired === undefined) throw new Error(`${target.dir} was not loaded`);
      return stamped(desired, target, secrets);
    };
    const runFailures: FailedAccount[] = failed.map((f) => ({ status: 'failed', name: f.name, error: f.error }));
    return {
      targets,
      failed: runFailures,
      accountConcurrency: concurrency,
      target: local === undefined ? eventsBase : `local accounts (${local.displayPath})`,
      local: local !== undefined,
      plan: async (options) => {
        const planned = await planAccounts(targets, {
          options,
          accountConcurrency: concurrency,
          parallelism: o.parallelism ?? 10,
          env,
          desiredFor,
          open: (credentials, onRateLimited) => connector.open(credentials, { onRateLimited }),
          logger,
        });
        return [...runFailures, ...planned].sort((a, b) => compareText(a.name, b.name));
      },
      releaseLate: async (account, lease) => {
        const spare = connector.open(account.target.credentials(env), { signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS) });
        try {
          await lease.release(spare);
        } finally {
          await spare.close();
        }
      },
      close: async () => {
        await connector.close();
        await local?.close();
      },
    };
  } catch (e) {
    await local?.close();
    throw e;
  }
}
