import { invalidParameter } from './errors.js';
import { CATALOGUE } from './event-catalogue.js';
import { requiredParam } from './form.js';
import { buildMeta, parsePageRequest } from './pagination.js';
import { subscribedEventResource } from './resources.js';
import type { Handler } from './route-types.js';
import type { SubscribedEvent } from './store.js';

/**
 * Handlers for /v1/Subscriptions/{Sid}/SubscribedEvents and …/SubscribedEvents/{Type}: a
 * subscription's event types, one at a time. An unknown subscription, or a type the subscription
 * does not have, is a 404 before any parameter is looked at.
 */

/** `SchemaVersion`: absent, or a whole number of at least 1 (whether the schema has it is the catalogue's question). */
function parseSchemaVersion(form: URLSearchParams): number | undefined {
  const raw = form.get('SchemaVersion');
  if (raw === null) return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw invalidParameter(`Invalid SchemaVersion ${JSON.stringify(raw)}: must be a whole number of at least 1`);
  return Number(raw);
}

/** The type and version checked against the catalogue (the schema's latest version when none is given). */
function resolve(type: string, version: number | undefined): SubscribedEvent {
  const event = CATALOGUE.resolve(version === undefined ? { type } : { type, schema_version: version });
  if (typeof event === 'string') throw invalidParameter(`Invalid ${CATALOGUE.getType(type) ? 'SchemaVersion' : 'Type'}: ${event}`);
  return event;
}

export const listSubscribedEvents: Handler = async (ctx, [sid]) => {
  const request = parsePageRequest(ctx.query);
  const page = ctx.store.listSubscribedEvents(sid!, request.pageSize, request.cursor);
  return {
    status: 200,
    mutated: false,
    body: {
      types: page.items.map((e) => subscribedEventResource(ctx.origin, ctx.accountSid, sid!, e)),
      meta: buildMeta(ctx.origin, `/v1/Subscriptions/${sid}/SubscribedEvents`, [], request, page, 'types'),
    },
  };
};

/**
 * Adds a type (201). A type the subscription already has takes the given version, or the latest,
 * and answers 200: the OpenAPI file gives this operation a 200 beside the 201.
 */
export const createSubscribedEvent: Handler = async (ctx, [sid]) => {
  ctx.store.getSubscription(sid!);
  const form = await ctx.form();
  const event = resolve(requiredParam(form, 'Type'), parseSchemaVersion(form));
  const { event: stored, created, changed } = ctx.store.addSubscribedEvent(sid!, event);
  return { status: created ? 201 : 200, mutated: changed, created, body: subscribedEventResource(ctx.origin, ctx.accountSid, sid!, stored) };
};

export const fetchSubscribedEvent: Handler = async (ctx, [sid, type]) => ({
  status: 200,
  mutated: false,
  body: subscribedEventResource(ctx.origin, ctx.accountSid, sid!, ctx.store.getSubscribedEvent(sid!, type!)),
});

/** Changes the version. Without `SchemaVersion` there is nothing to change, and the type is answered as it is. */
export const updateSubscribedEvent: Handler = async (ctx, [sid, type]) => {
  const current = ctx.store.getSubscribedEvent(sid!, type!);
  const version = parseSchemaVersion(await ctx.form());
  if (version === undefined) return { status: 200, mutated: false, body: subscribedEventResource(ctx.origin, ctx.accountSid, sid!, current) };
  const { event, changed } = ctx.store.updateSubscribedEvent(sid!, resolve(type!, version));
  return { status: 200, mutated: changed, body: subscribedEventResource(ctx.origin, ctx.accountSid, sid!, event) };
};

export const deleteSubscribedEvent: Handler = async (ctx, [sid, type]) => {
  ctx.store.deleteSubscribedEvent(sid!, type!);
  return { status: 204, mutated: true };
};
