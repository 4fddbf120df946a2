/**
 * Secrets are needed only for the actions that send them (issue 12): after `import`, the apply of a
 * plan of adoptions (which send a description alone) runs with the secret variables unset; a create
 * whose secret is unset is still refused before any request that changes the account; a dry run
 * needs none and says which a real apply would need. A saved plan is checked the same way, before
 * connecting.
 */
import { describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_TEST_TIMEOUT_MS, runCli, sid, startE2eEmulator, writeRepo, type SinkDoc } from './helpers/index.js';
import { listSinks, mutating, withinLease } from './helpers/account.js';

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

const KINESIS = { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/orders', role_arn: 'arn:aws:iam::111111111111:role/Twilio' };
const EXTERNAL_ID = 'imported-external-id-s3cr3t';
const WRITE_KEY = 'imported-write-key-s3cr3t';

/** Two unmanaged sinks with secrets, as `import` finds them. */
const SEED: EmulatorSeed = {
  sinks: [
    { sid: sid('DG', 1), description: 'Orders stream', sink_type: 'kinesis', sink_configuration: { ...KINESIS, external_id: EXTERNAL_ID }, status: 'active' },
    { sid: sid('DG', 2), description: 'Analytics', sink_type: 'segment', sink_configuration: { write_key: WRITE_KEY } },
  ],
  subscriptions: [],
};

/** What `import` writes for them: pinned by SID, the secrets as variables. */
const IMPORTED: SinkDoc[] = [
  { name: 'orders', description: 'Orders stream', sink_type: 'kinesis', sink_configuration: { ...KINESIS, external_id: '${ORDERS_EXTERNAL_ID}' }, sid: sid('DG', 1) },
  { name: 'analytics', description: 'Analytics', sink_type: 'segment', sink_configuration: { write_key: '${ANALYTICS_WRITE_KEY}' }, sid: sid('DG', 2) },
];
const FRESH: SinkDoc = { name: 'fresh', description: 'Fresh', sink_type: 'segment', sink_configuration: { write_key: '${FRESH_WRITE_KEY}' } };

/** The error apply stops with, and its detail lines (validate's warnings before it name every unset variable). */
const refusal = (stderr: string): string => stderr.slice(stderr.indexOf('Error:'));

describe('apply needs only the secrets of what it sends', () => {
  it('applies a plan of adoptions with the secret variables unset; the sinks keep their secrets', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await writeRepo({ 'sinks/imported.yaml': IMPORTED });
    const r = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete: 2 applied, 0 blocked, 0 failed.');
    // Each sink was adopted in place: its description only, never a configuration.
    expect(withinLease(await emu.requests()).map((q) => `${q.method} ${q.path}`).sort()).toEqual([`POST /v1/Sinks/${sid('DG', 1)}`, `POST /v1/Sinks/${sid('DG', 2)}`]);
    const sinks = await listSinks(emu);
    expect(sinks.map((s) => [s.sid, s.description]).sort()).toEqual([
      [sid('DG', 1), 'Orders stream [sinkops:orders]'],
      [sid('DG', 2), 'Analytics [sinkops:analytics]'],
    ]);
    expect((await emu.api('GET', `/v1/Sinks/${sid('DG', 2)}`)).body.sink_configuration.write_key).toBe(WRITE_KEY);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd, env: emu.env })).code).toBe(0);
  });

  it('applies a saved plan of adoptions with the secret variables unset', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await writeRepo({ 'sinks/imported.yaml': IMPORTED });
    expect((await runCli(['plan', '--out', 'p.json'], { cwd, env: emu.env })).code).toBe(0);
    const r = await runCli(['apply', 'p.json', '--yes'], { cwd, env: emu.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete: 2 applied, 0 blocked, 0 failed.');
  });

  it('still refuses a create whose secret is unset, after reading the account and before anything that changes it', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await writeRepo({ 'sinks/imported.yaml': IMPORTED, 'sinks/fresh.yaml': FRESH });
    const r = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(r.code).toBe(1);
    // The create's variable, where it is declared; not the adoptions' (they send none).
    expect(r.stderr).toContain(
      'Error: Cannot apply: sink "fresh" (sinks/fresh.yaml:1): sink_configuration.write_key needs environment variable FRESH_WRITE_KEY, which is not set. Nothing was sent.',
    );
    expect(refusal(r.stderr)).not.toMatch(/ORDERS_EXTERNAL_ID|ANALYTICS_WRITE_KEY/);
    expect(mutating(await emu.requests())).toEqual([]);
    expect((await listSinks(emu)).map((s) => s.description).sort()).toEqual(['Analytics', 'Orders stream']);
  });

  it('refuses a saved plan whose create needs an unset secret before connecting', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await writeRepo({ 'sinks/imported.yaml': IMPORTED, 'sinks/fresh.yaml': FRESH });
    expect((await runCli(['plan', '--out', 'p.json'], { cwd, env: emu.env })).code).toBe(0);
    await emu.clearRequests();
    const r = await runCli(['apply', 'p.json', '--yes'], { cwd, env: emu.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs environment variable FRESH_WRITE_KEY, which is not set');
    expect(refusal(r.stderr)).not.toMatch(/ORDERS_EXTERNAL_ID|ANALYTICS_WRITE_KEY/);
    expect(await emu.requests()).toEqual([]);
  });

  it('--dry-run needs no secret: exit 0, and it says which values a real apply would need', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await writeRepo({ 'sinks/imported.yaml': IMPORTED, 'sinks/fresh.yaml': FRESH });
    const r = await runCli(['apply', '--dry-run'], { cwd, env: emu.env });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: 3 planned, 0 blocked, 0 failed. Nothing was changed.');
    expect(r.stdout).toContain(
      'Note: applying this plan needs a value not set here (a dry run sends none):\n' +
        '  sink "fresh" (sinks/fresh.yaml:1): sink_configuration.write_key needs environment variable FRESH_WRITE_KEY, which is not set\n',
    );
    expect(mutating(await emu.requests())).toEqual([]);

    // With a document on stdout, the note goes to stderr; a saved plan is a dry run the same way.
    expect((await runCli(['plan', '--out', 'p.json'], { cwd, env: emu.env })).code).toBe(0);
    for (const args of [['apply', '--dry-run', '--format', 'json'], ['apply', 'p.json', '--dry-run', '--format', 'json']]) {
      const json = await runCli(args, { cwd, env: emu.env });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ dry_run: true, summary: { planned: 3 } });
      expect(json.stderr).toContain('needs environment variable FRESH_WRITE_KEY, which is not set');
    }
    expect(mutating(await emu.requests())).toEqual([]);

    // Set, nothing is missing and nothing is said.
    const set = await runCli(['apply', '--dry-run'], { cwd, env: { ...emu.env, FRESH_WRITE_KEY: 'fresh-key-s3cr3t' } });
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain('Note: applying this plan needs');
  });
});
