/**
 * The local account's first state (demo-seed.ts), from the project's own sinks/: besides the sink
 * actions, one managed subscription whose events differ from the repository's in every way an
 * event can (a version, an addition, a removal), and the unmanaged subscription that blocks the
 * delete of an in-use sink.
 */
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/desired/load.js';
import type { DesiredSink } from '../../src/desired/model.js';
import { startEmulator } from '../../src/emulator/index.js';
import { demoSeed } from '../../src/local/demo-seed.js';
import { REPO_ROOT } from '../desired/helpers.js';

async function projectSinks(): Promise<readonly DesiredSink[]> {
  const state = await loadDesired('sinks', { cwd: REPO_ROOT, env: {} });
  return state.sinks;
}

describe('demoSeed', () => {
  it('seeds the orders-webhook subscription managed, with one version change, one addition and one removal to come', async () => {
    const sinks = await projectSinks();
    const orders = sinks.find((s) => s.name === 'orders-webhook');
    expect(orders?.subscriptions.map((s) => [s.name, s.events.map((e) => [e.type, e.schemaVersion])])).toEqual([
      [
        'order-status',
        [
          ['com.twilio.messaging.message.delivered', 2],
          ['com.twilio.messaging.message.failed', 2],
        ],
      ],
    ]);
    const seed = demoSeed(sinks);
    expect(seed.subscriptions).toEqual([
      {
        sid: 'DF00000000000000000000000000000001',
        description: 'Audit: every call event',
        sink_sid: 'DG00000000000000000000000000000004',
        types: [{ type: 'com.twilio.voice.status-callback.call.completed', schema_version: 1 }],
      },
      {
        sid: 'DF00000000000000000000000000000002',
        description: 'Delivery receipts for orders [sinkops:orders-webhook#order-status]',
        sink_sid: 'DG00000000000000000000000000000001',
        types: [
          { type: 'com.twilio.messaging.message.delivered', schema_version: 1 },
          { type: 'com.twilio.messaging.inbound-message.received', schema_version: 1 },
        ],
      },
    ]);
    // The seeded sink the subscription delivers to is orders-webhook's.
    expect(seed.sinks.find((s) => s.sid === 'DG00000000000000000000000000000001')?.description).toMatch(/\[sinkops:orders-webhook\]$/);
  });

  it('marks the subscription for the stack', async () => {
    const seed = demoSeed(await projectSinks(), 'blue');
    expect(seed.subscriptions[1]?.description).toBe('Delivery receipts for orders [sinkops:blue/orders-webhook#order-status]');
  });

  it('is a seed the emulator accepts (every type and version in its catalogue)', async () => {
    const seed = demoSeed(await projectSinks());
    // startEmulator checks its seed and refuses an unknown type or version.
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed });
    await emulator.close();
  });

  it('leaves out declared events the local catalogue does not know, and seeds no subscription when none is left', () => {
    const at = { file: 'x.yaml', line: 1, column: 1 };
    const sink: DesiredSink = {
      name: 'hook',
      description: 'Hook',
      sinkType: 'webhook',
      sinkConfiguration: { destination: { value: 'https://e.org', sensitive: false, envRefs: [] } },
      subscriptions: [
        { name: 'a-unknown', description: 'A', events: [{ type: 'com.example.nope', schemaVersion: 1, source: at }], source: at },
        {
          name: 'b-known',
          description: 'B',
          events: [
            { type: 'com.example.nope', schemaVersion: 1, source: at },
            { type: 'com.twilio.messaging.inbound-message.received', schemaVersion: 1, source: at },
          ],
          source: at,
        },
      ],
      source: at,
    };
    expect(demoSeed([sink]).subscriptions[1]).toEqual({
      sid: 'DF00000000000000000000000000000002',
      description: 'B [sinkops:hook#b-known]',
      sink_sid: 'DG00000000000000000000000000000001',
      // Version 1 has none below it: the next one; the spare type is one it does not declare.
      types: [
        { type: 'com.twilio.messaging.inbound-message.received', schema_version: 2 },
        { type: 'com.twilio.messaging.message.failed', schema_version: 1 },
      ],
    });
    const none = demoSeed([{ ...sink, subscriptions: [sink.subscriptions[0]!] }]);
    expect(none.subscriptions).toHaveLength(1);
  });
});
