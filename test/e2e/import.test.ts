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
import { listSubscriptions, mutating, withinLease, type ApiSubscription } from './helpers/account.js';

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

/**
 * Subscriptions (SPEC §13): import writes, under each sink it imports, the subscriptions that
 * deliver to it, pinned by `sid:` and with their events read from SubscribedEvents (one list per
 * subscription of an imported sink, none for the others); the plan that follows adopts them with
 * no event change, and after the apply nothing is left to do.
 */
describe('import with subscriptions', () => {
  const ORDERS = sid('DG', 1);
  const MANAGED = sid('DG', 2);
  const DIGEST = sid('DG', 3);
  const RECEIPTS = sid('DF', 1);
  const INBOUND = sid('DF', 2);
  const ON_MANAGED = sid('DF', 3);
  const ON_DIGEST = sid('DF', 4);
  let emu: E2eEmulator;
  let cwd: string;
  let imported: { stdout: string; stderr: string; code: number | null };
  let reads: string[];

  function subscriptionSeed(): EmulatorSeed {
    return {
      sinks: [
        { sid: ORDERS, description: 'Orders hook', sink_type: 'webhook', sink_configuration: { destination: 'https://hooks.example.org/orders', method: 'POST' }, status: 'active' },
        { sid: MANAGED, description: 'Managed by another stack [sinkops:green/managed]', sink_type: 'webhook', sink_configuration: { destination: 'https://hooks.example.org/m', method: 'POST' }, status: 'active' },
        { sid: DIGEST, description: 'Email digest', sink_type: 'email', sink_configuration: {} },
      ],
      subscriptions: [
        {
          sid: RECEIPTS,
          description: 'Delivery receipts',
          sink_sid: ORDERS,
          types: [
            { type: 'com.twilio.messaging.message.failed', schema_version: 2 },
            { type: 'com.twilio.messaging.message.delivered', schema_version: 2 },
          ],
        },
        {
          // Console text that breaks the YAML rules, and a marker left from another stack.
          sid: INBOUND,
          description: '<b>Inbound</b>\nmessages [sinkops:blue/orders#inbound]',
          sink_sid: ORDERS,
          types: [{ type: 'com.twilio.messaging.inbound-message.received', schema_version: 1 }],
        },
        { sid: ON_MANAGED, description: 'On the sink of another stack', sink_sid: MANAGED, types: [{ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }] },
        { sid: ON_DIGEST, description: 'On the email sink', sink_sid: DIGEST, types: [{ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }] },
      ],
    };
  }

  beforeAll(async () => {
    emu = await startE2eEmulator(subscriptionSeed());
    cwd = await writeRepo({});
    imported = await runCli(['import', '--out-dir', 'sinks'], { cwd, env: emu.env });
    reads = (await emu.requests()).filter((r) => r.path.includes('/SubscribedEvents')).map((r) => `${r.method} ${r.path.split('?')[0]}`);
  });

  it('writes the subscriptions of the imported sink, pinned, with their events; reads only theirs; changes nothing', async () => {
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`+ sinks/orders-hook.yaml  (${ORDERS}, 2 subscriptions)`);
    const yaml = await readFile(join(cwd, 'sinks', 'orders-hook.yaml'), 'utf8');
    expect(yaml).toContain(
      [
        'subscriptions:',
        '  - name: delivery-receipts',
        '    description: Delivery receipts',
        '    events:',
        '      com.twilio.messaging.message.delivered: 2',
        '      com.twilio.messaging.message.failed: 2',
        `    sid: ${RECEIPTS}`,
        '  - name: inbound-messages',
        '    description: Inbound messages',
        '    events:',
        '      com.twilio.messaging.inbound-message.received: 1',
        `    sid: ${INBOUND}`,
        '',
      ].join('\n'),
    );
    expect(await readdir(join(cwd, 'sinks'))).toEqual(['orders-hook.yaml']);
    expect(reads.sort()).toEqual([`GET /v1/Subscriptions/${RECEIPTS}/SubscribedEvents`, `GET /v1/Subscriptions/${INBOUND}/SubscribedEvents`].sort());
    expect(mutating(await emu.requests())).toEqual([]);
  });

  it('writes a file that validate accepts', async () => {
    const r = await runCli(['validate', '--dir', 'sinks'], { cwd, env: {} });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('plans the adopts (sink and subscriptions) with no event change, then nothing after the apply', async () => {
    const r = await runCli(['plan', '--format', 'json'], { cwd, env: emu.env });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.errors ?? []).toEqual([]);
    expect(plan.summary).toMatchObject({ create: 0, update: 0, adopt: 1, replace: 0, delete: 0, blocked: 0 });
    const changes = plan.subscription_actions.filter((a: { action: string }) => a.action !== 'noop');
    expect(changes.map((a: { name: string; sid: string; reason: string; events: unknown[] }) => [a.name, a.sid, a.reason, a.events])).toEqual([
      ['delivery-receipts', RECEIPTS, 'pinned', []],
      ['inbound-messages', INBOUND, 'pinned', []],
    ]);

    const apply = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(apply.code).toBe(0);
    const after = JSON.parse((await runCli(['plan', '--format', 'json'], { cwd, env: emu.env })).stdout);
    expect(after.summary).toMatchObject({ create: 0, update: 0, adopt: 0, replace: 0, delete: 0, blocked: 0 });
    expect(after.subscription_actions.filter((a: { action: string }) => a.action !== 'noop')).toEqual([]);
    // The unmanaged subscriptions on the sinks import left alone were not touched.
    const subs = (await listSubscriptions(emu)) as (ApiSubscription & { description: string })[];
    expect(subs.map((s) => s.sid).sort()).toEqual([RECEIPTS, INBOUND, ON_MANAGED, ON_DIGEST].sort());
    expect(Object.fromEntries(subs.map((s) => [s.sid, s.description]))).toEqual({
      [RECEIPTS]: 'Delivery receipts [sinkops:orders-hook#delivery-receipts]',
      [INBOUND]: 'Inbound messages [sinkops:orders-hook#inbound-messages]',
      [ON_MANAGED]: 'On the sink of another stack',
      [ON_DIGEST]: 'On the email sink',
    });
  });
});
