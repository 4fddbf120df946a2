/**
 * Subscriptions as code end to end (SPEC §13): the CLI in-process against the emulator.
 */
import { describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed } from '../../src/emulator/index.js';
import { E2E_TEST_TIMEOUT_MS, managed, runCli, sid, startE2eEmulator, writeRepo, type SinkDoc } from './helpers/index.js';
import { listSinks, listSubscriptions, markerName, mutating } from './helpers/account.js';

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

const DELIVERED = 'com.twilio.messaging.message.delivered';
const FAILED = 'com.twilio.messaging.message.failed';
const INBOUND = 'com.twilio.messaging.inbound-message.received';
const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const subMarker = (sink: string, name: string) => `[sinkops:${sink}#${name}]`;

type Sub = { name: string; description: string; events: Record<string, number>; sid?: string };
const sink = (name: string, path: string, subscriptions: Sub[] = []): SinkDoc & { subscriptions: Sub[] } => ({
  name,
  description: name,
  sink_type: 'webhook',
  sink_configuration: hook(path),
  subscriptions,
});

/** The managed subscriptions of the account: `sink#name` → its sink SID and events. */
async function managedSubscriptions(emu: Awaited<ReturnType<typeof startE2eEmulator>>): Promise<Map<string, { sid: string; sinkSid: string; events: Record<string, number> }[]>> {
  const out = new Map<string, { sid: string; sinkSid: string; events: Record<string, number> }[]>();
  for (const s of await listSubscriptions(emu)) {
    const description = (await emu.api('GET', `/v1/Subscriptions/${s.sid}`)).body.description as string;
    const name = markerName(description);
    if (name === undefined) continue;
    const types = (await emu.api('GET', `/v1/Subscriptions/${s.sid}/SubscribedEvents?PageSize=1000`)).body.types as { type: string; schema_version: number }[];
    out.set(name, [...(out.get(name) ?? []), { sid: s.sid, sinkSid: s.sink_sid, events: Object.fromEntries(types.map((t) => [t.type, t.schema_version])) }]);
  }
  return out;
}

