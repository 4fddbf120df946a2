import type { SubscribedType } from './store.js';

/**
 * One entry of a subscription's `Types`: `{"type": "com.twilio…", "schema_version": 1}`.
 * Returns the entry, or a problem message.
 */
export function toSubscribedType(value: unknown): SubscribedType | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object with a "type"';
  const { type, schema_version: version, ...rest } = value as Record<string, unknown>;
  if (typeof type !== 'string' || type.trim() === '') return '"type" must be a non-empty string';
  const extra = Object.keys(rest);
  if (extra.length > 0) return `unknown field(s) ${extra.join(', ')} (expected type, schema_version)`;
  if (version === undefined || version === null) return { type };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return '"schema_version" must be a whole number of at least 1';
  return { type, schema_version: version };
}
