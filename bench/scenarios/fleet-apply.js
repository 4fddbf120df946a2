// @ts-check
/**
 * SPEC §10 "Fleet apply": `sinkops apply --yes` (the real CLI, in a child process) over 1,000
 * accounts at 50 ms latency on every request: a fleet of 999 subaccounts × 10 sinks, each with one
 * sink whose description differs from the fleet's file (one update each), and one named account of
 * sinkops.yaml, `broken`, whose credential variables hold a wrong auth token (its Events API
 * answers 401: it fails, alone, when it is read). Expected: 999 applied, `broken` failed and named,
 * exit code 1; afterwards (read back through the API with each member's own credentials) every
 * member holds the update and no lease sink, and `broken` is as it was.
 * Wall time at the default --account-concurrency (16) against the ideal T1 + (rounds - 1) × C,
 * rounds = ceil(1000 / 16): T1 the wall time of the same CLI apply of one account (a member of a
 * second fleet, `calib`, over the same directory: `--account calib/calib-0`; start, the files,
 * the Accounts list, that account's apply; median of 3 such accounts) and C one account's apply
 * critical path (plan read; lease: list, create, list; the update, which reads the sink first; the
 * lease's release: 7 round trips), timed in process through dist/fleet on a warm pool, median of 5
 * more after one warm-up. Target: within 1.5×.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EMULATOR_ACCOUNT_SID } from '../../dist/emulator/index.js';
import { startEmulatorProcess } from '../lib/emulator-process.js';
import { calibrationAccount, FLEET, fleetAccounts, fleetEnv, memberAccount, namedSeedAccount, writeFleetRepo } from '../lib/fleet-fixtures.js';
import { mapLimit, median } from '../lib/measure.js';
import { applyCriticalPath, expectLine, idealWallRow, loadFleetDesired } from '../lib/one-account.js';
import { isAccountsList, perAccount } from '../lib/request-counts.js';
import { runSinkops } from '../lib/sinkops-process.js';

const MEMBERS = 999;
const SINKS = 10;
const CONCURRENCY = 16;
const SLACK = 1.5;
/** calib-0…2 for the CLI's one-account applies, calib-3 as the in-process warm-up, calib-4…8 timed. */
const CLI_RUNS = 3;
const CALIBRATION = CLI_RUNS + 6;
/** The named account whose variables hold a wrong token. */
const BROKEN = { name: 'broken', sid: `AC${'b0'.repeat(16)}`, token: 'c1'.repeat(16), variables: { sid: 'BROKEN_TWILIO_ACCOUNT_SID', token: 'BROKEN_TWILIO_AUTH_TOKEN' } };
const WRONG_TOKEN = 'd2'.repeat(16);

/**
 * Reads an account's sinks with its own credentials, as Twilio would show them.
 * @param {string} url
 * @param {{ sid: string, token: string }} account
 * @returns {Promise<{ sid: string, description: string }[]>}
 */
async function sinksOf(url, account) {
  const res = await fetch(`${url}/v1/Sinks?PageSize=1000`, { headers: { Authorization: `Basic ${Buffer.from(`${account.sid}:${account.token}`).toString('base64')}` } });
  if (res.status !== 200) throw new Error(`GET /v1/Sinks for ${account.sid} answered ${res.status}`);
  return /** @type {{ sinks: { sid: string, description: string }[] }} */ (await res.json()).sinks;
}

