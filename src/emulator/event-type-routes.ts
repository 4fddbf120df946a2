import { notFound } from './errors.js';
import { CATALOGUE } from './event-catalogue.js';
import { buildMeta, parsePageRequest } from './pagination.js';
import { eventTypeResource } from './resources.js';
import type { Handler } from './route-types.js';

/** Handlers for /v1/Types and /v1/Types/{Type}: the catalogue's event types (read-only). */

/** `SchemaId` filters by schema; one that no type uses gives an empty list, not an error, like any filter. */
export const listEventTypes: Handler = async (ctx) => {
  const request = parsePageRequest(ctx.query);
  const schemaId = ctx.query.get('SchemaId') ?? undefined;
  const page = CATALOGUE.listTypes(schemaId, request.pageSize, request.cursor);
  return {
    status: 200,
    mutated: false,
    body: {
      types: page.items.map((t) => eventTypeResource(ctx.origin, t)),
      meta: buildMeta(ctx.origin, '/v1/Types', schemaId === undefined ? [] : [['SchemaId', schemaId]], request, page, 'types'),
    },
  };
};

export const fetchEventType: Handler = async (ctx, [type]) => {
  const found = CATALOGUE.getType(type!);
  if (!found) throw notFound(`/v1/Types/${type}`);
  return { status: 200, mutated: false, body: eventTypeResource(ctx.origin, found) };
};
