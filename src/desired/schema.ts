/**
 * The sink JSON Schema (schemas/sink.schema.json). Editors read the same file through the
 * `yaml-language-server: $schema=` comment, so the CLI and the editor agree. Its validator is
 * compiled at build time (scripts/generate-schema-validator.mjs, ajv's standalone code): loading
 * ajv and compiling the schema took most of `sinkops validate`'s start-up (SPEC §10 "Start-up").
 */
import { readFileSync } from 'node:fs';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import { validate as generatedValidate } from './generated/sink-validate.js';
import { SINK_TYPES, type SinkType } from './model.js';

/** src/desired/ and dist/desired/ are both two levels below the package root. */
const SCHEMA_URL = new URL('../../schemas/sink.schema.json', import.meta.url);

export interface SinkSchema {
  /** Validates one document (already known to be a mapping). */
  readonly validate: ValidateFunction;
  /** The keys allowed at the top of a document. */
  readonly topLevelKeys: readonly string[];
  /** The keys allowed in sink_configuration, per sink_type. */
  readonly configKeys: Readonly<Record<SinkType, readonly string[]>>;
  /** The keys allowed in one entry of `subscriptions`. */
  readonly subscriptionKeys: readonly string[];
}

let compiled: SinkSchema | undefined;

export function sinkSchemaObject(): AnySchemaObject {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as AnySchemaObject;
}

function keysOf(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const props = (schema as { properties?: unknown }).properties;
  return typeof props === 'object' && props !== null ? Object.keys(props) : [];
}

export function sinkSchema(): SinkSchema {
  if (compiled) return compiled;
  const schema = sinkSchemaObject();
  const definitions = (schema['definitions'] ?? {}) as Record<string, unknown>;
  const configKeys = Object.fromEntries(SINK_TYPES.map((t) => [t, keysOf(definitions[t])])) as Record<
    SinkType,
    string[]
  >;
  compiled = {
    // Compiled with every error, verbose (errors carry parentSchema, for the message annotations
    // `patternErrorMessage` and `errorMessage`, and the offending data) and strict.
    validate: generatedValidate as ValidateFunction,
    topLevelKeys: keysOf(schema),
    configKeys,
    subscriptionKeys: keysOf(definitions['subscription']),
  };
  return compiled;
}

export type { ErrorObject };
