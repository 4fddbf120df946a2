// @ts-check
/**
 * SPEC §10 "Fleet plan" with subscriptions: `sinkops plan` (the real CLI, in a child process) over
 * a fleet of 1,000 subaccounts × 20 sinks × one subscription of 3 event types each (real types of
 * four schemas), at 50 ms latency on every request. One member in ten has sink 0 with an old
 * description and its subscription a schema version behind (a sink update and a subscription
 * update); the others have no changes.
 * - Requests per account: at most 3 + 20 (its sinks, its subscriptions, the catalogue, one
 *   SubscribedEvents list per managed subscription; Twilio has no bulk read), the shared reads left
 *   out: the event-type catalogue (`GET /v1/Types`) and schema versions (`GET /v1/Schemas/{id}/Versions`)
 *   must be read once per plan, as many times as the plan of one account reads them, not once per
 *   account; the log names the account whose credentials each request carried.
 * - Wall time at the default --account-concurrency (16) against the ideal T1 + (rounds - 1) × C,
 *   as in fleet-plan.js: T1 the CLI plan of one member (median of 3), C one member's critical path
 *   (sinks, subscriptions and catalogue at once, then its 20 subscriptions' events, 16 at a time,
 *   and the schemas' versions), timed in process on a warm pool, median of 5. Target: within 1.5×.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_ACCOUNT_SID } from '../../dist/emulator/index.js';
import { startEmulatorProcess } from '../lib/emulator-process.js';
import { FLEET, fleetAccounts, fleetEnv, memberAccount, memberName, memberSid, SUBSCRIPTION_SCHEMAS, writeFleetRepo } from '../lib/fleet-fixtures.js';
import { median } from '../lib/measure.js';
import { expectLine, idealWallRow, loadFleetDesired, planCriticalPath } from '../lib/one-account.js';
import { isAccountsList, isCatalogue, perAccount } from '../lib/request-counts.js';
import { runSinkops } from '../lib/sinkops-process.js';

const MEMBERS = 1000;
const SINKS = 20;
const CONCURRENCY = 16;
const SLACK = 1.5;
/** Sinks, subscriptions, the catalogue, and one SubscribedEvents list per subscription. */
const MAX_REQUESTS = 3 + SINKS;
const changed = (/** @type {number} */ k) => k % 10 === 0;

/**
 * @param {{ cwd: string, latencyMs: number, progress: (message: string) => void }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function fleetSubscriptions(s) {
  const root = join(s.cwd, 'fleet-subscriptions');
  await mkdir(root, { recursive: true });
  await writeFleetRepo(root, { sinks: SINKS, subscriptions: true });
  const fleet = fleetAccounts({ members: MEMBERS, sinks: SINKS, subscriptions: true, changed, parentSid: EMULATOR_ACCOUNT_SID });
  s.progress(`fleet subscriptions: starting an emulator with ${MEMBERS} accounts x ${SINKS} sinks x 1 subscription`);
  const emulator = await startEmulatorProcess({ seed: { sinks: [], subscriptions: [], accounts: fleet.accounts }, faults: { latencyMs: s.latencyMs } });
  try {
    const env = fleetEnv(emulator);
    const members = new Set(Array.from({ length: MEMBERS }, (_, k) => memberSid(k)));
    /** Requests made once for the whole run: the Accounts list and the catalogue. */
    const shared = (/** @type {import('../lib/request-counts.js').LoggedRequest} */ r) => isAccountsList(r) || isCatalogue(r);

    s.progress('fleet subscriptions: one account (in process, then the CLI)');
    const desired = await loadFleetDesired(root);
    const critical = await planCriticalPath({ emulator, desired, accounts: [99, 100, 101, 102, 103, 104].map(memberAccount) });
    await emulator.clearRequests();
    const single = [];
    for (let run = 0; run < 3; run += 1) single.push(await runSinkops(['plan', '--account', `${FLEET}/${memberName(500)}`], { cwd: root, env }));
    for (const r of single) expectLine(r.stdout, '1 account: 1 with changes, 0 without.');
    // What the plan of one account reads of the catalogue (three runs: a third of it each).
    const oneCatalogue = (await emulator.requests()).filter(isCatalogue).length / single.length;
    const t1 = median(single.map((r) => r.ms));

    s.progress(`fleet subscriptions: ${MEMBERS} accounts, --account-concurrency ${CONCURRENCY} (the default)`);
    await emulator.clearRequests();
    const all = await runSinkops(['plan'], { cwd: root, env });
    const log = await emulator.requests();
    expectLine(all.stdout, `${MEMBERS} accounts: ${fleet.changed} with changes, ${MEMBERS - fleet.changed} without.`);
    expectLine(all.stdout, `Subscriptions (all accounts): 0 to create, ${fleet.changed} to update`);
    const counts = perAccount(log, members, shared);
    if (counts.reached !== MEMBERS) throw new Error(`${counts.reached} of ${MEMBERS} accounts were read`);
    const types = log.filter((r) => r.path.startsWith('/v1/Types')).length;
    const schemas = log.filter((r) => r.path.startsWith('/v1/Schemas/')).length;
    const catalogueAccounts = new Set(log.filter(isCatalogue).map((r) => r.account)).size;

    const label = `fleet plan ${MEMBERS.toLocaleString('en')} accounts x ${SINKS} sinks x 1 subscription of 3 types (${fleet.changed} with updates)`;
    return [
      {
        scenario: `${label}: requests per account (catalogue apart)`,
        measured: `max ${counts.max}, min ${counts.min} (${counts.total.toLocaleString('en')} in all)`,
        baseline: `-`,
        target: `<= ${MAX_REQUESTS} (3 + ${SINKS})`,
        pass: counts.max <= MAX_REQUESTS,
      },
      {
        scenario: `${label}: catalogue reads (GET /v1/Types + /v1/Schemas/{id}/Versions; ${SUBSCRIPTION_SCHEMAS} schemas used)`,
        measured: `${types} + ${schemas} (through ${catalogueAccounts} account${catalogueAccounts === 1 ? '' : 's'})`,
        baseline: `${oneCatalogue} per account read (x${MEMBERS.toLocaleString('en')} = ${(oneCatalogue * MEMBERS).toLocaleString('en')})`,
        target: `once per plan: <= ${oneCatalogue}`,
        pass: types + schemas <= oneCatalogue,
      },
      idealWallRow({ label, accounts: MEMBERS, concurrency: CONCURRENCY, t1, criticalMs: critical.ms, measuredMs: all.ms, slack: SLACK }),
    ];
  } finally {
    await emulator.close();
  }
}
