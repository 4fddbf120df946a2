// @ts-check
/**
 * One fleet member's critical path, timed in the bench process through the same code `sinkops`
 * runs per account (dist/fleet/*: its own client on a connection pool, its read, the planner and,
 * for an apply, its lease, the executor and the lease's release), without what a CLI run adds once
 * for all accounts (process start, loading the files, listing the fleet through the Accounts API).
 * The fleet benchmarks multiply it by the rounds of accounts to get their ideal.
 */
import { pino } from 'pino';
import { loadDesired } from '../../dist/desired/load.js';
import { stampAccount } from '../../dist/desired/stamp.js';
import { applyAccounts, readyToApply } from '../../dist/fleet/apply-accounts.js';
import { AccountConnector } from '../../dist/fleet/connector.js';
import { planAccounts } from '../../dist/fleet/plan-accounts.js';
import { FIXTURE_ENV } from './fixtures.js';
import { FLEET, FLEET_DIR } from './fleet-fixtures.js';
import { formatMs, median, timed } from './measure.js';

/** What `sinkops apply` uses by default (src/cli/commands/apply.ts, src/plan/safety.ts). */
const PARALLELISM = 10;
const MAX_DELETES = 10;

const silent = pino({ level: 'silent' });

/**
 * @typedef {object} OneAccount
 * @property {string} name  its friendly name
 * @property {string} sid
 * @property {string} token
 */

/**
 * The fleet's desired state, loaded as `sinkops` loads a fleet's directory (account references open).
 * @param {string} root  the repository
 */
export const loadFleetDesired = (root) => loadDesired(`${root}/${FLEET_DIR}`, { cwd: root, env: FIXTURE_ENV, accountRefs: true });

/**
 * @param {OneAccount} account
 * @returns {import('../../dist/accounts/model.js').AccountTarget}
 */
function target(account) {
  const credentials = { username: account.sid, password: account.token, accountSid: account.sid };
  return { name: `${FLEET}/${account.name}`, dir: FLEET_DIR, fleet: FLEET, vars: { sid: account.sid, friendly_name: account.name }, credentials: () => credentials };
}

/**
 * @param {import('../../dist/desired/model.js').DesiredState} desired
 * @param {AccountConnector} connector
 * @returns {import('../../dist/fleet/plan-accounts.js').PlanAccountsOptions}
 */
function planning(desired, connector) {
  return {
    options: { prune: true },
    accountConcurrency: 1,
    parallelism: PARALLELISM,
    env: FIXTURE_ENV,
    desiredFor: (t) => (t.vars === undefined ? desired : stampAccount(desired, t.vars)),
    open: (credentials, onRateLimited) => connector.open(credentials, { onRateLimited }),
    logger: silent,
  };
}

/**
 * Plans each of `accounts` in turn, the first as a warm-up (its time is not counted: it opens the
 * pool's connections, which a run over many accounts shares), and returns the median time of the
 * others and the summary of the last plan.
 * @param {{ emulator: import('./emulator-process.js').BenchEmulator, desired: import('../../dist/desired/model.js').DesiredState, accounts: readonly OneAccount[] }} s
 */
export async function planCriticalPath(s) {
  const connector = new AccountConnector({ baseUrl: s.emulator.url, accountConcurrency: 1, logger: silent });
  const times = [];
  /** @type {Record<string, number> | undefined} */
  let summary;
  try {
    for (const account of s.accounts) {
      const { value: outcomes, ms } = await timed(() => planAccounts([target(account)], planning(s.desired, connector)));
      const outcome = outcomes[0];
      if (outcome?.status !== 'planned') throw new Error(`one-account plan of ${account.name} failed: ${outcome?.status === 'failed' ? outcome.error.message : 'no outcome'}`);
      if (outcome.plan.errors.length > 0) throw new Error(`one-account plan of ${account.name} has errors: ${outcome.plan.errors.map((e) => e.message).join('; ')}`);
      summary = { ...outcome.plan.summary };
      await outcome.session.close();
      times.push(ms);
    }
  } finally {
    await connector.close();
  }
  return { ms: median(times.slice(1)), times, summary };
}

/**
 * Plans and applies each of `accounts` in turn (each must hold changes), as `sinkops apply --yes`
 * does for each account: plan read, lease (list, create, list), the actions, the lease's release.
 * The first is a warm-up, as in planCriticalPath; returns the median time of the others, plan included.
 * @param {{ emulator: import('./emulator-process.js').BenchEmulator, desired: import('../../dist/desired/model.js').DesiredState, accounts: readonly OneAccount[] }} s
 */
export async function applyCriticalPath(s) {
  const connector = new AccountConnector({ baseUrl: s.emulator.url, accountConcurrency: 1, logger: silent });
  const times = [];
  try {
    for (const account of s.accounts) {
      const { value: outcomes, ms } = await timed(async () => {
        const planned = await planAccounts([target(account)], planning(s.desired, connector));
        const { ready, settled } = readyToApply(planned, { maxDeletes: MAX_DELETES, allowEmpty: false, dryRun: false });
        if (ready.length !== 1) throw new Error(`one-account apply of ${account.name}: nothing to apply (${JSON.stringify(settled.map((o) => o.status))})`);
        const lease = { host: 'bench', pid: process.pid, ttlMs: 10 * 60_000, now: () => new Date(), isRunning: () => true };
        try {
          return await applyAccounts(ready, {
            accountConcurrency: 1,
            parallelism: PARALLELISM,
            dryRun: false,
            logger: silent,
            lease,
            signal: new AbortController().signal,
            releaseLate: async () => undefined,
          });
        } finally {
          for (const a of ready) await a.session.close();
        }
      });
      const outcome = outcomes[0];
      if (outcome?.status !== 'applied' || outcome.result.counts.applied === 0 || outcome.result.counts.failed > 0) {
        throw new Error(`one-account apply of ${account.name}: ${JSON.stringify(outcome?.status === 'applied' ? outcome.result.counts : outcome)}`);
      }
      times.push(ms);
    }
  } finally {
    await connector.close();
  }
  return { ms: median(times.slice(1)), times };
}

/**
 * A fast wrong result is no result: the CLI's summary line must be the one the fixture was built for.
 * @param {string} output
 * @param {string} line
 */
export function expectLine(output, line) {
  if (!output.includes(line)) throw new Error(`expected "${line}" in the output, got: ${output.slice(-300)}`);
}

/**
 * The fleet rows' wall-time row: the ideal is one account's whole run (T1: start-up, files, the
 * Accounts list, that account) and then, for every further round of `concurrency` accounts, one
 * account's critical path; the target is within `slack` times it.
 * @param {{ label: string, accounts: number, concurrency: number, t1: number, criticalMs: number, measuredMs: number, slack: number }} r
 */
export function idealWallRow(r) {
  const rounds = Math.ceil(r.accounts / r.concurrency);
  const ideal = r.t1 + (rounds - 1) * r.criticalMs;
  return {
    scenario: `${r.label}: wall, concurrency ${r.concurrency} (ideal = T1 ${formatMs(r.t1)} + (${rounds} - 1) rounds x C ${formatMs(r.criticalMs)})`,
    measured: formatMs(r.measuredMs),
    baseline: `ideal ${formatMs(ideal)}`,
    target: `< ${formatMs(ideal * r.slack)} (${r.slack}x ideal)`,
    pass: r.measuredMs < ideal * r.slack,
  };
}
