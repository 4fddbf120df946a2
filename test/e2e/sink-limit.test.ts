/**
 * Twilio's sink limit end to end (SPEC §12). The emulator refuses a create beyond its limit (100,
 * error 91003) as Twilio does, so an apply that completes is the proof that it never passed it.
 */
import { describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_TEST_TIMEOUT_MS, managed, runCli, sid, startE2eEmulator, writeRepo, type SinkDoc } from './helpers/index.js';
import { createSink, expectConverged, listSinks, mutating, subscribe } from './helpers/account.js';

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });

/** `count` sinks of somebody else's, which no plan touches. */
function strangers(count: number): EmulatorSeed['sinks'] {
  return Array.from({ length: count }, (_, i) => ({ sid: sid('DG', 0x1000 + i), description: `Someone else's ${i}`, sink_type: 'webhook', sink_configuration: hook(`other-${i}`) }));
}

const doc = (name: string, path = name): SinkDoc => ({ name, description: name, sink_type: 'webhook', sink_configuration: hook(path) });

describe('the sink limit', () => {
  it('refuses, in the plan, creates that would pass 100 sinks, and apply sends nothing', async () => {
    const emu = await startE2eEmulator({ sinks: strangers(99), subscriptions: [] });
    const cwd = await writeRepo({ 'sinks/a.yaml': doc('a'), 'sinks/b.yaml': doc('b') });
    const planned = await runCli(['plan'], { cwd, env: emu.env });
    expect(planned.code).toBe(1);
    expect(planned.stdout).toContain('would need 101 sinks at once, more than the 100 the account may hold');
    expect(planned.stdout).toContain('(SINK_LIMIT)');
    expect(planned.stdout).toMatch(/sinks\/a\.yaml:1:1: /);

    await emu.clearRequests();
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code).toBe(1);
    expect(mutating(await emu.requests())).toEqual([]);
    expect(await listSinks(emu)).toHaveLength(99);
  });

  it('prunes before it creates when that keeps the account within 100, and ends at exactly 100', async () => {
    const emu = await startE2eEmulator({
      sinks: [
        ...strangers(97),
        { sid: sid('DG', 1), description: managed('Gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
        { sid: sid('DG', 2), description: managed('kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
      ],
      subscriptions: [],
    });
    const desired = [doc('kept'), doc('a'), doc('b')];
    const cwd = await writeRepo({ 'sinks/all.yaml': desired });
    const planned = await runCli(['plan'], { cwd, env: emu.env });
    expect(planned.code, planned.stdout).toBe(0);
    expect(planned.stdout).toContain('deletes 1 sink before it creates any');

    await emu.clearRequests();
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    // No slot is left for the lease at the peak: the apply says so and goes on without it.
    expect(applied.stdout).toContain('leaves no slot for the apply lease');
    const sent = mutating(await emu.requests()).map((r) => `${r.method} ${r.path.replace(/DG[0-9a-f]{32}/, 'DG…')}`);
    expect(sent).toEqual(['DELETE /v1/Sinks/DG…', 'POST /v1/Sinks', 'POST /v1/Sinks']);
    expect(await listSinks(emu)).toHaveLength(100);
    await expectConverged(emu, desired);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd, env: emu.env })).code).toBe(0);
  });

  it('refuses a saved plan that no longer fits because the account gained a sink since', async () => {
    const emu = await startE2eEmulator({
      sinks: [
        ...strangers(97),
        { sid: sid('DG', 1), description: managed('Gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
        { sid: sid('DG', 2), description: managed('kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
      ],
      subscriptions: [],
    });
    const cwd = await writeRepo({ 'sinks/all.yaml': [doc('kept'), doc('a'), doc('b')] });
    expect((await runCli(['plan', '--out', 'plan.json'], { cwd, env: emu.env })).code).toBe(0);
    await createSink(emu, 'Someone added this in the Console', 'webhook', hook('console'));
    await emu.clearRequests();
    const applied = await runCli(['apply', 'plan.json', '--yes'], { cwd, env: emu.env });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('the account holds 100 sinks of 100 now (99 of 100 when planned)');
    expect(applied.stderr).toContain('would need 101 sinks at once');
    expect(mutating(await emu.requests())).toEqual([]);
  });

  it('takes the lease as usual when the account has room for it', async () => {
    const emu = await startE2eEmulator({ sinks: strangers(97), subscriptions: [] });
    const cwd = await writeRepo({ 'sinks/all.yaml': [doc('a'), doc('b')] });
    await emu.clearRequests();
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).not.toContain('lease');
    // The lease is created first and deleted last: 97 + lease + 2 = 100 at the peak.
    const sent = mutating(await emu.requests());
    expect(sent[0]?.method).toBe('POST');
    expect(sent.at(-1)?.method).toBe('DELETE');
    expect(sent).toHaveLength(4);
  });

  it('replaces a sink no subscription uses by deleting it first, when the account is full', async () => {
    const emu = await startE2eEmulator({
      sinks: [...strangers(99), { sid: sid('DG', 1), description: managed('a', 'a'), sink_type: 'webhook', sink_configuration: hook('a-v1') }],
      subscriptions: [],
    });
    const desired = [doc('a', 'a-v2')];
    const cwd = await writeRepo({ 'sinks/a.yaml': desired });
    const planned = await runCli(['plan'], { cwd, env: emu.env });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('is deleted first (the sink limit leaves no room for both; no subscription uses it), then a new sink is created');

    await emu.clearRequests();
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const sent = mutating(await emu.requests()).map((r) => `${r.method} ${r.path}`);
    expect(sent).toEqual([`DELETE /v1/Sinks/${sid('DG', 1)}`, 'POST /v1/Sinks']);
    await expectConverged(emu, desired);
    expect(await listSinks(emu)).toHaveLength(100);
  });

  it('does not replace a sink in use in a full account: the plan names the subscription that holds it', async () => {
    const emu = await startE2eEmulator({
      sinks: [...strangers(99), { sid: sid('DG', 1), description: managed('a', 'a'), sink_type: 'webhook', sink_configuration: hook('a-v1') }],
      subscriptions: [],
    });
    const holder = await subscribe(emu, sid('DG', 1));
    const cwd = await writeRepo({ 'sinks/a.yaml': doc('a', 'a-v2') });
    const planned = await runCli(['plan'], { cwd, env: emu.env });
    expect(planned.stdout).toContain(`cannot be replaced: in use by subscription ${holder}`);
    await emu.clearRequests();
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code).toBe(3);
    expect(mutating(await emu.requests())).toEqual([]);
  });

  it('reports Twilio\'s 91003 when the limit given to sinkops is higher than the account\'s', async () => {
    const emu = await startE2eEmulator({ sinks: strangers(99), subscriptions: [] });
    const cwd = await writeRepo({ 'sinks/all.yaml': [doc('a'), doc('b')] });
    const applied = await runCli(['apply', '--yes', '--sink-limit', '101'], { cwd, env: emu.env });
    expect(applied.code).toBe(1);
    expect(applied.stdout + applied.stderr).toContain('Twilio API error 91003 (HTTP 400)');
    expect(await listSinks(emu)).toHaveLength(100);
  });
});

describe('--replace NAME', () => {
  const desired = [doc('orders-webhook'), doc('billing')];
  const seed: EmulatorSeed = {
    sinks: [
      { sid: sid('DG', 1), description: managed('orders-webhook', 'orders-webhook'), sink_type: 'webhook', sink_configuration: hook('orders-webhook') },
      { sid: sid('DG', 2), description: managed('billing', 'billing'), sink_type: 'webhook', sink_configuration: hook('billing') },
    ],
    subscriptions: [],
  };

  it('replaces an up-to-date sink, shown as +/- with the reason, in the text and the JSON plan', async () => {
    const emu = await startE2eEmulator(seed);
    const cwd = await writeRepo({ 'sinks/all.yaml': desired });
    const text = await runCli(['plan', '--replace', 'orders-webhook'], { cwd, env: emu.env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('+/- sink "orders-webhook"');
    expect(text.stdout).toContain('replacement requested');
    expect(text.stdout).toContain('Plan: 0 to create, 0 to update, 1 to replace, 0 to delete.');
    const json = JSON.parse((await runCli(['plan', '--replace', 'orders-webhook', '--format', 'json'], { cwd, env: emu.env })).stdout);
    expect(json.actions).toHaveLength(1);
    expect(json.actions[0]).toMatchObject({ action: 'replace', name: 'orders-webhook', reasons: [{ kind: 'replace-requested' }] });

    const applied = await runCli(['apply', '--yes', '--replace', 'orders-webhook'], { cwd, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const sinks = await expectConverged(emu, desired);
    expect(sinks.get('orders-webhook')?.sid).not.toBe(sid('DG', 1));
    expect(sinks.get('billing')?.sid).toBe(sid('DG', 2));
  });

  it('refuses a name that is not in the repository, suggesting the closest', async () => {
    const emu = await startE2eEmulator(seed);
    const cwd = await writeRepo({ 'sinks/all.yaml': desired });
    const r = await runCli(['plan', '--replace', 'orders-webhok'], { cwd, env: emu.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--replace orders-webhok: no sink of that name in sinks; did you mean 'orders-webhook'?");
    expect(mutating(await emu.requests())).toEqual([]);
  });
});
