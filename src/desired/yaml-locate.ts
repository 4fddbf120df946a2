/**
 * Finds where a document path (['sink_configuration', 'arn']) is written in the YAML source, so
 * every message points at the line and column a user has to edit.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The pair of `key` in a mapping; a key written as an alias (`*t: 1`) counts as the anchored key. */
function findPair(doc: Document, node: Node, key: string): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => {
    const k: unknown = isAlias(p.key) ? p.key.resolve(doc) : p.key;
    return isScalar(k) && String(k.value) === key;
  }) as Pair<unknown, unknown> | undefined;
}

function startOf(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

/** A value with no text (`key:` and nothing after it) has no useful place of its own. */
function isEmptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node) || node.value !== null) return false;
  const range = node.range;
  return !range || range[0] === range[1];
}

/**
 * The source offset of the node at `path`: its key or its value. When the path does not exist
 * (a missing key), the deepest existing ancestor's key stands in; the document's first content
 * stands in for the root.
 */
export function locateOffset(doc: Document, path: readonly string[], target: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let best = startOf(doc.contents) ?? doc.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i] ?? '';
    let pair: Pair<unknown, unknown> | undefined;
    let child: unknown;
    if (isMap(node as Node)) {
      pair = findPair(doc, node as Node, segment);
      child = pair?.value;
    } else if (isSeq(node as Node)) {
      child = (node as { items: unknown[] }).items[Number(segment)];
    }
    if (pair === undefined && child === undefined) return best;
    const keyStart = startOf(pair?.key);
    const last = i === path.length - 1;
    if (last && target === 'key' && keyStart !== undefined) return keyStart;
    if (isEmptyValue(child)) return keyStart ?? best;
    best = startOf(child) ?? keyStart ?? best;
    if (last) return best;
    node = child;
  }
  return best;
}

export function toPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * The source offset of every key of the mapping at `path` (the first place of each), in one pass:
 * locating each key of a large mapping with locateOffset would scan the mapping once per key.
 * Empty when `path` is not a mapping.
 */
export function locateKeys(doc: Document, path: readonly string[]): Map<string, number> {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node as Node)) node = findPair(doc, node as Node, segment)?.value;
    else if (isSeq(node as Node)) node = (node as { items: unknown[] }).items[Number(segment)];
    else return new Map();
  }
  if (isAlias(node)) node = node.resolve(doc);
  const out = new Map<string, number>();
  if (!isMap(node as Node)) return out;
  for (const pair of (node as { items: Pair<unknown, unknown>[] }).items) {
    const key: unknown = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
    const offset = startOf(pair.key);
    if (isScalar(key) && offset !== undefined && !out.has(String(key.value))) out.set(String(key.value), offset);
  }
  return out;
}
