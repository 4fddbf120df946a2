// @ts-check
/**
 * SPEC §10 "Fleet plan": `sinkops plan` (the real CLI, in a child process) over a fleet of 1,000
 * subaccounts × 100 sinks, at 50 ms latency on every request. Every member holds the fleet's 100
 * sinks (stamped with its SID and friendly name); one member in ten has one sink with an old
 * description, so the plan is 100 accounts with one update each and 900 without changes.
 * - Requests: at most 3 per account (from the emulator's request log, which names each request's
 *   account), plus the Accounts list pages, counted apart.
 * - Wall time at the default --account-concurrency (16), spawn to exit, against the ideal
 *   T1 + (rounds - 1) × C, where rounds = ceil(1000 / 16), T1 is the wall time of the same CLI plan
 *   of one member (`--account fleet/m0500`: process start, the fleet's files, the Accounts list and
 *   that member, median of 3) and C one member's critical path (its client, read and plan through
 *   dist/fleet, timed in the bench process on a warm connection pool, as a run's accounts share
 *   one: median of 5 members after one warm-up). Target: within 1.5×.
 * - Against one account at a time (`--account-concurrency 1`), run on 100 members
 *   (`--account 'fleet/m00*'`) and extrapolated to 1,000 by its per-account time,
 *   (T100 - T1) / 99 (so the process start and the Accounts list count once, not ten times).
 *   Target: at least 10× faster.
 * - Peak RSS of the sinkops process (rss-probe) < 512 MB; the emulator runs in a process of its own.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_ACCOUNT_SID } from '../../dist/emulator/index.js';
import { startEmulatorProcess } from '../lib/emulator-process.js';
import { FLEET, fleetAccounts, fleetEnv, memberAccount, memberName, memberSid, writeFleetRepo } from '../lib/fleet-fixtures.js';
import { formatMb, formatMs, median } from '../lib/measure.js';
import { expectLine, idealWallRow, loadFleetDesired, planCriticalPath } from '../lib/one-account.js';
import { isAccountsList, perAccount } from '../lib/request-counts.js';
import { runSinkops } from '../lib/sinkops-process.js';

const MEMBERS = 1000;
const SINKS = 100;
const CONCURRENCY = 16;
const SEQUENTIAL_SAMPLE = 100;
const SLACK = 1.5;
const SPEEDUP = 10;
const MAX_REQUESTS = 3;
const RSS_LIMIT = 512 * 1024 * 1024;
/** Whether member k's plan holds a change (one update). */
const changed = (/** @type {number} */ k) => k % 10 === 0;

/**
 * @param {{ cwd: string, latencyMs: number, progress: (message: string) => void }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function fleetPlan(s) {
  const root = join(s.cwd, 'fleet-plan');
  await mkdir(root, { recursive: true });
  await writeFleetRepo(root, { sinks: SINKS });
  const fleet = fleetAccounts({ members: MEMBERS, sinks: SINKS, changed, parentSid: EMULATOR_ACCOUNT_SID });
  s.progress(`fleet plan: starting an emulator with ${MEMBERS} accounts x ${SINKS} sinks`);
  const emulator = await startEmulatorProcess({ seed: { sinks: [], subscriptions: [], accounts: fleet.accounts }, faults: { latencyMs: s.latencyMs } });
  try {
    const env = fleetEnv(emulator);
    const members = new Set(Array.from({ length: MEMBERS }, (_, k) => memberSid(k)));

    s.progress('fleet plan: one account (in process, then the CLI)');
    const desired = await loadFleetDesired(root);
    const critical = await planCriticalPath({ emulator, desired, accounts: [99, 100, 101, 102, 103, 104].map(memberAccount) });
    const single = [];
    for (let run = 0; run < 3; run += 1) single.push(await runSinkops(['plan', '--account', `${FLEET}/${memberName(500)}`], { cwd: root, env }));
    for (const r of single) expectLine(r.stdout, '1 account: 1 with changes, 0 without.');
    const t1 = median(single.map((r) => r.ms));

    s.progress(`fleet plan: ${MEMBERS} accounts, --account-concurrency ${CONCURRENCY} (the default)`);
    await emulator.clearRequests();
    const all = await runSinkops(['plan'], { cwd: root, env });
    const log = await emulator.requests();
    expectLine(all.stdout, `${MEMBERS} accounts: ${fleet.changed} with changes, ${MEMBERS - fleet.changed} without.`);
    const counts = perAccount(log, members, isAccountsList);
    if (counts.reached !== MEMBERS) throw new Error(`${counts.reached} of ${MEMBERS} accounts were read`);
    const listPages = log.filter(isAccountsList).length;

    s.progress(`fleet plan: ${SEQUENTIAL_SAMPLE} accounts one at a time (--account-concurrency 1)`);
    await emulator.clearRequests();
    const sequential = await runSinkops(['plan', '--account-concurrency', '1', '--account', `${FLEET}/m00*`], { cwd: root, env });
    const sampleChanged = Array.from({ length: SEQUENTIAL_SAMPLE }, (_, k) => k).filter(changed).length;
    expectLine(sequential.stdout, `${SEQUENTIAL_SAMPLE} accounts: ${sampleChanged} with changes, ${SEQUENTIAL_SAMPLE - sampleChanged} without.`);
    const sequentialCounts = perAccount(await emulator.requests(), members, isAccountsList);

    const perAccountSequential = (sequential.ms - t1) / (SEQUENTIAL_SAMPLE - 1);
    const baseline = t1 + (MEMBERS - 1) * perAccountSequential;
    const label = `fleet plan ${MEMBERS.toLocaleString('en')} accounts x ${SINKS} sinks (${fleet.changed} with an update)`;
    return [
      {
        scenario: `${label}: requests per account`,
        measured: `max ${counts.max} (${counts.total.toLocaleString('en')} in all) + ${listPages} Accounts list pages`,
        baseline: `max ${sequentialCounts.max} (concurrency 1)`,
        target: `<= ${MAX_REQUESTS} + list pages`,
        pass: counts.max <= MAX_REQUESTS,
      },
      idealWallRow({ label, accounts: MEMBERS, concurrency: CONCURRENCY, t1, criticalMs: critical.ms, measuredMs: all.ms, slack: SLACK }),
      {
        scenario: `${label}: vs one account at a time`,
        measured: `${formatMs(all.ms)} (${(baseline / all.ms).toFixed(1)}x faster)`,
        baseline: `${formatMs(baseline)} (concurrency 1 on ${SEQUENTIAL_SAMPLE} accounts: ${formatMs(sequential.ms)}; T1 + ${MEMBERS - 1} x ${formatMs(perAccountSequential)})`,
        target: `>= ${SPEEDUP}x faster (< ${formatMs(baseline / SPEEDUP)})`,
        pass: all.ms * SPEEDUP <= baseline,
      },
      {
        scenario: `${label}: peak RSS of sinkops (child)`,
        measured: formatMb(all.maxRss),
        baseline: `${formatMb(Math.max(...single.map((r) => r.maxRss)))} (one account)`,
        target: `< ${formatMb(RSS_LIMIT)}`,
        pass: all.maxRss < RSS_LIMIT,
      },
    ];
  } finally {
    await emulator.close();
  }
}

