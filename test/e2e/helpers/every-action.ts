import type { EmulatorSeed } from '../../../src/emulator/index.js';
import { managed, sid } from './emulator.js';
import type { SinkDoc } from './repo.js';

/**
 * A repository and an account that together produce every kind of plan entry (SPEC §4):
 *
 * | name          | account                                  | repository                    | plan      |
 * |---------------|------------------------------------------|-------------------------------|-----------|
 * | new-hook      | —                                        | webhook                       | create    |
 * | orders        | DG…01, managed, older description        | same config, new description  | update    |
 * | billing       | DG…02, unmanaged (no marker)             | `sid:` DG…02, same config     | adopt     |
 * | stream        | DG…03, managed kinesis, old stream ARN   | new ARN, `${E2E_EXTERNAL_ID}` | replace   |
 * | gone          | DG…04, managed, not in use               | —                             | delete    |
 * | held          | DG…05, managed, used by DF…01            | —                             | blocked   |
 * | segment-feed  | DG…07, managed segment, same write key   | `${E2E_WRITE_KEY}`            | noop      |
 * | (email)       | DG…06, email sink, hostile description   | —                             | unmanaged |
 *
 * The secrets are in the account too (as a real account holds them), so a leak through a
 * response body, a log line or a rendered diff would show up in the tests.
 */
export const SECRETS = {
  E2E_EXTERNAL_ID: 'ext-id-e2e-SECRET-41c7d09a',
  E2E_WRITE_KEY: 'write-key-e2e-SECRET-93ab5e10',
} as const;

/** Markdown- and HTML-hostile text from the account, which every renderer must escape. */
export const HOSTILE_DESCRIPTION = '<script>alert("pwned")</script> | col | **bold** `tick`';

export const SIDS = {
  orders: sid('DG', 1),
  billing: sid('DG', 2),
  stream: sid('DG', 3),
  gone: sid('DG', 4),
  held: sid('DG', 5),
  email: sid('DG', 6),
  segmentFeed: sid('DG', 7),
  heldBy: sid('DF', 1),
} as const;

const ROLE = 'arn:aws:iam::111111111111:role/twilio-event-streams';

export function everyActionSeed(): EmulatorSeed {
  return {
    sinks: [
      {
        sid: SIDS.orders,
        description: managed('Orders events (old wording)', 'orders'),
        sink_type: 'webhook',
        sink_configuration: { destination: 'https://example.org/orders', method: 'POST' },
      },
      {
        sid: SIDS.billing,
        description: 'Billing hook made in the Console',
        sink_type: 'webhook',
        sink_configuration: { destination: 'https://example.org/billing', method: 'POST' },
      },
      {
        sid: SIDS.stream,
        description: managed('Analytics stream', 'stream'),
        sink_type: 'kinesis',
        sink_configuration: { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/old', role_arn: ROLE, external_id: SECRETS.E2E_EXTERNAL_ID },
        status: 'active',
      },
      {
        sid: SIDS.gone,
        description: managed('No longer wanted', 'gone'),
        sink_type: 'webhook',
        sink_configuration: { destination: 'https://example.org/gone', method: 'POST' },
      },
      {
        sid: SIDS.held,
        description: managed('Still subscribed', 'held'),
        sink_type: 'webhook',
        sink_configuration: { destination: 'https://example.org/held', method: 'POST' },
      },
      { sid: SIDS.email, description: HOSTILE_DESCRIPTION, sink_type: 'email', sink_configuration: {} },
      {
        sid: SIDS.segmentFeed,
        description: managed('Segment feed', 'segment-feed'),
        sink_type: 'segment',
        sink_configuration: { write_key: SECRETS.E2E_WRITE_KEY },
      },
    ],
    subscriptions: [
      {
        sid: SIDS.heldBy,
        description: 'Keeps held alive',
        sink_sid: SIDS.held,
        types: [{ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }],
      },
    ],
  };
}

/** The repository side, one file per sink (`sinks/<name>.yaml`). */
export function everyActionRepo(): Record<string, SinkDoc> {
  const docs: SinkDoc[] = [
    {
      name: 'new-hook',
      description: 'Brand new hook',
      sink_type: 'webhook',
      sink_configuration: { destination: 'https://example.org/new', method: 'POST' },
    },
    {
      name: 'orders',
      description: 'Orders events',
      sink_type: 'webhook',
      sink_configuration: { destination: 'https://example.org/orders', method: 'POST' },
    },
    {
      name: 'billing',
      description: 'Billing events',
      sink_type: 'webhook',
      sink_configuration: { destination: 'https://example.org/billing', method: 'POST' },
      sid: SIDS.billing,
    },
    {
      name: 'stream',
      description: 'Analytics stream',
      sink_type: 'kinesis',
      sink_configuration: { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/new', role_arn: ROLE, external_id: '${E2E_EXTERNAL_ID}' },
    },
    {
      name: 'segment-feed',
      description: 'Segment feed',
      sink_type: 'segment',
      sink_configuration: { write_key: '${E2E_WRITE_KEY}' },
    },
  ];
  return Object.fromEntries(docs.map((d) => [`sinks/${d.name}.yaml`, d]));
}
