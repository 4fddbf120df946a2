/** One plan with every action kind, built by the real planner from plain data. */
import type { DesiredSink } from '../../src/desired/model.js';
import type { Plan } from '../../src/plan/model.js';
import type { RemoteState } from '../../src/remote/model.js';
import { plan } from '../../src/plan/plan.js';
import { CATALOGUE, PLAN, desired, dfSid, lit, remote, remoteSubscription, secret, sid, state, subscription } from '../plan/helpers.js';

/** Secrets that must appear in no rendered output. */
export const SECRETS = ['REMOTE-EXTERNAL-ID-s3cr3t', 'DESIRED-EXTERNAL-ID-n3w', 'SEGMENT-WRITE-KEY-abc123', 'REMOTE-WRITE-KEY-old'];

export const HOSTILE = 'Ops <script>alert(1)</script> | `rm -rf` *bold* _it_ [x](http://evil) @admins\n# heading & more';

/** The repository and the account the fixture plan is made from. */
export function fixtureWorld(): { desired: DesiredSink[]; account: RemoteState } {
  const kinesis = {
    arn: lit('arn:aws:kinesis:us-east-1:111111111:stream/orders'),
    role_arn: lit('arn:aws:iam::111111111:role/Role'),
    external_id: secret('ORDERS_EXTERNAL_ID', 'DESIRED-EXTERNAL-ID-n3w'),
  };
  const DELIVERED = 'com.twilio.messaging.message.delivered';
  const FAILED = 'com.twilio.messaging.message.failed';
  const INBOUND = 'com.twilio.messaging.inbound-message.received';
  const desiredSinks = [
    desired('new-hook', {
      description: 'New webhook',
      config: { destination: lit('https://example.org/new'), method: lit('POST'), batch_events: lit(true) },
      subscriptions: [subscription('all-status', { [DELIVERED]: 2, [FAILED]: 2 })],
    }),
    desired('billing', { description: 'Billing events (renamed text)', subscriptions: [subscription('receipts', { [DELIVERED]: 2, [FAILED]: 2 })] }),
    desired('moving', { description: 'Moving hook', config: { destination: lit('https://example.org/moving-v2'), method: lit('POST') }, subscriptions: [subscription('inbound', { [INBOUND]: 1 })] }),
    desired('adopted', { description: 'Adopted hook', sid: sid(0xa1), config: { destination: lit('https://example.org/adopted'), method: lit('POST') } }),
    desired('adopted-moved', { description: 'Moved hook', sid: sid(0xa2), config: { destination: lit('https://example.org/moved-new'), method: lit('GET') } }),
    desired('orders-stream', { type: 'kinesis', description: 'Orders stream', config: kinesis }),
    desired('analytics', { type: 'segment', description: 'Analytics', config: { write_key: secret('SEGMENT_KEY', undefined) } }), // variable not set: unknown
    desired('pinned-replace', { description: 'In use', config: { destination: lit('https://example.org/v2'), method: lit('POST') } }),
  ];
  const sinks = [
    remote(0xb1, { name: 'billing', description: 'Billing events', status: 'validating', config: { destination: 'https://example.org/billing', method: 'POST' } }),
    remote(0xa1, { description: HOSTILE, config: { destination: 'https://example.org/adopted', method: 'POST' } }),
    remote(0xa2, { description: 'Console hook', config: { destination: 'https://example.org/moved', method: 'POST' } }),
    remote(0xc1, {
      name: 'orders-stream',
      description: 'Orders stream',
      type: 'kinesis',
      status: 'initialized',
      config: { arn: 'arn:aws:kinesis:us-east-1:111111111:stream/orders', role_arn: 'arn:aws:iam::111111111:role/Role', external_id: 'REMOTE-EXTERNAL-ID-s3cr3t' },
    }),
    remote(0xd1, { name: 'analytics', description: 'Analytics', type: 'segment', config: { write_key: 'SEGMENT-WRITE-KEY-abc123' } }),
    remote(0xe1, { name: 'old-hook', description: 'Old hook' }),
    remote(0xe2, { name: 'legacy', description: 'Legacy hook' }),
    remote(0xe3, { name: 'pinned-replace', description: 'In use', config: { destination: 'https://example.org/v1', method: 'POST' } }),
    remote(0xf1, { type: 'email', description: HOSTILE, config: { to: 'ops@example.org' } }),
    remote(0xf2, { type: 'segment', description: 'Other team [sinkops:dev/analytics]', config: { write_key: 'REMOTE-WRITE-KEY-old' } }),
    remote(0xe4, { name: 'moving', description: 'Moving hook', config: { destination: 'https://example.org/moving-v1', method: 'POST' } }),
  ];
  const subscriptions = [
    remoteSubscription(0x21, sid(0xb1), { sink: 'billing', name: 'receipts' }, 'Receipts'),
    remoteSubscription(0x22, sid(0xb1), { sink: 'billing', name: 'old-feed' }, 'Old feed'),
    remoteSubscription(0x23, sid(0xe4), { sink: 'moving', name: 'inbound' }, 'inbound events'),
  ];
  const subscribedEvents = new Map([
    [dfSid(0x21), [{ type: DELIVERED, schemaVersion: 1 }, { type: INBOUND, schemaVersion: 1 }]],
    [dfSid(0x22), [{ type: FAILED, schemaVersion: 1 }]],
    [dfSid(0x23), [{ type: INBOUND, schemaVersion: 1 }]],
  ]);
  const account = state(sinks, { [sid(0xe2)]: [dfSid(0x11), dfSid(0x12)], [sid(0xe3)]: [dfSid(0x13)] }, { subscriptions, subscribedEvents, ...CATALOGUE });
  return { desired: desiredSinks, account };
}

/** The fixture planned: every action kind, of sinks and of subscriptions. */
export function fixturePlan(): Plan {
  const { desired: wanted, account } = fixtureWorld();
  return plan(wanted, account, PLAN);
}