/**
 * @param {{ cwd: string, latencyMs: number, progress: (message: string) => void }} s
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function fleetApply(s) {
  const root = join(s.cwd, 'fleet-apply');
  await mkdir(root, { recursive: true });
  await writeFleetRepo(root, { sinks: SINKS, calibration: true, named: BROKEN });
  const fleet = fleetAccounts({ members: MEMBERS, sinks: SINKS, changed: () => true, calibration: CALIBRATION, parentSid: EMULATOR_ACCOUNT_SID });
  s.progress(`fleet apply: starting an emulator with ${MEMBERS} + ${CALIBRATION} subaccounts x ${SINKS} sinks and account ${BROKEN.name}`);
  const emulator = await startEmulatorProcess({
    seed: { sinks: [], subscriptions: [], accounts: [...fleet.accounts, namedSeedAccount(BROKEN)] },
    faults: { latencyMs: s.latencyMs },
  });
  try {
    const env = { ...fleetEnv(emulator), [BROKEN.variables.sid]: BROKEN.sid, [BROKEN.variables.token]: WRONG_TOKEN };

    s.progress('fleet apply: one account (in process, then the CLI)');
    const desired = await loadFleetDesired(root);
    const critical = await applyCriticalPath({ emulator, desired, accounts: Array.from({ length: CALIBRATION - CLI_RUNS }, (_, c) => calibrationAccount(CLI_RUNS + c)) });
    const single = [];
    for (let c = 0; c < CLI_RUNS; c += 1) single.push(await runSinkops(['apply', '--yes', '--account', `calib/${calibrationAccount(c).name}`], { cwd: root, env }));
    for (const r of single) expectLine(r.stdout, '1 account: 1 applied, 0 unchanged.');
    const t1 = median(single.map((r) => r.ms));

    const accounts = MEMBERS + 1;
    s.progress(`fleet apply: ${accounts} accounts, --account-concurrency ${CONCURRENCY} (the default)`);
    await emulator.clearRequests();
    const all = await runSinkops(['apply', '--yes', '--account', FLEET, '--account', BROKEN.name], { cwd: root, env, codes: [1] });
    const log = await emulator.requests();
    expectLine(all.stdout, `${accounts} accounts: ${MEMBERS} applied, 0 unchanged, 1 failed.`);
    expectLine(all.stdout, `${BROKEN.name}: failed:`);
    expectLine(all.stderr, `1 account failed: ${BROKEN.name}.`);
    const unauthorized = log.filter((r) => r.status === 401).length;
    if (unauthorized === 0) throw new Error('no request was answered 401');

    s.progress('fleet apply: reading every account back');
    const after = await mapLimit(Array.from({ length: MEMBERS }, (_, k) => k), 50, async (k) => sinksOf(emulator.url, memberAccount(k)));
    const updated = after.filter((sinks) => sinks.length === SINKS && sinks.every((sink) => sink.description.startsWith('Bench sink '))).length;
    const leases = after.reduce((n, sinks) => n + sinks.filter((sink) => sink.description.includes('[sinkops-lease')).length, 0);
    const brokenAfter = await sinksOf(emulator.url, BROKEN);
    const brokenUntouched = brokenAfter.length === 1 && brokenAfter[0]?.description === 'Old orders [sinkops:orders]';
    const updates = log.filter((r) => r.method === 'POST' && /^\/v1\/Sinks\/DG/.test(r.path) && r.status === 200).length;
    // Plan read (sinks, subscriptions), lease (list, create, list), the update, the lease's release.
    const counts = perAccount(log, new Set(Array.from({ length: MEMBERS }, (_, k) => memberAccount(k).sid)), isAccountsList);
    const brokenCode = new RegExp(`^${BROKEN.name}: failed: .*\\((\\w+)\\)$`, 'm').exec(all.stdout)?.[1] ?? '?';

    const label = `fleet apply ${accounts.toLocaleString('en')} accounts (${MEMBERS} x 1 update, 1 with a wrong token)`;
    return [
      {
        scenario: `${label}: outcome (exit code ${all.code}; ${unauthorized} x 401)`,
        measured: `${updated} updated (${counts.min === counts.max ? counts.max : `${counts.min}-${counts.max}`} requests each), ${leases} leases left; ${BROKEN.name} failed (${brokenCode}), ${brokenUntouched ? 'untouched' : 'CHANGED'}`,
        baseline: '-',
        target: `${MEMBERS} applied, ${BROKEN.name} failed and named, exit 1`,
        pass: all.code === 1 && updated === MEMBERS && updates === MEMBERS && counts.reached === MEMBERS && leases === 0 && brokenUntouched,
      },
      idealWallRow({ label, accounts, concurrency: CONCURRENCY, t1, criticalMs: critical.ms, measuredMs: all.ms, slack: SLACK }),
    ];
  } finally {
    await emulator.close();
  }
}
