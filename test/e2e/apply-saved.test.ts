/**
 * `sinkops plan --out p.json` then `sinkops apply p.json`: applied exactly as reviewed, or not at
 * all when the account changed in between (SPEC §5).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_TEST_TIMEOUT_MS, managed, runCli, sid, startE2eEmulator, writeFiles, writeRepo, type SinkDoc } from './helpers/index.js';
import { createSink, deleteSink, describeSink, expectConverged, listSinks, markerName, mutating, subscribe, withinLease } from './helpers/account.js';

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const SEG_KEY = 'saved-plan-write-key-s3cr3t';

const SEED: EmulatorSeed = {
  sinks: [
    { sid: sid('DG', 1), description: managed('Old wording', 'upd'), sink_type: 'webhook', sink_configuration: hook('upd') },
    { sid: sid('DG', 2), description: managed('Gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
  ],
  subscriptions: [],
};
const UPD: SinkDoc = { name: 'upd', description: 'New wording', sink_type: 'webhook', sink_configuration: hook('upd') };
const SEG: SinkDoc = { name: 'seg', description: 'Segment', sink_type: 'segment', sink_configuration: { write_key: '${SEG_KEY}' } };

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

/** A repo and an account, planned to p.json: create seg, update upd, delete gone. The request log starts empty after. */
async function planned() {
  const emu = await startE2eEmulator(SEED);
  const cwd = await writeRepo({ 'sinks/a.yaml': [UPD, SEG] });
  const env = { ...emu.env, SEG_KEY };
  const plan = await runCli(['plan', '--out', 'p.json'], { cwd, env });
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain('Plan: 1 to create, 1 to update, 0 to replace, 1 to delete.');
  await emu.clearRequests();
  return { emu, cwd, env };
}

describe('apply plan.json', () => {
  it('applies exactly the saved plan, not the repository as it is now, with secrets from the environment', async () => {
    const { emu, cwd, env } = await planned();
    expect(await readFile(join(cwd, 'p.json'), 'utf8')).not.toContain(SEG_KEY);
    // The repository moves on after the review: neither change may sneak into this apply.
    await writeFiles(cwd, { 'sinks/a.yaml': [UPD, { name: 'late', description: 'Late', sink_type: 'webhook', sink_configuration: hook('late') }] });

    const r = await runCli(['apply', 'p.json', '--yes'], { cwd, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete: 3 applied, 0 blocked, 0 failed.');
    await expectConverged(emu, [UPD, SEG], { secrets: { SEG_KEY } });
    expect((await listSinks(emu)).some((s) => s.sid === sid('DG', 2))).toBe(false);
    expect(withinLease(await emu.requests())).toHaveLength(3);
  });

  it('refuses a stale plan, naming every change, and applies nothing', async () => {
    const { emu, cwd, env } = await planned();
    await describeSink(emu, sid('DG', 1), managed('Edited in the Console', 'upd'));
    await deleteSink(emu, sid('DG', 2));
    const appeared = await createSink(emu, managed('Segment', 'seg'), 'segment', { write_key: 'someone-else' });
    await emu.clearRequests();

    const r = await runCli(['apply', 'p.json', '--yes'], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('p.json is stale');
    expect(r.stderr).toContain(`upd: ${sid('DG', 1)} was changed since the plan`);
    expect(r.stderr).toContain(`gone: ${sid('DG', 2)} no longer exists`);
    expect(r.stderr).toContain(`seg: a sink with its marker appeared since the plan (${appeared.sid})`);
    expect(mutating(await emu.requests())).toEqual([]);
    const sinks = await listSinks(emu);
    expect(sinks.map((s) => [markerName(s.description), s.description]).sort()).toEqual([
      ['seg', managed('Segment', 'seg')],
      ['upd', managed('Edited in the Console', 'upd')],
    ]);
  });

  it('does not delete a sink that a subscription started using after the plan: blocked, exit 3', async () => {
    const { emu, cwd, env } = await planned();
    const subscription = await subscribe(emu, sid('DG', 2));
    await emu.clearRequests();

    const r = await runCli(['apply', 'p.json', '--yes'], { cwd, env });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`blocked delete of gone (${sid('DG', 2)}): in use by subscription ${subscription}`);
    expect((await listSinks(emu)).some((s) => s.sid === sid('DG', 2))).toBe(true);
    expect(withinLease(await emu.requests()).filter((q) => q.method === 'DELETE')).toEqual([]);
    // The rest of the reviewed plan went ahead.
    await expectConverged(emu, [UPD, SEG], { secrets: { SEG_KEY }, alsoManaged: ['gone'] });
  });

  it('stops before any request when a variable the saved plan needs is not set', async () => {
    const { emu, cwd, env } = await planned();
    const r = await runCli(['apply', 'p.json', '--yes'], { cwd, env: { ...env, SEG_KEY: undefined } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SEG_KEY');
    expect(await emu.requests()).toEqual([]);
  });
});
