/**
 * `sinkops apply` end to end: the CLI (in-process, see helpers/cli.ts) against the emulator. Each
 * test starts its own in-memory emulator (milliseconds) so that request logs and accounts never mix.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_AUTH_TOKEN, E2E_TEST_TIMEOUT_MS, expectNoSecrets, managed, runCli, sid, startE2eEmulator, writeRepo, type SinkDoc } from './helpers/index.js';
import { expectConverged, listSinks, listSubscriptions, mutating, withinLease } from './helpers/account.js';

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const KINESIS = { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/orders', role_arn: 'arn:aws:iam::111111111111:role/Twilio' };
const SECRETS = { EXT_ID: 'ext-id-s3cr3t-4d9b1e', SEG_KEY: 'segment-write-key-s3cr3t-77aa' };
/** The remote's own secret (a sink replaced away): shown nowhere either. */
const OLD_EXT_ID = 'old-ext-id-s3cr3t-0c2f';

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

/** An account with something for every action kind (and an email sink and a stranger's sink, left alone). */
const SEED: EmulatorSeed = {
  sinks: [
    { sid: sid('DG', 1), description: 'Legacy orders', sink_type: 'webhook', sink_configuration: hook('orders') },
    { sid: sid('DG', 2), description: 'Legacy billing', sink_type: 'webhook', sink_configuration: hook('billing-v1') },
    { sid: sid('DG', 3), description: managed('Old wording', 'upd'), sink_type: 'webhook', sink_configuration: hook('upd') },
    { sid: sid('DG', 4), description: managed('Stream', 'repl'), sink_type: 'kinesis', sink_configuration: { ...KINESIS, external_id: OLD_EXT_ID }, status: 'active' },
    { sid: sid('DG', 5), description: managed('Gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
    { sid: sid('DG', 6), description: 'Someone else', sink_type: 'segment', sink_configuration: { write_key: 'not-ours' } },
    { sid: sid('DG', 7), description: 'Email digest', sink_type: 'email', sink_configuration: {} },
    { sid: sid('DG', 8), description: managed('Same', 'same'), sink_type: 'webhook', sink_configuration: hook('same') },
  ],
  subscriptions: [],
};

const DESIRED: SinkDoc[] = [
  { name: 'new-hook', description: 'New hook', sink_type: 'webhook', sink_configuration: { ...hook('new'), batch_events: true } },
  { name: 'new-stream', description: 'New stream', sink_type: 'kinesis', sink_configuration: { ...KINESIS, external_id: '${EXT_ID}' } },
  { name: 'new-segment', description: 'New segment', sink_type: 'segment', sink_configuration: { write_key: '${SEG_KEY}' } },
  { name: 'orders', description: 'Orders', sink_type: 'webhook', sink_configuration: hook('orders'), sid: sid('DG', 1) },
  { name: 'billing', description: 'Billing', sink_type: 'webhook', sink_configuration: hook('billing-v2'), sid: sid('DG', 2) },
  { name: 'upd', description: 'New wording', sink_type: 'webhook', sink_configuration: hook('upd') },
  { name: 'repl', description: 'Stream', sink_type: 'kinesis', sink_configuration: { ...KINESIS, arn: `${KINESIS.arn}-v2`, external_id: '${EXT_ID}' } },
  { name: 'same', description: 'Same', sink_type: 'webhook', sink_configuration: hook('same') },
];

const repoOf = (docs: readonly SinkDoc[]) => writeRepo({ 'sinks/all.yaml': docs });
const planSummary = async (cwd: string, env: Record<string, string>) => {
  const r = await runCli(['plan', '--format', 'json'], { cwd, env });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout).summary as Record<string, number>;
};

describe('apply', () => {
  it('applies every action kind, after which plan shows no changes', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await repoOf(DESIRED);
    const env = { ...emu.env, ...SECRETS };
    expect(await planSummary(cwd, env)).toEqual({ create: 3, update: 1, adopt: 2, replace: 1, delete: 1, blocked: 0, noop: 1 });

    const apply = await runCli(['apply', '--yes'], { cwd, env });
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 8 applied, 0 blocked, 0 failed.');

    const again = await runCli(['plan', '--detailed-exitcode'], { cwd, env });
    expect(again.stdout).toContain('No changes. Twilio sinks match the repository.');
    expect(again.code).toBe(0);

    const byName = await expectConverged(emu, DESIRED, { secrets: SECRETS });
    const sids = new Set((await listSinks(emu)).map((s) => s.sid));
    expect(byName.get('orders')?.sid).toBe(sid('DG', 1)); // adopted in place
    expect(byName.get('upd')?.sid).toBe(sid('DG', 3)); // updated in place
    expect(byName.get('same')?.sid).toBe(sid('DG', 8));
    expect(byName.get('billing')?.sid).not.toBe(sid('DG', 2)); // adopt that replaces: new sink, old one deleted
    expect(byName.get('repl')?.sid).not.toBe(sid('DG', 4));
    for (const gone of [2, 4, 5]) expect(sids.has(sid('DG', gone))).toBe(false);
    for (const kept of [6, 7]) expect(sids.has(sid('DG', kept))).toBe(true); // unmanaged: untouched
  });

  it('leaves a sink in use and its subscription alone, creates no replacement for it, and exits 3', async () => {
    const seed: EmulatorSeed = {
      sinks: [
        { sid: sid('DG', 1), description: managed('Held', 'held'), sink_type: 'webhook', sink_configuration: hook('held') },
        { sid: sid('DG', 2), description: managed('Held too', 'held-repl'), sink_type: 'webhook', sink_configuration: hook('v1') },
        { sid: sid('DG', 3), description: managed('Free', 'free'), sink_type: 'webhook', sink_configuration: hook('free') },
      ],
      subscriptions: [
        { sid: sid('DF', 1), description: 'orders', sink_sid: sid('DG', 1) },
        { sid: sid('DF', 2), description: 'billing', sink_sid: sid('DG', 2) },
      ],
    };
    const emu = await startE2eEmulator(seed);
    const desired: SinkDoc[] = [{ name: 'held-repl', description: 'Held too', sink_type: 'webhook', sink_configuration: hook('v2') }];
    const cwd = await repoOf(desired);
    const apply = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(apply.code).toBe(3);
    expect(apply.stdout).toContain(sid('DF', 1));
    expect(apply.stdout).toContain(sid('DF', 2));
    expect(apply.stdout).toMatch(/deleted free/);

    const sinks = await listSinks(emu);
    expect(sinks.map((s) => s.sid).sort()).toEqual([sid('DG', 1), sid('DG', 2)]);
    expect((await listSubscriptions(emu)).map((s) => [s.sid, s.sink_sid]).sort()).toEqual([
      [sid('DF', 1), sid('DG', 1)],
      [sid('DF', 2), sid('DG', 2)],
    ]);
    // Only the free sink's delete changed anything.
    expect(withinLease(await emu.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v1/Sinks/${sid('DG', 3)}`]);
  });

  it('--dry-run sends no POST or DELETE', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await repoOf(DESIRED);
    const r = await runCli(['apply', '--dry-run'], { cwd, env: { ...emu.env, ...SECRETS } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: 8 planned, 0 blocked, 0 failed. Nothing was changed.');
    const requests = await emu.requests();
    expect(requests.length).toBeGreaterThan(0);
    expect(mutating(requests)).toEqual([]);
    expect((await listSinks(emu)).map((s) => s.sid).sort()).toEqual(SEED.sinks.map((s) => s.sid).sort());
  });

  it('refuses without --yes when standard input is not a terminal, sending nothing that changes the account', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await repoOf(DESIRED);
    const r = await runCli(['apply'], { cwd, env: { ...emu.env, ...SECRETS } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a terminal');
    expect(r.stderr).toContain('--yes');
    expect(mutating(await emu.requests())).toEqual([]);
  });

  it('asks on a terminal: only "yes" applies; another answer or end of input cancels and sends nothing', async () => {
    // In process: a child process would need a pseudo-terminal to have a TTY stdin.
    const emu = await startE2eEmulator();
    const cwd = await repoOf([{ name: 'a', description: 'A', sink_type: 'webhook', sink_configuration: hook('a') }]);
    const applyAnswering = async (answer: string | null) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      let stdout = '';
      let stderr = '';
      let prompted!: () => void;
      const prompt = new Promise<void>((resolve) => (prompted = resolve));
      const write = (t: string) => {
        stdout += t;
        if (stdout.includes('Enter a value:')) prompted();
      };
      const io = { stdout: { write }, stderr: { write: (t: string) => (stderr += t) }, stdin, env: emu.env, cwd };
      const code = run(['apply'], io);
      // Answer only once the prompt is up, as a person would.
      await Promise.race([
        prompt,
        code.then((c) => {
          if (!stdout.includes('Enter a value:')) throw new Error(`apply exited ${c} without asking\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
        }),
      ]);
      if (answer === null) stdin.end();
      else stdin.write(`${answer}\n`);
      return { code: await code, stdout, stderr };
    };
    for (const answer of ['no', 'y', null]) {
      const r = await applyAnswering(answer);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('apply cancelled; nothing was applied');
    }
    expect(mutating(await emu.requests())).toEqual([]);
    const yes = await applyAnswering('yes');
    expect(yes.code).toBe(0);
    expect(withinLease(await emu.requests()).map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v1/Sinks']);
  });

  it('--max-deletes refuses a larger plan (replacements count) and sends nothing; the default is 10', async () => {
    const seed: EmulatorSeed = {
      sinks: [
        ...Array.from({ length: 11 }, (_, i) => ({
          sid: sid('DG', i + 1),
          description: managed('Old', `old-${i + 1}`),
          sink_type: 'webhook',
          sink_configuration: hook(`old-${i + 1}`),
        })),
        { sid: sid('DG', 99), description: managed('Kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept-v1') },
      ],
      subscriptions: [],
    };
    const emu = await startE2eEmulator(seed);
    const cwd = await repoOf([{ name: 'kept', description: 'Kept', sink_type: 'webhook', sink_configuration: hook('kept-v2') }]);

    const byDefault = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(byDefault.code).toBe(1);
    expect(byDefault.stderr).toContain('--max-deletes');
    const explicit = await runCli(['apply', '--yes', '--max-deletes', '11'], { cwd, env: emu.env }); // 11 deletes + 1 replace
    expect(explicit.code).toBe(1);
    expect(explicit.stderr).toContain('--max-deletes');
    expect(mutating(await emu.requests())).toEqual([]);

    const raised = await runCli(['apply', '--yes', '--max-deletes', '12'], { cwd, env: emu.env });
    expect(raised.code).toBe(0);
    expect(await listSinks(emu)).toHaveLength(1);
  });

  it('stops before any request that changes the account when a secret variable is missing, naming the variable', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await repoOf(DESIRED);
    const r = await runCli(['apply', '--yes'], { cwd, env: { ...emu.env, SEG_KEY: SECRETS.SEG_KEY } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('EXT_ID');
    expect(r.stderr).not.toContain(SECRETS.SEG_KEY);
    // The account is read first (issue 12: only what the plan sends needs its secrets), never changed.
    expect(mutating(await emu.requests())).toEqual([]);
  });

  it('keeps secrets out of stdout, stderr (at --log-level trace) and the plan file', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await repoOf(DESIRED);
    const env = { ...emu.env, ...SECRETS };
    const plan = await runCli(['plan', '--out', 'p.json', '--log-level', 'trace'], { cwd, env });
    expect(plan.code).toBe(0);
    const planFile = await readFile(join(cwd, 'p.json'), 'utf8');
    const apply = await runCli(['apply', 'p.json', '--yes', '--log-level', 'trace'], { cwd, env });
    expect(apply.code).toBe(0);
    expect(apply.stderr).toMatch(/"level":20/); // debug lines (every request) really were written
    await expectConverged(emu, DESIRED, { secrets: SECRETS });
    const json = await runCli(['plan', '--format', 'json', '--log-level', 'trace'], { cwd, env });
    expectNoSecrets(
      {
        'plan stdout': plan.stdout,
        'plan stderr': plan.stderr,
        'p.json': planFile,
        'apply stdout': apply.stdout,
        'apply stderr': apply.stderr,
        'plan json stdout': json.stdout,
        'plan json stderr': json.stderr,
      },
      [...Object.values(SECRETS), OLD_EXT_ID, E2E_AUTH_TOKEN],
    );
  });
});
