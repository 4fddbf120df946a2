import type { ReadBack } from './options.js';
import type { SinkRecord, SubscriptionRecord } from './store.js';

/** Records rendered as Twilio's JSON resources, with `url` and `links` on the emulator's origin. */

/** What `masked` read-back shows for a secret. */
export const MASKED_SECRET = '********';

/** The configuration keys that hold secrets: kinesis `external_id`, segment `write_key`. */
const SECRET_KEYS = ['external_id', 'write_key'] as const;

/** Twilio's defaults for a webhook sink, which `defaults` read-back fills in when absent. */
const WEBHOOK_DEFAULTS: Readonly<Record<string, unknown>> = { method: 'POST', batch_events: false };

/**
 * The `sink_configuration` a read shows in the given mode. Always a new object: the stored
 * configuration is what the state file keeps, so no mode may change it.
 */
export function readBackConfiguration(sinkType: string, stored: Readonly<Record<string, unknown>>, mode: ReadBack): Record<string, unknown> {
  switch (mode) {
    case 'exact':
      return { ...stored };
    case 'defaults':
      // The stored values win: a default only fills a key the configuration leaves out.
      return sinkType === 'webhook' ? { ...WEBHOOK_DEFAULTS, ...stored } : { ...stored };
    case 'masked': {
      const shown = { ...stored };
      for (const key of SECRET_KEYS) if (key in shown) shown[key] = MASKED_SECRET;
      return shown;
    }
  }
}

export function sinkResource(origin: string, s: SinkRecord, readBack: ReadBack): Record<string, unknown> {
  const url = `${origin}/v1/Sinks/${s.sid}`;
  return {
    date_created: s.dateCreated,
    date_updated: s.dateUpdated,
    description: s.description,
    sid: s.sid,
    sink_configuration: readBackConfiguration(s.sinkType, s.sinkConfiguration, readBack),
    sink_type: s.sinkType,
    status: s.status,
    url,
    links: { sink_test: `${url}/Test`, sink_validate: `${url}/Validate` },
  };
}

export function subscriptionResource(origin: string, accountSid: string, s: SubscriptionRecord): Record<string, unknown> {
  const url = `${origin}/v1/Subscriptions/${s.sid}`;
  return {
    account_sid: accountSid,
    date_created: s.dateCreated,
    date_updated: s.dateUpdated,
    sid: s.sid,
    sink_sid: s.sinkSid,
    description: s.description,
    url,
    links: { subscribed_events: `${url}/SubscribedEvents` },
  };
}
