import { EVENT_SCHEMAS, EVENT_TYPES, type CatalogueEventType, type CatalogueSchema, type CatalogueSchemaVersion } from './catalogue.js';
import { OrderedTable, type Cursor, type TablePage } from './ordered-table.js';
import type { SubscribedEvent, SubscribedType } from './store.js';

/**
 * The event types and schemas an account may subscribe to, indexed for lookups and for the paged
 * lists (OrderedTable, so page tokens work as they do for sinks). Read-only: Twilio publishes the
 * catalogue; no API call changes it.
 */
export class Catalogue {
  private readonly types = new OrderedTable<CatalogueEventType>();
  private readonly schemas = new Map<string, { readonly schema: CatalogueSchema; readonly versions: OrderedTable<CatalogueSchemaVersion> }>();

  constructor(types: readonly CatalogueEventType[], schemas: readonly CatalogueSchema[]) {
    for (const schema of schemas) {
      if (schema.versions.length === 0) throw new Error(`schema ${schema.id} has no versions`);
      const versions = new OrderedTable<CatalogueSchemaVersion>();
      let previous = 0;
      for (const v of schema.versions) {
        if (!(Number.isInteger(v.version) && v.version > previous)) throw new Error(`schema ${schema.id}: versions must ascend`);
        previous = v.version;
        versions.add(String(v.version), v);
      }
      if (this.schemas.has(schema.id)) throw new Error(`schema ${schema.id} appears twice`);
      this.schemas.set(schema.id, { schema, versions });
    }
    for (const t of types) {
      if (!this.schemas.has(t.schemaId)) throw new Error(`event type ${t.type} names unknown schema ${t.schemaId}`);
      this.types.add(t.type, t);
    }
  }

  get typeCount(): number {
    return this.types.size;
  }

  allTypes(): IterableIterator<CatalogueEventType> {
    return this.types.values();
  }

  getType(type: string): CatalogueEventType | undefined {
    return this.types.get(type);
  }

  getSchema(id: string): CatalogueSchema | undefined {
    return this.schemas.get(id)?.schema;
  }

  getVersion(id: string, version: number): CatalogueSchemaVersion | undefined {
    return this.schemas.get(id)?.versions.get(String(version));
  }

  latest(schema: CatalogueSchema): CatalogueSchemaVersion {
    return schema.versions[schema.versions.length - 1]!;
  }

  listTypes(schemaId: string | undefined, pageSize: number, cursor: Cursor | undefined): TablePage<CatalogueEventType> {
    return this.types.page((t) => schemaId === undefined || t.schemaId === schemaId, pageSize, cursor);
  }

  /** Undefined when there is no such schema. */
  listVersions(id: string, pageSize: number, cursor: Cursor | undefined): TablePage<CatalogueSchemaVersion> | undefined {
    return this.schemas.get(id)?.versions.page(() => true, pageSize, cursor);
  }

  /**
   * A subscription entry checked against the catalogue: the type must exist and, when a version is
   * given, its schema must have that version; without one the schema's latest is used, as Twilio's
   * docs say. Returns the resolved entry, or a problem message naming the type and version.
   */
  resolve(entry: SubscribedType): SubscribedEvent | string {
    const type = this.types.get(entry.type);
    if (!type) return `event type ${JSON.stringify(entry.type)} does not exist (GET /v1/Types lists the event types)`;
    const schema = this.schemas.get(type.schemaId)!.schema;
    if (entry.schema_version === undefined) return { type: entry.type, schemaVersion: this.latest(schema).version };
    if (this.getVersion(schema.id, entry.schema_version)) return { type: entry.type, schemaVersion: entry.schema_version };
    const known = schema.versions.map((v) => v.version).join(', ');
    return `schema version ${entry.schema_version} does not exist for event type ${entry.type} (schema ${schema.id} has versions ${known})`;
  }
}

/** The catalogue every emulator serves (catalogue.ts). */
export const CATALOGUE = new Catalogue(EVENT_TYPES, EVENT_SCHEMAS);
