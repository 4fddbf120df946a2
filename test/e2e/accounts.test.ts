/**
 * Many accounts from one repository (SPEC §14), end to end: two named accounts and a fleet of five
 * subaccounts (plus one the friendly-name filter leaves out, and a closed one the status filter
 * leaves out) plan, apply and plan again clean; `${account.sid}` is expanded per member; one account
 * with wrong credentials fails alone; three shards from `accounts --format github-matrix --shards 3`
 * apply every account exactly once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_ACCOUNT_SID, E2E_AUTH_TOKEN, E2E_TEST_TIMEOUT_MS, expectNoSecrets, REPO_ROOT, runCli, startE2eEmulator, writeRepo } from './helpers/index.js';

const PROD = { sid: `AC${'1'.repeat(32)}`, token: 'a1'.repeat(16) };
const STAGING = { sid: `AC${'2'.repeat(32)}`, token: 'b2'.repeat(16) };
const MEMBERS = ['cust-a', 'cust-b', 'cust-c', 'cust-d', 'cust-e'].map((name, i) => ({
  name,
  sid: `AC${'c'.repeat(31)}${i}`,
  token: `${'d'.repeat(31)}${i}`,
}));
const OUTSIDER = { name: 'internal-tools', sid: `AC${'e'.repeat(32)}`, token: 'f'.repeat(32) };
const CLOSED = { name: 'cust-gone', sid: `AC${'9'.repeat(32)}`, token: '8'.repeat(32) };
const ALL_NAMES = ['customers/cust-a', 'customers/cust-b', 'customers/cust-c', 'customers/cust-d', 'customers/cust-e', 'production', 'staging'];

function seed(): EmulatorSeed {
  return {
    sinks: [],
    subscriptions: [],
    accounts: [
      { sid: PROD.sid, auth_token: PROD.token, friendly_name: 'Production' },
      { sid: STAGING.sid, auth_token: STAGING.token, friendly_name: 'Staging' },
      ...MEMBERS.map((m) => ({ sid: m.sid, auth_token: m.token, friendly_name: m.name, owner_account_sid: E2E_ACCOUNT_SID })),
      { sid: OUTSIDER.sid, auth_token: OUTSIDER.token, friendly_name: OUTSIDER.name, owner_account_sid: E2E_ACCOUNT_SID },
      { sid: CLOSED.sid, auth_token: CLOSED.token, friendly_name: CLOSED.name, owner_account_sid: E2E_ACCOUNT_SID, status: 'closed' as const },
    ],
  };
}

const CONFIG = `# Two named accounts and a fleet of customer subaccounts
accounts:
  - name: production
    dir: sinks/production
    credentials: {account_sid: PROD_TWILIO_ACCOUNT_SID, auth_token: PROD_TWILIO_AUTH_TOKEN}
  - name: staging
    dir: sinks/staging
    credentials: {account_sid: STAGING_TWILIO_ACCOUNT_SID, auth_token: STAGING_TWILIO_AUTH_TOKEN}
fleets:
  - name: customers
    dir: sinks/customers
    parent: {account_sid: TWILIO_ACCOUNT_SID, auth_token: TWILIO_AUTH_TOKEN}
    subaccounts: {friendly_name: "cust-*", status: active}
`;

function webhook(name: string, description: string, destination: string): string {
  return `name: ${name}\ndescription: ${JSON.stringify(description)}\nsink_type: webhook\nsink_configuration:\n  destination: ${JSON.stringify(destination)}\n  method: POST\n  batch_events: false\n`;
}

async function fleetRepo(): Promise<string> {
  return writeRepo({
    'sinkops.yaml': CONFIG,
    'sinks/production/orders.yaml': webhook('orders', 'Orders (production)', 'https://hooks.example.com/prod/orders'),
    'sinks/staging/orders.yaml': webhook('orders', 'Orders (staging)', 'https://hooks.example.com/staging/orders'),
    'sinks/customers/events.yaml': webhook('events', 'Events of ${account.friendly_name}', 'https://hooks.example.com/customers/${account.sid}'),
  });
}

async function fleet() {
  const emu = await startE2eEmulator(seed());
  const env = {
    TWILIO_EVENTS_BASE_URL: emu.url,
    TWILIO_API_BASE_URL: emu.url,
    TWILIO_ACCOUNT_SID: E2E_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: E2E_AUTH_TOKEN,
    PROD_TWILIO_ACCOUNT_SID: PROD.sid,
    PROD_TWILIO_AUTH_TOKEN: PROD.token,
    STAGING_TWILIO_ACCOUNT_SID: STAGING.sid,
    STAGING_TWILIO_AUTH_TOKEN: STAGING.token,
  };
  /** The sinks of one account, read with its own credentials. */
  const sinksOf = async (account: { sid: string; token: string }): Promise<{ description: string; sink_configuration: { destination: string } }[]> => {
    const res = await fetch(`${emu.url}/v1/Sinks?PageSize=1000`, { headers: { Authorization: `Basic ${Buffer.from(`${account.sid}:${account.token}`).toString('base64')}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { sinks: { description: string; sink_configuration: { destination: string } }[] }).sinks;
  };
  return { emu, env, sinksOf };
}

const TOKENS = [PROD.token, STAGING.token, E2E_AUTH_TOKEN, ...MEMBERS.map((m) => m.token), OUTSIDER.token, CLOSED.token];

describe('sinkops.yaml: named accounts and a fleet', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('plans, applies and plans again clean; ${account.*} is stamped per member; the filter leaves two out', async () => {
    const { emu, env, sinksOf } = await fleet();
    const repo = await fleetRepo();

    const listed = await runCli(['accounts', '--format', 'json'], { cwd: repo, env });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { accounts: { name: string }[] }).accounts.map((a) => a.name)).toEqual(ALL_NAMES);

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: repo, env });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    for (const name of ALL_NAMES) expect(plan.stdout).toContain(`== ${name} ==`);
    expect(plan.stdout).not.toContain(OUTSIDER.name);
    expect(plan.stdout).not.toContain(CLOSED.name);
    expect(plan.stdout).toContain(`https://hooks.example.com/customers/${MEMBERS[0]!.sid}`);
    expect(plan.stdout).toMatch(/7 accounts: 7 with changes, 0 without\./);

    const apply = await runCli(['apply', '--yes'], { cwd: repo, env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/7 accounts: 7 applied, 0 unchanged\./);
    // Every request carried the credentials of the account it was for; none went to the ones left out.
    const left = new Set([OUTSIDER.sid, CLOSED.sid]);
    expect((await emu.requests()).filter((r) => left.has(r.account ?? ''))).toEqual([]);
    for (const m of MEMBERS) {
      const sinks = await sinksOf(m);
      expect(sinks).toHaveLength(1);
      expect(sinks[0]!.sink_configuration.destination).toBe(`https://hooks.example.com/customers/${m.sid}`);
      expect(sinks[0]!.description).toBe(`Events of ${m.name} [sinkops:events]`);
    }
    expect((await sinksOf(PROD))[0]!.sink_configuration.destination).toBe('https://hooks.example.com/prod/orders');
    expect((await sinksOf(STAGING))[0]!.sink_configuration.destination).toBe('https://hooks.example.com/staging/orders');
    expect(await sinksOf(OUTSIDER)).toEqual([]);
    // The parent itself is not a member: nothing was made there.
    expect(await sinksOf({ sid: E2E_ACCOUNT_SID, token: E2E_AUTH_TOKEN })).toEqual([]);

    const again = await runCli(['plan', '--detailed-exitcode'], { cwd: repo, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/7 accounts: 0 with changes, 7 without\./);
    for (const name of ALL_NAMES) expect(again.stdout).toContain(`${name}: No changes.`);

    for (const [label, r] of Object.entries({ listed, plan, apply, again })) expectNoSecrets({ [`${label} stdout`]: r.stdout, [`${label} stderr`]: r.stderr }, TOKENS);
  });

  it('one account with wrong credentials fails alone: the others are applied, the exit code is 1, the failure named', async () => {
    const { env, sinksOf } = await fleet();
    const repo = await fleetRepo();
    const apply = await runCli(['apply', '--yes'], { cwd: repo, env: { ...env, STAGING_TWILIO_AUTH_TOKEN: 'f0'.repeat(16) } });
    expect(apply.code).toBe(1);
    expect(apply.stdout).toMatch(/staging: failed/);
    expect(apply.stderr).toMatch(/1 account failed: staging/);
    expect(apply.stdout).toMatch(/7 accounts: 6 applied, 0 unchanged, 1 failed\./);
    expect(await sinksOf(STAGING)).toEqual([]);
    expect(await sinksOf(PROD)).toHaveLength(1);
    for (const m of MEMBERS) expect(await sinksOf(m)).toHaveLength(1);
    expectNoSecrets({ stdout: apply.stdout, stderr: apply.stderr }, [...TOKENS, 'f0'.repeat(16)]);
  });

  it('a credential variable that is not set fails that account alone, naming the account and the variable', async () => {
    const { env } = await fleet();
    const repo = await fleetRepo();
    const { PROD_TWILIO_AUTH_TOKEN: _unset, ...rest } = env;
    const plan = await runCli(['plan'], { cwd: repo, env: rest });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/production: failed: .*PROD_TWILIO_AUTH_TOKEN/);
    expect(plan.stdout).toMatch(/7 accounts: 6 with changes, 0 without, 1 failed\./);
    expect(plan.stderr).toMatch(/1 account could not be planned/);
  });

  it('a hostile friendly name reaches neither the terminal nor another account: the member is named by its SID and fails alone', async () => {
    const hostile = { sid: `AC${'b'.repeat(32)}`, token: '7'.repeat(32), name: 'cust-\u001b[2J\u001b]0;pwned\u0007\nrm -rf' };
    const emu = await startE2eEmulator({ ...seed(), accounts: [...seed().accounts!, { sid: hostile.sid, auth_token: hostile.token, friendly_name: hostile.name, owner_account_sid: E2E_ACCOUNT_SID }] });
    const repo = await fleetRepo();
    const env = { TWILIO_EVENTS_BASE_URL: emu.url, TWILIO_API_BASE_URL: emu.url, TWILIO_ACCOUNT_SID: E2E_ACCOUNT_SID, TWILIO_AUTH_TOKEN: E2E_AUTH_TOKEN, PROD_TWILIO_ACCOUNT_SID: PROD.sid, PROD_TWILIO_AUTH_TOKEN: PROD.token, STAGING_TWILIO_ACCOUNT_SID: STAGING.sid, STAGING_TWILIO_AUTH_TOKEN: STAGING.token };
    const plan = await runCli(['plan'], { cwd: repo, env });
    for (const text of [plan.stdout, plan.stderr]) {
      expect(text).not.toMatch(/\u001b|\u0007/);
      expect(text).not.toContain('pwned\n');
    }
    expect(plan.stdout).toContain(`customers/${hostile.sid}`);
    // Its description, stamped with that name, is not a valid one: that member fails, the others are planned.
    expect(plan.stdout).toMatch(new RegExp(`customers/${hostile.sid}: failed`));
    expect(plan.stdout).toMatch(/8 accounts: 7 with changes, 0 without, 1 failed\./);
    expectNoSecrets({ stdout: plan.stdout, stderr: plan.stderr }, [...TOKENS, hostile.token]);
  });

  it('three shards from the GitHub matrix apply every account exactly once', async () => {
    const { emu, env, sinksOf } = await fleet();
    const repo = await fleetRepo();
    const matrix = await runCli(['accounts', '--format', 'github-matrix', '--shards', '3'], { cwd: repo, env });
    expect(matrix.code, matrix.stderr).toBe(0);
    const include = (JSON.parse(matrix.stdout) as { include: { shard: string; accounts: number }[] }).include;
    expect(include.map((j) => j.shard)).toEqual(['1/3', '2/3', '3/3']);
    expect(include.reduce((sum, j) => sum + j.accounts, 0)).toBe(ALL_NAMES.length);

    await emu.clearRequests();
    const applied: string[] = [];
    for (const job of include) {
      const r = await runCli(['apply', '--yes', '--shard', job.shard, '--format', 'json'], { cwd: repo, env });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { accounts: { name: string; status: string }[] };
      expect(doc.accounts).toHaveLength(job.accounts);
      applied.push(...doc.accounts.filter((a) => a.status === 'applied').map((a) => a.name));
    }
    expect(applied.sort()).toEqual(ALL_NAMES);
    // Exactly one create per account across the three jobs (the lease's own sink aside).
    const creates = (await emu.requests()).filter((r) => r.method === 'POST' && r.path.startsWith('/v1/Sinks') && r.status === 201);
    const perAccount = new Map<string, number>();
    for (const c of creates) perAccount.set(c.account ?? '', (perAccount.get(c.account ?? '') ?? 0) + 1);
    for (const account of [PROD, STAGING, ...MEMBERS]) {
      const ours = (await sinksOf(account)).length;
      expect(ours).toBe(1);
      // Each shard that applies an account takes its lease (a sink) and makes the sink: 2 creates.
      expect(perAccount.get(account.sid)).toBe(2);
    }
  });

  it('one plan hash for the whole repository: apply --expect-plan-hash applies it, and refuses another', async () => {
    const { env } = await fleet();
    const repo = await fleetRepo();
    const plan = await runCli(['plan', '--format', 'json'], { cwd: repo, env });
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as { format_version: number; plan_hash: string; summary: { create: number }; accounts: { name: string; summary: { create: number } }[] };
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'plan.schema.json'), 'utf8')) as object);
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'accounts-plan.schema.json'), 'utf8')) as object);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    // A failed account's entry is valid too; a made-up field is not (the schema is strict).
    expect(validate({ ...doc, accounts: [...doc.accounts, { name: 'broken', error: { code: 'TWILIO_API', message: 'down', details: [] } }] })).toBe(true);
    expect(validate({ ...doc, accounts: [{ ...doc.accounts[0], extra: 1 }] })).toBe(false);
    expect(doc.format_version).toBe(2);
    expect(doc.summary.create).toBe(7);
    expect(doc.accounts.map((a) => a.name)).toEqual(ALL_NAMES);
    const markdown = await runCli(['plan', '--format', 'markdown'], { cwd: repo, env });
    expect(markdown.stdout.split('\n')[0]).toBe(`<!-- sinkops:plan-hash ${doc.plan_hash} -->`);
    expect(markdown.stdout).toContain('| `production` | 1 | 0 | 0 | 0 | 0 |');
    expect(markdown.stdout).toContain('<details><summary><code>customers/cust-a</code>');

    const saved = await runCli(['plan', '--out', 'plan.json'], { cwd: repo, env });
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain(`Saved the plan of 7 accounts to plan.json. Apply exactly this plan with: sinkops apply --expect-plan-hash ${doc.plan_hash}`);
    const refusedFile = await runCli(['apply', 'plan.json', '--yes'], { cwd: repo, env });
    expect(refusedFile.code).toBe(1);
    expect(refusedFile.stderr).toMatch(/a saved plan is of one account, and sinkops\.yaml names many/);

    const other = `sha256:${'0'.repeat(64)}`;
    const refused = await runCli(['apply', '--yes', '--expect-plan-hash', other], { cwd: repo, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The plan changed since it was reviewed; nothing was applied/);
    const apply = await runCli(['apply', '--yes', '--expect-plan-hash', doc.plan_hash], { cwd: repo, env });
    expect(apply.code, apply.stderr).toBe(0);
  });

  it('--account narrows the run (globs, whole fleets); a pattern that matches nothing is an error', async () => {
    const { env } = await fleet();
    const repo = await fleetRepo();
    const one = await runCli(['plan', '--account', 'prod*'], { cwd: repo, env });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('== production ==');
    expect(one.stdout).toMatch(/1 account: 1 with changes/);
    const members = await runCli(['plan', '--account', 'customers/cust-a', '--account', 'customers/cust-?', '--account', 'staging'], { cwd: repo, env });
    expect(members.code, members.stderr).toBe(0);
    expect(members.stdout).toMatch(/6 accounts: 6 with changes/);
    const whole = await runCli(['plan', '--account', 'customers'], { cwd: repo, env });
    expect(whole.stdout).toMatch(/5 accounts: 5 with changes/);
    const typo = await runCli(['plan', '--replace', 'order'], { cwd: repo, env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/--replace order: no sink of that name in the folders of sinkops\.yaml; did you mean 'orders'\?/);
    const replaced = await runCli(['plan', '--replace', 'events', '--account', 'customers/cust-a'], { cwd: repo, env });
    expect(replaced.code, replaced.stderr).toBe(0);
    const none = await runCli(['plan', '--account', 'prodution'], { cwd: repo, env });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/prodution/);
    expect(none.stderr).toMatch(/production/);
  });

  it('validate checks sinkops.yaml and every folder it names; a broken sinkops.yaml is located and plans nothing', async () => {
    const repo = await fleetRepo();
    const ok = await runCli(['validate'], { cwd: repo, env: {} });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('OK: 3 sinks in 4 files\n');
    const { writeFiles } = await import('./helpers/index.js');
    await writeFiles(repo, { 'sinkops.yaml': CONFIG.replace('    dir: sinks/staging\n', '    dir: ../elsewhere\n    credentail: {}\n') });
    const bad = await runCli(['validate'], { cwd: repo, env: {} });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^sinkops\.yaml:\d+:\d+: error: .*\.\./m);
    expect(bad.stdout).toMatch(/^sinkops\.yaml:\d+:\d+: error: .*credentail.*did you mean/m);
    const plan = await runCli(['plan'], { cwd: repo, env: { TWILIO_EVENTS_BASE_URL: 'http://127.0.0.1:9' } });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/sinkops\.yaml/);
  });

  it('without sinkops.yaml the account options are refused, and everything else works as before', async () => {
    const { env } = await fleet();
    const repo = await writeRepo({ 'sinks/orders.yaml': webhook('orders', 'Orders', 'https://hooks.example.com/orders') });
    const refused = await runCli(['plan', '--account', 'production'], { cwd: repo, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--account chooses among the accounts of sinkops\.yaml/);
    const plan = await runCli(['plan'], { cwd: repo, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^sinkops plan/);
  });

  it('--local with sinkops.yaml runs every account locally: plan, apply, plan clean', async () => {
    const repo = await fleetRepo();
    const env = { TWILIO_EVENTS_BASE_URL: undefined };
    const plan = await runCli(['plan', '--local', '--detailed-exitcode'], { cwd: repo, env });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/5 accounts: 5 with changes/);
    expect(plan.stdout).toContain('== customers/cust-1 ==');
    const apply = await runCli(['apply', '--local', '--yes'], { cwd: repo, env });
    expect(apply.code, apply.stderr).toBe(0);
    const again = await runCli(['plan', '--local', '--detailed-exitcode'], { cwd: repo, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/5 accounts: 0 with changes, 5 without\./);
  });
});
