/**
 * `--local` end to end: the project's own `sinks/` in a fresh directory, no credentials in the
 * environment. The first plan seeds `.sinkops/local-account.json` with every kind of action; later
 * runs reuse it, so plan → apply → plan works offline (SPEC §5).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { copyIntoRepo, E2E_TEST_TIMEOUT_MS, expectNoSecrets, REPO_ROOT, runCli, type CliResult } from './helpers/index.js';

const STATE = join('.sinkops', 'local-account.json');
/** The project's sinks take their secrets from these; apply needs them, plan does not. */
const SINK_SECRETS = { KINESIS_EXTERNAL_ID: 'kinesis-ext-LOCAL-SECRET-6b2f', SEGMENT_WRITE_KEY: 'segment-wk-LOCAL-SECRET-0c9d' };

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

let cwd: string;
const runs: Record<string, CliResult> = {};
const states: Record<string, string> = {};

beforeAll(async () => {
  cwd = await copyIntoRepo(join(REPO_ROOT, 'sinks'));
  const stackCwd = await copyIntoRepo(join(REPO_ROOT, 'sinks'));
  const stacked = runCli(['plan', '--local', '--stack', 'blue', '--format', 'json'], { cwd: stackCwd });
  stacked.catch(() => undefined);
  // In sequence: each run reads the state the previous one left.
  runs.first = await runCli(['plan', '--local'], { cwd });
  states.first = readFileSync(join(cwd, STATE), 'utf8');
  runs.second = await runCli(['plan', '--local', '--format', 'json'], { cwd });
  states.second = readFileSync(join(cwd, STATE), 'utf8');
  runs.apply = await runCli(['apply', '--local', '--yes'], { cwd, env: SINK_SECRETS });
  states.applied = readFileSync(join(cwd, STATE), 'utf8');
  runs.after = await runCli(['plan', '--local', '--format', 'json', '--detailed-exitcode'], { cwd, env: SINK_SECRETS });
  runs.stacked = await stacked;
});

describe('plan --local', () => {
  it('needs no credentials and shows every kind of action against the seeded local account', () => {
    const r = runs.first!;
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/Error|credentials/);
    expect(r.stdout).toMatch(/^\s+\+ sink "marketing-segment"/m);
    expect(r.stdout).toMatch(/^\s+~ sink "orders-webhook" \(DG0+1, active\)/m);
    expect(r.stdout).toMatch(/^\s+\+\/- sink "analytics-kinesis" \(DG0+2, active\)/m);
    expect(r.stdout).toMatch(/^\s+- sink "legacy-orders" \(DG0+3, active\)/m);
    expect(r.stdout).toMatch(/^\s+! sink "audit-trail" \(DG0+4, active\)/m);
    expect(r.stdout).toMatch(/cannot be deleted: in use by subscription DF0+1/);
    expect(r.stdout).toMatch(/Unmanaged sinks \(2, never changed by sinkops\):\n\s+DG0+5\s+email\s.*\n\s+DG0+6\s+webhook\s/);
    expect(r.stdout).toContain('Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 blocked.');
    // A subscription change, under its sink (SPEC §13): a version, an event added, one removed.
    expect(r.stdout).toMatch(/^\s+~ subscription "order-status" \(DF0+2\)/m);
    expect(r.stdout).toContain('~ com.twilio.messaging.message.delivered = 1 -> 2');
    expect(r.stdout).toContain('+ com.twilio.messaging.message.failed = 2');
    expect(r.stdout).toContain('- com.twilio.messaging.inbound-message.received = 1');
    expect(r.stdout).toContain('Subscriptions: 0 to create, 1 to update, 0 to move, 0 to delete.');
    expect(existsSync(join(cwd, STATE))).toBe(true);
  });

  it('reuses the local account on the next run: same sinks, same basis, state untouched', () => {
    const r = runs.second!;
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ create: 1, update: 1, replace: 1, delete: 1, blocked: 1 });
    expect(runs.first!.stdout).toContain(`Remote basis: ${doc.basis}`);
    expect(states.second).toBe(states.first); // read, not seeded again
  });

  it('after apply --local --yes, plans no change but the blocked delete', () => {
    expect(runs.apply!.stderr).not.toContain('Error');
    expect(runs.apply!.code).toBe(3); // finished, but the in-use sink could not be deleted
    // Apply (secrets now set) did what the first plan (secrets unknown) showed.
    expect(runs.apply!.stdout).toContain('Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 blocked.');
    expect(runs.apply!.stdout).toContain('Apply complete: 5 applied, 1 blocked, 0 failed.');
    expect(states.applied).not.toBe(states.second);
    const r = runs.after!;
    expect(r.code).toBe(0); // only the blocked delete is left: an apply would send nothing (SPEC §9)
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toEqual({ create: 0, update: 0, adopt: 0, replace: 0, delete: 0, noop: 3, blocked: 1 });
    expect(doc.actions).toEqual([expect.objectContaining({ action: 'blocked', name: 'audit-trail', subscriptions: ['DF00000000000000000000000000000001'] })]);
    // The local account follows Twilio as it is: the replacement kinesis sink is active at once,
    // so nothing is left to activate.
    expect(doc.warnings).toEqual([]);
  });

  it('seeds a new local account for the --stack it is first run with', () => {
    const r = runs.stacked!;
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ create: 1, update: 1, replace: 1, delete: 1, blocked: 1 });
    expect(doc.actions.find((a: any) => a.action === 'update').after.description).toMatch(/ \[sinkops:blue\/orders-webhook\]$/);
  });

  it('keeps the sinks’ secrets out of output and the state file', () => {
    const texts: Record<string, string> = { ...Object.fromEntries(Object.entries(states).map(([k, v]) => [`state ${k}`, v])) };
    for (const [k, r] of Object.entries(runs)) {
      texts[`${k} stdout`] = r.stdout;
      texts[`${k} stderr`] = r.stderr;
    }
    expectNoSecrets(texts, Object.values(SINK_SECRETS));
  });
});
