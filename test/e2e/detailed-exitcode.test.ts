/**
 * `plan --detailed-exitcode` exits 2 only for actions an apply would run (SPEC §9): a plan whose only
 * difference is a blocked delete (a pruned sink a subscription uses) shows it and exits 0, and the
 * apply of it sends nothing, takes no lease, and exits 3 as before.
 */
import { describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_TEST_TIMEOUT_MS, managed, runCli, sid, startE2eEmulator, writeFiles, writeRepo, type SinkDoc } from './helpers/index.js';
import { mutating } from './helpers/account.js';

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const SEED: EmulatorSeed = {
  sinks: [
    { sid: sid('DG', 1), description: managed('Same', 'same'), sink_type: 'webhook', sink_configuration: hook('same') },
    { sid: sid('DG', 2), description: managed('Held', 'held'), sink_type: 'webhook', sink_configuration: hook('held') },
  ],
  subscriptions: [{ sid: sid('DF', 1), description: 'someone else\'s', sink_sid: sid('DG', 2) }],
};
const SAME: SinkDoc = { name: 'same', description: 'Same', sink_type: 'webhook', sink_configuration: hook('same') };

describe('plan --detailed-exitcode', () => {
  it('exits 0 when the only difference is a blocked delete, which the plan still shows; 2 once something would run', async () => {
    const emu = await startE2eEmulator(SEED);
    const cwd = await writeRepo({ 'sinks/same.yaml': SAME });

    const blocked = await runCli(['plan', '--detailed-exitcode'], { cwd, env: emu.env });
    expect(blocked.stderr).toBe('');
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toMatch(/^\s+! sink "held" \(DG0+2, active\)/m);
    expect(blocked.stdout).toContain(`in use by subscription ${sid('DF', 1)}`);
    expect(blocked.stdout).toContain('Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 blocked.');
    const json = await runCli(['plan', '--detailed-exitcode', '--format', 'json'], { cwd, env: emu.env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).summary).toMatchObject({ blocked: 1, noop: 1 });

    // Apply has nothing to send: no lease, no request that changes anything; the blocked delete is reported (exit 3).
    const apply = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(apply.code).toBe(3);
    expect(apply.stdout).toContain('Apply complete: 0 applied, 1 blocked, 0 failed.');
    expect(mutating(await emu.requests())).toEqual([]);

    await writeFiles(cwd, { 'sinks/new.yaml': { name: 'new', description: 'New', sink_type: 'webhook', sink_configuration: hook('new') } });
    const runnable = await runCli(['plan', '--detailed-exitcode'], { cwd, env: emu.env });
    expect(runnable.code).toBe(2);
    expect(runnable.stdout).toContain('Plan: 1 to create, 0 to update, 0 to replace, 0 to delete, 1 blocked.');
  });
});
