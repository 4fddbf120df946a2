import type { AccountRecord } from './accounts.js';
import type { CatalogueEventType, CatalogueSchema, CatalogueSchemaVersion } from './catalogue.js';
import type { ReadBack } from './options.js';
import { rfc2822 } from './sids.js';
import type { SinkRecord, SubscribedEvent, SubscriptionRecord } from './store.js';

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

export function subscribedEventResource(origin: string, accountSid: string, subscriptionSid: string, e: SubscribedEvent): Record<string, unknown> {
  return {
    account_sid: accountSid,
    type: e.type,
    schema_version: e.schemaVersion,
    subscription_sid: subscriptionSid,
    url: `${origin}/v1/Subscriptions/${subscriptionSid}/SubscribedEvents/${e.type}`,
  };
}

export function eventTypeResource(origin: string, t: CatalogueEventType): Record<string, unknown> {
  return {
    date_created: t.dateCreated,
    date_updated: t.dateUpdated,
    type: t.type,
    schema_id: t.schemaId,
    status: t.status,
    documentation_url: t.documentationUrl,
    description: t.description,
    url: `${origin}/v1/Types/${t.type}`,
    links: { schema: `${origin}/v1/Schemas/${t.schemaId}/Versions` },
  };
}

export function schemaResource(origin: string, s: CatalogueSchema): Record<string, unknown> {
  const latest = s.versions[s.versions.length - 1]!;
  const url = `${origin}/v1/Schemas/${s.id}`;
  return {
    id: s.id,
    url,
    links: { versions: `${url}/Versions` },
    latest_version_date_created: latest.dateCreated,
    latest_version: latest.version,
  };
}

/**
 * Where a version's JSON Schema document can be read. Twilio's `raw` is a URL
 * (https://events-schemas.twilio.com/{Id}/{Version}, `format: uri` in the OpenAPI file); the
 * emulator serves its own documents at an `/__emulator` path, so the link works offline.
 */
export function rawSchemaUrl(origin: string, schemaId: string, version: number): string {
  return `${origin}/__emulator/event-schemas/${schemaId}/${version}`;
}

export function schemaVersionResource(origin: string, schemaId: string, v: CatalogueSchemaVersion): Record<string, unknown> {
  return {
    id: schemaId,
    schema_version: v.version,
    date_created: v.dateCreated,
    url: `${origin}/v1/Schemas/${schemaId}/Versions/${v.version}`,
    raw: rawSchemaUrl(origin, schemaId, v.version),
  };
}

/**
 * An Account as the 2010 API shows it (the fields the twilio library's AccountInstance reads).
 * A main account is its own owner, as on Twilio. `subresource_uris` is empty: the emulator serves
 * none of the 2010 API's subresources (calls, messages…), and a link that answers 404 would mislead.
 */
export function accountResource(a: AccountRecord): Record<string, unknown> {
  return {
    auth_token: a.authToken,
    date_created: rfc2822(a.dateCreated),
    date_updated: rfc2822(a.dateUpdated),
    friendly_name: a.friendlyName,
    owner_account_sid: a.ownerAccountSid ?? a.sid,
    sid: a.sid,
    status: a.status,
    subresource_uris: {},
    type: 'Full',
    uri: `/2010-04-01/Accounts/${a.sid}.json`,
  };
}
