/** One plan with every action kind, built by the real planner from plain data. */
import type { Plan } from '../../src/plan/model.js';
import { plan } from '../../src/plan/plan.js';
import { PLAN, desired, dfSid, lit, remote, secret, sid, state } from '../plan/helpers.js';

/** Secrets that must appear in no rendered output. */
export const SECRETS = ['REMOTE-EXTERNAL-ID-s3cr3t', 'DESIRED-EXTERNAL-ID-n3w', 'SEGMENT-WRITE-KEY-abc123', 'REMOTE-WRITE-KEY-old'];

export const HOSTILE = 'Ops <script>alert(1)</script> | `rm -rf` *bold* _it_ [x](http://evil) @admins\n# heading & more';

export function fixturePlan(): Plan {
  const kinesis = {
    arn: lit('arn:aws:kinesis:us-east-1:111111111:stream/orders'),
    role_arn: lit('arn:aws:iam::111111111:role/Role'),
    external_id: secret('ORDERS_EXTERNAL_ID', 'DESIRED-EXTERNAL-ID-n3w'),
  };
  const desiredSinks = [
    desired('new-hook', { description: 'New webhook', config: { destination: lit('https://example.org/new'), method: lit('POST'), batch_events: lit(true) } }),
    desired('billing', { description: 'Billing events (renamed text)' }),
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
  ];
  return plan(desiredSinks, state(sinks, { [sid(0xe2)]: [dfSid(0x11), dfSid(0x12)], [sid(0xe3)]: [dfSid(0x13)] }), PLAN);
}