describe('subscriptions as code', () => {
  it('plan → apply → plan is clean for every kind of subscription change', async () => {
    const seed: EmulatorSeed = {
      sinks: [
        { sid: sid('DG', 1), description: managed('kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
        { sid: sid('DG', 2), description: managed('moved', 'moved'), sink_type: 'webhook', sink_configuration: hook('moved-v1') },
        { sid: sid('DG', 3), description: managed('gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
      ],
      subscriptions: [
        { sid: sid('DF', 1), description: `Status ${subMarker('kept', 'status')}`, sink_sid: sid('DG', 1), types: [{ type: DELIVERED, schema_version: 1 }, { type: INBOUND, schema_version: 1 }] },
        { sid: sid('DF', 2), description: `Old ${subMarker('kept', 'old')}`, sink_sid: sid('DG', 1), types: [{ type: FAILED, schema_version: 1 }] },
        { sid: sid('DF', 3), description: `Feed ${subMarker('moved', 'feed')}`, sink_sid: sid('DG', 2), types: [{ type: INBOUND, schema_version: 1 }] },
        { sid: sid('DF', 4), description: `Gone ${subMarker('gone', 'feed')}`, sink_sid: sid('DG', 3), types: [{ type: INBOUND, schema_version: 1 }] },
      ],
    };
    const emu = await startE2eEmulator(seed);
    const desired = [
      sink('kept', 'kept', [{ name: 'status', description: 'Status', events: { [DELIVERED]: 2, [FAILED]: 2 } }]),
      sink('moved', 'moved-v2', [{ name: 'feed', description: 'Feed', events: { [INBOUND]: 1 } }]),
      sink('fresh', 'fresh', [{ name: 'all', description: 'All', events: { [DELIVERED]: 1 } }]),
    ];
    const cwd = await writeRepo({ 'sinks/all.yaml': desired });

    const planned = await runCli(['plan', '--format', 'json'], { cwd, env: emu.env });
    expect(planned.code, planned.stderr).toBe(0);
    const doc = JSON.parse(planned.stdout);
    expect(doc.format_version).toBe(2);
    expect(doc.subscription_summary).toEqual({ create: 1, update: 1, move: 1, delete: 2, noop: 0 });
    const text = await runCli(['plan'], { cwd, env: emu.env });
    expect(text.stdout).toContain(`~ ${DELIVERED} = 1 -> 2`);
    expect(text.stdout).toContain(`+ ${FAILED} = 2`);
    expect(text.stdout).toContain(`- ${INBOUND} = 1`);

    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const again = await runCli(['plan', '--detailed-exitcode'], { cwd, env: emu.env });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes.');

    const subs = await managedSubscriptions(emu);
    expect([...subs.keys()].sort()).toEqual(['fresh#all', 'kept#status', 'moved#feed']);
    for (const group of subs.values()) expect(group).toHaveLength(1);
    expect(subs.get('kept#status')?.[0]).toMatchObject({ sid: sid('DF', 1), events: { [DELIVERED]: 2, [FAILED]: 2 } });
    const sinks = await listSinks(emu);
    const sinkOf = (name: string) => sinks.find((s) => markerName(s.description) === name)?.sid;
    expect(subs.get('moved#feed')?.[0]?.sinkSid).toBe(sinkOf('moved'));
    expect(subs.get('fresh#all')?.[0]?.sinkSid).toBe(sinkOf('fresh'));
    expect(sinkOf('gone')).toBeUndefined();
  });

  it('replaces a webhook its managed subscription uses: new sink → new subscription → old subscription deleted → old sink deleted', async () => {
    const emu = await startE2eEmulator({
      sinks: [{ sid: sid('DG', 1), description: managed('orders', 'orders'), sink_type: 'webhook', sink_configuration: hook('v1') }],
      subscriptions: [{ sid: sid('DF', 1), description: `Status ${subMarker('orders', 'status')}`, sink_sid: sid('DG', 1), types: [{ type: DELIVERED, schema_version: 2 }] }],
    });
    const cwd = await writeRepo({ 'sinks/orders.yaml': sink('orders', 'v2', [{ name: 'status', description: 'Status', events: { [DELIVERED]: 2 } }]) });
    const planned = await runCli(['plan'], { cwd, env: emu.env });
    expect(planned.stdout).toContain('+/- subscription "status"');
    expect(planned.stdout).toContain('events may arrive twice');

    await emu.clearRequests();
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    // The lease aside (its own sink, created first and deleted last):
    const sent = mutating(await emu.requests()).slice(1, -1).map((r) => `${r.method} ${r.path.replace(/D[GF][0-9a-f]{32}/, (s) => (s === sid('DG', 1) ? 'old-sink' : s === sid('DF', 1) ? 'old-subscription' : s.slice(0, 2)))}`);
    expect(sent).toEqual(['POST /v1/Sinks', 'POST /v1/Subscriptions', 'DELETE /v1/Subscriptions/old-subscription', 'DELETE /v1/Sinks/old-sink']);

    const subs = await managedSubscriptions(emu);
    const [sinkNow] = (await listSinks(emu)).filter((s) => markerName(s.description) === 'orders');
    expect(subs.get('orders#status')).toEqual([{ sid: expect.not.stringMatching(sid('DF', 1)), sinkSid: sinkNow?.sid, events: { [DELIVERED]: 2 } }]);
    expect(sinkNow?.sid).not.toBe(sid('DG', 1));
  });

  it('keeps a replace blocked while an unmanaged subscription uses the sink: exit 3, both untouched', async () => {
    const emu = await startE2eEmulator({
      sinks: [{ sid: sid('DG', 1), description: managed('orders', 'orders'), sink_type: 'webhook', sink_configuration: hook('v1') }],
      subscriptions: [
        { sid: sid('DF', 1), description: `Status ${subMarker('orders', 'status')}`, sink_sid: sid('DG', 1), types: [{ type: DELIVERED, schema_version: 2 }] },
        { sid: sid('DF', 2), description: 'Made in the Console', sink_sid: sid('DG', 1), types: [{ type: FAILED, schema_version: 1 }] },
      ],
    });
    const cwd = await writeRepo({ 'sinks/orders.yaml': sink('orders', 'v2', [{ name: 'status', description: 'Status', events: { [DELIVERED]: 2 } }]) });
    const planned = await runCli(['plan'], { cwd, env: emu.env });
    expect(planned.stdout).toContain(`in use by subscription ${sid('DF', 2)}, which sinkops does not manage (declare it under this sink with \`sid: ${sid('DF', 2)}\``);
    await emu.clearRequests();
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(3);
    expect(mutating(await emu.requests())).toEqual([]);
    expect((await listSinks(emu)).map((s) => s.sid)).toEqual([sid('DG', 1)]);
    expect((await listSubscriptions(emu)).map((s) => s.sid).sort()).toEqual([sid('DF', 1), sid('DF', 2)]);
  });

  it('under the legacy activation flow, a subscription on a kinesis sink waits for `activate`', async () => {
    const emu = await startE2eEmulator(undefined, { activation: 'legacy' });
    const stream = {
      name: 'stream',
      description: 'stream',
      sink_type: 'kinesis',
      sink_configuration: { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/s', role_arn: 'arn:aws:iam::111111111111:role/r', external_id: '${EXT_ID}' },
      subscriptions: [{ name: 'status', description: 'Status', events: { [DELIVERED]: 2 } }],
    };
    const cwd = await writeRepo({ 'sinks/stream.yaml': stream as never });
    const env = { ...emu.env, EXT_ID: 'ext-id-legacy-1' };
    // The new sink starts initialized: Twilio refuses the subscription (91100), which is blocked, not failed.
    const first = await runCli(['apply', '--yes'], { cwd, env });
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(first.stdout).toContain('stream is not active yet: run `sinkops activate stream`, then apply again');
    // The next plan says the subscription waits, and proposes nothing it cannot do.
    const again = await runCli(['plan'], { cwd, env });
    expect(again.stdout).toContain('stream#status: waits until stream');
    expect(again.stdout).toContain('No changes.');
    expect(await listSubscriptions(emu)).toEqual([]);
  });

  it('refuses an unknown event type at file:line:column with a did-you-mean, and sends nothing', async () => {
    const emu = await startE2eEmulator();
    const cwd = await writeRepo({
      'sinks/orders.yaml': sink('orders', 'v1', [{ name: 'status', description: 'Status', events: { 'com.twilio.messaging.message.delivred': 2 } }]),
    });
    const planned = await runCli(['plan'], { cwd, env: emu.env });
    expect(planned.code).toBe(1);
    expect(planned.stdout).toMatch(/sinks\/orders\.yaml:\d+:\d+: orders#status: com\.twilio\.messaging\.message\.delivred is not an event type Twilio has; did you mean com\.twilio\.messaging\.message\.delivered\?/);
    const applied = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(applied.code).toBe(1);
    expect(mutating(await emu.requests())).toEqual([]);
  });
});
