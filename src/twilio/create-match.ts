import type { RemoteSink } from '../remote/model.js';
import type { CreateSinkInput } from '../remote/api.js';

/** JSON values equal regardless of object key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ob = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(ob, k) && jsonEqual((a as Record<string, unknown>)[k], ob[k]));
}

/**
 * Whether `sink` is what a create of `input` would have stored. The description carries the
 * unique ownership marker; type and configuration must also be equal, exactly, because while a
 * replace is in progress the old sink carries the same marker with a different configuration,
 * and mistaking it for the new one would let the replace delete the only copy.
 */
export function isSinkFromCreate(sink: RemoteSink, input: CreateSinkInput): boolean {
  return (
    sink.description === input.description &&
    sink.sinkType === input.sinkType &&
    jsonEqual(sink.sinkConfiguration, input.sinkConfiguration)
  );
}
