import { invalidParameter, missingParameter } from './errors.js';
import { CATALOGUE } from './event-catalogue.js';
import { parseJsonParam, requiredParam } from './form.js';
import { buildMeta, parsePageRequest } from './pagination.js';
import { subscriptionResource } from './resources.js';
import type { Handler } from './route-types.js';
import { SINK_SID_PATTERN } from './sids.js';
import { repeatedTypes, type SubscribedEvent, type SubscribedType } from './store.js';
import { toSubscribedType } from './subscribed-type.js';

/** Handlers for /v1/Subscriptions and /v1/Subscriptions/{Sid}. */

function checkSinkSid(value: string): string {
  if (!SINK_SID_PATTERN.test(value)) throw invalidParameter(`Invalid SinkSid ${JSON.stringify(value)}: must be DG followed by 32 hexadecimal digits`);
  return value;
}

export const listSubscriptions: Handler = async (ctx) => {
  const request = parsePageRequest(ctx.query);
  const sinkSidParam = ctx.query.get('SinkSid');
  const sinkSid = sinkSidParam === null ? undefined : checkSinkSid(sinkSidParam);
  const page = ctx.store.listSubscriptions(sinkSid, request.pageSize, request.cursor);
  return {
    status: 200,
    mutated: false,
    body: {
      subscriptions: page.items.map((s) => subscriptionResource(ctx.origin, ctx.accountSid, s)),
      meta: buildMeta(ctx.origin, '/v1/Subscriptions', sinkSid === undefined ? [] : [['SinkSid', sinkSid]], request, page, 'subscriptions'),
    },
  };
};

/**
 * `Types` arrives as repeated form fields, each a JSON object (the twilio library's encoding).
 * Every entry's shape is checked before any is looked up, so a malformed entry is named first;
 * then each must name a catalogue type and an existing version of its schema (the latest when
 * left out). A type given twice is refused: a subscription holds each type once, and which of two
 * versions Twilio would keep is not documented.
 */
function parseTypes(form: URLSearchParams): SubscribedEvent[] {
  const raw = form.getAll('Types');
  if (raw.length === 0) throw missingParameter('Types');
  const entries: SubscribedType[] = raw.map((value, i) => {
    const entry = toSubscribedType(parseJsonParam(`Types[${i}]`, value));
    if (typeof entry === 'string') throw invalidParameter(`Invalid Types[${i}]: ${entry}`);
    return entry;
  });
  const resolved = entries.map((entry, i) => {
    const event = CATALOGUE.resolve(entry);
    if (typeof event === 'string') throw invalidParameter(`Invalid Types[${i}]: ${event}`);
    return event;
  });
  const [repeat] = repeatedTypes(resolved);
  if (repeat) throw invalidParameter(`Invalid Types[${repeat.index}]: event type ${repeat.type} is given more than once`);
  return resolved;
}

export const createSubscription: Handler = async (ctx) => {
  const form = await ctx.form();
  const description = requiredParam(form, 'Description');
  const sinkSid = checkSinkSid(requiredParam(form, 'SinkSid'));
  const types = parseTypes(form);
  const sub = ctx.store.createSubscription({ description, sinkSid, types });
  return { status: 201, mutated: true, created: true, body: subscriptionResource(ctx.origin, ctx.accountSid, sub) };
};

export const fetchSubscription: Handler = async (ctx, [sid]) => ({
  status: 200,
  mutated: false,
  body: subscriptionResource(ctx.origin, ctx.accountSid, ctx.store.getSubscription(sid!)),
});

/**
 * Twilio's update takes `Description` only: `SinkSid` left the update on 2025-07-24 (twilio-oai
 * change log), so a subscription stays on the sink it was created on. Refusing the field, rather
 * than ignoring it, keeps a client from believing it moved one.
 */
export const updateSubscription: Handler = async (ctx, [sid]) => {
  ctx.store.getSubscription(sid!);
  const form = await ctx.form();
  if (form.has('SinkSid')) {
    throw invalidParameter("A Subscription's SinkSid cannot be changed: create a new Subscription on the other Sink, then delete this one");
  }
  const description = form.get('Description') ?? undefined;
  const sub = ctx.store.updateSubscription(sid!, description);
  return { status: 200, mutated: description !== undefined, body: subscriptionResource(ctx.origin, ctx.accountSid, sub) };
};

export const deleteSubscription: Handler = async (ctx, [sid]) => {
  ctx.store.deleteSubscription(sid!);
  return { status: 204, mutated: true };
};
