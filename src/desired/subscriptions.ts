/**
 * A sink's `subscriptions:` (SPEC §2, §13): the checks the schema cannot make (a name used twice in
 * one sink, a `sid:` pinned twice in the repository) and the build of schema-valid entries into
 * positioned DesiredSubscriptions. `validate` stays offline: whether an event type and its schema
 * version exist is the plan's question (Twilio's catalogue), not this one's.
 */
import type { DesiredEvent, DesiredSubscription, Diagnostic, SourceLocation, UnstampedText } from './model.js';
import type { ParsedDocument } from './parse-documents.js';
import { locateKeys, locateOffset, toPosition } from './yaml-locate.js';

/** One entry of `subscriptions` as written, when it is a mapping at all. */
interface RawEntry {
  readonly index: number;
  readonly value: Record<string, unknown>;
}

function entries(data: Record<string, unknown>): RawEntry[] {
  const list = data['subscriptions'];
  if (!Array.isArray(list)) return [];
  const out: RawEntry[] = [];
  list.forEach((value: unknown, index) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push({ index, value: value as Record<string, unknown> });
  });
  return out;
}

function locate(parsed: ParsedDocument, path: readonly string[], target: 'key' | 'value'): SourceLocation {
  return { file: parsed.file, ...toPosition(parsed.lineCounter, locateOffset(parsed.doc, path, target)) };
}

function where(p: SourceLocation): string {
  return `${p.file}:${p.line}:${p.column}`;
}

/** Code-unit order, the same in every locale (the planner sorts the same way). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A subscription name used more than once in one sink: its marker would be the same, so one error
 * at each repeat, naming the line of the first (at most `limit`, then one saying how many more).
 * Read from the document as written, so it is found alongside any schema problems.
 */
export function duplicateSubscriptionNames(parsed: ParsedDocument, limit = Infinity): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const first = new Map<string, SourceLocation>();
  const sinkName = parsed.data['name'];
  const inSink = typeof sinkName === 'string' ? ` in sink '${sinkName}'` : '';
  for (const { index, value } of entries(parsed.data)) {
    const name = value['name'];
    if (typeof name !== 'string') continue;
    const place = locate(parsed, ['subscriptions', String(index), 'name'], 'value');
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, place);
      continue;
    }
    diagnostics.push({
      severity: 'error',
      code: 'DUPLICATE_NAME',
      ...place,
      message: `duplicate subscription name '${name}'${inSink} (first declared on line ${earlier.line}); subscription names must be unique within a sink`,
    });
  }
  if (diagnostics.length <= limit) return diagnostics;
  const shown = diagnostics.slice(0, limit);
  const last = shown[shown.length - 1] ?? diagnostics[0];
  shown.push({
    severity: 'error',
    code: 'DUPLICATE_NAME',
    file: parsed.file,
    line: last?.line ?? 1,
    column: last?.column ?? 1,
    message: `${diagnostics.length - limit} more duplicate subscription names in this sink not shown`,
  });
  return shown;
}

/**
 * A subscription `sid:` pinned more than once anywhere in the repository (in one sink or in two):
 * one Twilio subscription can be adopted once. One error at each place, naming the others.
 * Returns the SIDs that are pinned twice, whose sinks are then left out.
 */
export function duplicateSubscriptionSids(documents: readonly ParsedDocument[], diagnostics: Diagnostic[]): Set<string> {
  const seen = new Map<string, SourceLocation[]>();
  for (const parsed of documents) {
    for (const { index, value } of entries(parsed.data)) {
      const sid = value['sid'];
      if (typeof sid !== 'string') continue;
      const list = seen.get(sid) ?? [];
      list.push(locate(parsed, ['subscriptions', String(index), 'sid'], 'value'));
      seen.set(sid, list);
    }
  }
  const duplicated = new Set<string>();
  for (const [sid, places] of seen) {
    if (places.length < 2) continue;
    duplicated.add(sid);
    places.forEach((place, i) => {
      const others = places.filter((_, j) => j !== i).map(where).join(', ');
      diagnostics.push({
        severity: 'error',
        code: 'DUPLICATE_NAME',
        ...place,
        message: `sid ${sid} is pinned by more than one subscription (also at ${others}); one Twilio subscription can be adopted once`,
      });
    });
  }
  return duplicated;
}

/**
 * Reads a description at `path` for account references (build-sink.ts): its text and, when it
 * references the account, the parts stamping fills in; undefined once it has reported why not.
 */
export type DescriptionReader = (raw: string, path: readonly string[]) => { readonly text: string; readonly unstamped?: UnstampedText } | undefined;

/**
 * The subscriptions of a schema-valid document, sorted by name, each one's events sorted by type,
 * every event located at its type (the key under `events:`), where plan errors about it point.
 * Undefined when a description could not be read (`readDescription` reported why).
 */
export function buildSubscriptions(parsed: ParsedDocument, readDescription: DescriptionReader): DesiredSubscription[] | undefined {
  let readable = true;
  const built = entries(parsed.data).map(({ index, value }): DesiredSubscription => {
    const at = ['subscriptions', String(index)];
    const rawEvents = value['events'] as Record<string, number>;
    // One pass over the events mapping for every type's place (a subscription may list hundreds).
    const keys = locateKeys(parsed.doc, [...at, 'events']);
    const events: DesiredEvent[] = Object.keys(rawEvents)
      .sort(compareText)
      .map((type) => {
        const offset = keys.get(type);
        const source =
          offset === undefined
            ? locate(parsed, [...at, 'events', type], 'key')
            : { file: parsed.file, ...toPosition(parsed.lineCounter, offset) };
        return { type, schemaVersion: rawEvents[type] as number, source };
      });
    const sid = value['sid'];
    const description = readDescription(value['description'] as string, [...at, 'description']);
    if (description === undefined) readable = false;
    return {
      name: value['name'] as string,
      description: description?.text ?? '',
      events,
      ...(typeof sid === 'string' ? { sid } : {}),
      source: locate(parsed, [...at, 'name'], 'key'),
      ...(description?.unstamped === undefined ? {} : { unstampedDescription: description.unstamped }),
    };
  });
  return readable ? built.sort((a, b) => compareText(a.name, b.name)) : undefined;
}
