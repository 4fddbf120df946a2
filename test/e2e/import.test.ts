/**
 * `sinkops import` end to end: an account of 50 unmanaged sinks of every type sinkops manages (and
 * an email sink it does not) becomes sid-pinned files that `validate` accepts and that `plan` turns
 * into exactly 50 adopts — with the secret variables import names set to the right values, or unset.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_TEST_TIMEOUT_MS, runCli, sid, startE2eEmulator, writeRepo, type E2eEmulator } from './helpers/index.js';
import { mutating, withinLease } from './helpers/account.js';

const TYPES = ['kinesis', 'webhook', 'segment'] as const;

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

/** 50 sinks: descriptions that collide, carry punctuation or Markdown, webhooks in both methods. */
function seed(): EmulatorSeed {
  const sinks: EmulatorSeed['sinks'] = Array.from({ length: 50 }, (_, i) => {
    const type = TYPES[i % 3]!;
    const description = i % 7 === 0 ? 'Shared name' : i % 11 === 0 ? `**Team** <${i}> & co.` : `${type} sink #${i}`;
    const config =
      type === 'kinesis'
        ? { arn: `arn:aws:kinesis:us-east-1:111111111111:stream/s${i}`, role_arn: 'arn:aws:iam::111111111111:role/Twilio', external_id: `ext-${i}-s3cr3t` }
        : type === 'webhook'
          ? { destination: `https://hooks.example.org/${i}`, method: i % 2 === 0 ? 'POST' : 'GET', batch_events: i % 4 === 0 }
          : { write_key: `write-key-${i}-s3cr3t` };
    return { sid: sid('DG', i + 1), description, sink_type: type, sink_configuration: config, status: 'active' };
  });
  sinks.push({ sid: sid('DG', 0xe0), description: 'Email digest', sink_type: 'email', sink_configuration: {} });
  return { sinks, subscriptions: [] };
}

/** The secret each sink holds, by SID. */
function secretsBySid(s: EmulatorSeed): Map<string, string> {
  const out = new Map<string, string>();
  for (const sink of s.sinks) {
    const c = sink.sink_configuration as Record<string, string>;
    const secret = c['external_id'] ?? c['write_key'];
    if (secret !== undefined) out.set(sink.sid!, secret);
  }
  return out;
}

describe('import', () => {
  let emu: E2eEmulator;
  let cwd: string;
  let imported: { stdout: string; code: number | null };

  /** import lists `NAME  (external_id of DG…)` for each variable: each set to that sink's secret. */
  function secretEnv(): Record<string, string> {
    const secrets = secretsBySid(seed());
    const variables = [...imported.stdout.matchAll(/^ {2}([A-Z0-9_]+) {2}\((?:external_id|write_key) of (DG[0-9a-f]{32})\)$/gm)];
    expect(variables).toHaveLength(secrets.size);
    return Object.fromEntries(variables.map(([, name, sinkSid]) => [name!, secrets.get(sinkSid!)!]));
  }

  beforeAll(async () => {
    emu = await startE2eEmulator(seed());
    cwd = await writeRepo({});
    imported = await runCli(['import', '--out-dir', 'sinks'], { cwd, env: emu.env });
  });

  it('writes one sid-pinned file per sink, skips the email sink, and keeps secrets out of files and output', async () => {
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported 50 sinks into sinks/');
    expect(imported.stdout).toContain(`skipped ${sid('DG', 0xe0)}: sink_type email is not managed by sinkops`);
    const files = (await readdir(join(cwd, 'sinks'))).sort();
    expect(files).toHaveLength(50);
    const texts = await Promise.all(files.map((f) => readFile(join(cwd, 'sinks', f), 'utf8')));
    const pinned = texts.map((t) => /^sid: (DG[0-9a-f]{32})$/m.exec(t)?.[1]).sort();
    expect(pinned).toEqual(Array.from({ length: 50 }, (_, i) => sid('DG', i + 1)).sort());
    for (const secret of secretsBySid(seed()).values()) {
      expect(texts.join('\n')).not.toContain(secret);
      expect(imported.stdout).not.toContain(secret);
    }
    expect(mutating(await emu.requests())).toEqual([]);
  });

  it('writes files that validate accepts without a warning', async () => {
    const r = await runCli(['validate', '--dir', 'sinks'], { cwd, env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('plans exactly 50 adopts, with the secret variables unset or set to the right values', async () => {
    for (const extra of [{}, secretEnv()]) {
      await emu.clearRequests();
      const r = await runCli(['plan', '--format', 'json'], { cwd, env: { ...emu.env, ...extra } });
      expect(r.code).toBe(0);
      const plan = JSON.parse(r.stdout);
      expect(plan.summary).toEqual({ create: 0, update: 0, adopt: 50, replace: 0, delete: 0, blocked: 0, noop: 0 });
      expect(plan.actions.filter((a: { action: string; replace?: boolean }) => a.action !== 'adopt' || a.replace === true)).toEqual([]);
      expect(plan.errors ?? []).toEqual([]);
      expect(plan.unmanaged).toEqual([expect.objectContaining({ sid: sid('DG', 0xe0), sink_type: 'email' })]);
      expect(mutating(await emu.requests())).toEqual([]);
    }
  });

  it('imports nothing twice: a sink the repository already pins is skipped (still unmanaged)', async () => {
    const again = await runCli(['import', '--out-dir', 'sinks'], { cwd, env: emu.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Imported 0 sinks into sinks/');
    expect(again.stdout.match(/already in the repository as [a-z0-9-]+ \(sid pin\)/g)).toHaveLength(50);
    expect(await readdir(join(cwd, 'sinks'))).toHaveLength(50);
  });

  it('applies the 50 adopts, after which plan shows no changes', async () => {
    const env = { ...emu.env, ...secretEnv() };
    const apply = await runCli(['apply', '--yes'], { cwd, env });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 50 applied, 0 blocked, 0 failed.');
    const plan = await runCli(['plan'], { cwd, env });
    expect(plan.stdout).toContain('No changes. Twilio sinks match the repository.');
    expect(withinLease(await emu.requests()).filter((r) => r.method === 'DELETE')).toEqual([]);
  });
});
