import { notFound } from './errors.js';
import { CATALOGUE } from './event-catalogue.js';
import type { CatalogueSchema } from './catalogue.js';
import { buildMeta, parsePageRequest } from './pagination.js';
import { schemaResource, schemaVersionResource } from './resources.js';
import type { Handler } from './route-types.js';

/**
 * Handlers for /v1/Schemas/{Id}, /v1/Schemas/{Id}/Versions and /v1/Schemas/{Id}/Versions/{N}.
 * There is no list of schemas (the OpenAPI file declares /v1/Schemas without an operation): a
 * client finds a schema id through an event type's `schema_id`.
 */

function getSchema(id: string): CatalogueSchema {
  const schema = CATALOGUE.getSchema(id);
  if (!schema) throw notFound(`/v1/Schemas/${id}`);
  return schema;
}

export const fetchSchema: Handler = async (ctx, [id]) => ({ status: 200, mutated: false, body: schemaResource(ctx.origin, getSchema(id!)) });

export const listSchemaVersions: Handler = async (ctx, [id]) => {
  const schema = getSchema(id!);
  const request = parsePageRequest(ctx.query);
  const page = CATALOGUE.listVersions(schema.id, request.pageSize, request.cursor)!;
  return {
    status: 200,
    mutated: false,
    body: {
      schema_versions: page.items.map((v) => schemaVersionResource(ctx.origin, schema.id, v)),
      meta: buildMeta(ctx.origin, `/v1/Schemas/${schema.id}/Versions`, [], request, page, 'schema_versions'),
    },
  };
};

/** A version that is not a whole number names no resource: 404, as for any unknown one. */
export const fetchSchemaVersion: Handler = async (ctx, [id, version]) => {
  const schema = getSchema(id!);
  const found = /^\d{1,9}$/.test(version!) ? CATALOGUE.getVersion(schema.id, Number(version)) : undefined;
  if (!found) throw notFound(`/v1/Schemas/${schema.id}/Versions/${version}`);
  return { status: 200, mutated: false, body: schemaVersionResource(ctx.origin, schema.id, found) };
};
