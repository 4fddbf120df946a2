import type { SinkRecord, SubscriptionRecord } from './store.js';

/** Records rendered as Twilio's JSON resources, with `url` and `links` on the emulator's origin. */

export function sinkResource(origin: string, s: SinkRecord): Record<string, unknown> {
  const url = `${origin}/v1/Sinks/${s.sid}`;
  return {
    date_created: s.dateCreated,
    date_updated: s.dateUpdated,
    description: s.description,
    sid: s.sid,
    sink_configuration: s.sinkConfiguration,
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
