import { Document } from 'yaml';
import { literalTemplate } from '../desired/env.js';
import { isSinkType, SECRET_CONFIG_KEYS } from '../desired/model.js';
import { sinkSchema, sinkSchemaObject } from '../desired/schema.js';
import { hasAnyMarker, isLeaseSink, trailingMarker } from '../plan/marker.js';
import { compareText } from '../plan/order.js';
import type { RemoteSink, SubscribedEvent, Subscription } from '../remote/model.js';

export interface ImportedSink {
  /** The sink's name in the repository (also its file name, `<name>.yaml`). */
  readonly name: string;
  readonly sid: string;
  readonly yaml: string;
  /** Environment variables the file references, with what each must hold. */
  readonly variables: readonly { readonly name: string; readonly holds: string }[];
  /** The subscriptions written under it (sid-pinned), by name, sorted by name. */
  readonly subscriptions: readonly { readonly name: string; readonly sid: string }[];
}

export interface ImportPlan {
  readonly sinks: readonly ImportedSink[];
  /**
   * Sinks not written, with why (managed already, or a type sinkops does not manage), and
   * subscriptions of imported sinks not written (`subscription: true`), with why.
   */
  readonly skipped: readonly { readonly sid: string; readonly reason: string; readonly subscription?: true }[];
}

/** A remote subscription with the events it delivers (one SubscribedEvents list each). */
export interface ImportSubscription extends Subscription {
  /** `undefined` when the list could not be read (the subscription vanished meanwhile). */
  readonly events: readonly SubscribedEvent[] | undefined;
}

/**
 * The sinks `import` would write, in SID order, and the ones it leaves alone with why. Pure; the
 * reader (read-account.ts) uses it to list SubscribedEvents only for the sinks that get a file.
 */
export function importableSinks(
  remote: readonly RemoteSink[],
  pinned: ReadonlyMap<string, string> = new Map(),
): { readonly sinks: readonly RemoteSink[]; readonly skipped: readonly { readonly sid: string; readonly reason: string }[] } {
  const sinks: RemoteSink[] = [];
  const skipped: { sid: string; reason: string }[] = [];
  for (const sink of [...remote].sort((a, b) => compareText(a.sid, b.sid))) {
    const pinnedBy = pinned.get(sink.sid);
    if (!isSinkType(sink.sinkType)) skipped.push({ sid: sink.sid, reason: `sink_type ${sink.sinkType} is not managed by sinkops` });
    else if (pinnedBy !== undefined) skipped.push({ sid: sink.sid, reason: `already in the repository as ${pinnedBy} (sid pin)` });
    else if (isLeaseSink(sink)) skipped.push({ sid: sink.sid, reason: 'the lease of a sinkops apply in progress' });
    else if (hasAnyMarker(sink.description)) skipped.push({ sid: sink.sid, reason: 'already managed by sinkops (its description carries a marker)' });
    else sinks.push(sink);
  }
  return { sinks, skipped };
}

/**
 * The sink schema's published `$id`, for the `yaml-language-server: $schema=` line of each written
 * file: an editor resolves it from any repository, where a path to this package's schemas/ would
 * resolve only inside sinkops's own.
 */
export function sinkSchemaUrl(): string {
  const id = sinkSchemaObject()['$id'];
  if (typeof id !== 'string' || !/^https:\/\//.test(id)) throw new Error('schemas/sink.schema.json has no https $id');
  return id;
}

/**
 * Turns an account's unmanaged sinks into sink documents pinned by `sid:`, so that the next plan
 * adopts them. Pure. Names come from the description (kebab-case), made unique against `taken`
 * (names already in the repository) and each other.
 */
export function importSinks(
  remote: readonly RemoteSink[],
  taken: ReadonlySet<string>,
  /** SIDs the repository already pins (sid → the name pinning it): importing them again would pin one sink twice. */
  pinned: ReadonlyMap<string, string> = new Map(),
  /** The account's subscriptions with their events; those delivering to an imported sink are written under it. */
  subscriptions: readonly ImportSubscription[] = [],
  /** Subscription SIDs the repository already pins (sid → `<sink>#<subscription>`): never pinned twice. */
  pinnedSubscriptions: ReadonlyMap<string, string> = new Map(),
): ImportPlan {
  const used = new Set(taken);
  const sinks: ImportedSink[] = [];
  const chosen = importableSinks(remote, pinned);
  const skipped: { sid: string; reason: string; subscription?: true }[] = [...chosen.skipped];
  const bySink = new Map<string, ImportSubscription[]>();
  for (const sub of subscriptions) bySink.set(sub.sinkSid, [...(bySink.get(sub.sinkSid) ?? []), sub]);
  // The keys a sink file may declare, per type, come from the sink schema: other keys Twilio
  // returns are not part of the desired state, and secrets become `${VAR}` references.
  const { configKeys } = sinkSchema();
  const schemaUrl = sinkSchemaUrl();
  for (const sink of chosen.sinks) {
    if (!isSinkType(sink.sinkType)) continue; // importableSinks keeps only these
    const declared = configKeys[sink.sinkType];
    const name = uniqueName(slug(plainDescription(sink.description)) || `${sink.sinkType}-${sink.sid.slice(-6).toLowerCase()}`, used);
    used.add(name);
    const variables: { name: string; holds: string }[] = [];
    const config: Record<string, unknown> = {};
    for (const key of declared) {
      const value = sink.sinkConfiguration[key];
      if (value === undefined || value === null) continue;
      if (SECRET_CONFIG_KEYS.has(key)) {
        const variable = `${name.toUpperCase().replace(/-/g, '_')}_${key.toUpperCase()}`;
        variables.push({ name: variable, holds: `${key} of ${sink.sid}` });
        config[key] = `\${${variable}}`;
      } else {
        // Written literally: a `${…}` set in the Console must never become a template that apply
        // would fill in from the operator's environment.
        config[key] = key === 'batch_events' ? value === true || value === 'true' : typeof value === 'string' ? literalTemplate(value) : value;
      }
    }
    const subs = importSubscriptions(bySink.get(sink.sid) ?? [], pinnedSubscriptions);
    skipped.push(...subs.skipped);
    const doc = new Document({
      name,
      description: plainDescription(sink.description) || `Imported ${sink.sinkType} sink ${sink.sid}`,
      sink_type: sink.sinkType,
      sink_configuration: config,
      sid: sink.sid,
      ...(subs.entries.length > 0 ? { subscriptions: subs.entries } : {}),
    });
    doc.commentBefore = ` yaml-language-server: $schema=${schemaUrl}\n Imported by \`sinkops import\` from ${sink.sid}.`;
    const written = subs.entries.map((e) => ({ name: e.name, sid: e.sid })).sort((a, b) => compareText(a.name, b.name));
    sinks.push({ name, sid: sink.sid, yaml: doc.toString({ lineWidth: 0 }), variables, subscriptions: written });
  }
  return { sinks, skipped };
}

/** One entry of a sink file's `subscriptions:`, keys in the order the README shows them. */
interface SubscriptionEntry {
  readonly name: string;
  readonly description: string;
  /** A Map, not an object: a type named `__proto__` stays a key. */
  readonly events: ReadonlyMap<string, number>;
  readonly sid: string;
}

/**
 * The subscriptions delivering to one imported sink, as entries pinned by `sid:`, in SID order.
 * Names come from the descriptions (a slug under the name rule, unique within the sink; a
 * description with no letters or digits gives `subscription-1`, `subscription-2`…). One whose
 * events could not be read, or that delivers none, is left out (and stays unmanaged, so nothing
 * touches it): writing it would either guess its events or give a file that validate refuses.
 */
function importSubscriptions(subscriptions: readonly ImportSubscription[], pinned: ReadonlyMap<string, string>): {
  readonly entries: SubscriptionEntry[];
  readonly skipped: { sid: string; reason: string; subscription: true }[];
} {
  const used = new Set<string>();
  const entries: SubscriptionEntry[] = [];
  const skipped: { sid: string; reason: string; subscription: true }[] = [];
  for (const sub of [...subscriptions].sort((a, b) => compareText(a.sid, b.sid))) {
    const pinnedBy = pinned.get(sub.sid);
    if (pinnedBy !== undefined) {
      skipped.push({ sid: sub.sid, reason: `already in the repository as ${pinnedBy} (sid pin)`, subscription: true });
      continue;
    }
    if (sub.events === undefined) {
      skipped.push({ sid: sub.sid, reason: 'it was deleted while import read it', subscription: true });
      continue;
    }
    if (sub.events.length === 0) {
      skipped.push({ sid: sub.sid, reason: 'it delivers no event types', subscription: true });
      continue;
    }
    const description = subscriptionDescription(sub.description);
    const slugged = slug(description);
    const name = slugged === '' ? fallbackName(used) : uniqueName(slugged, used);
    used.add(name);
    // Written as Twilio reports them: a type or version the schema would refuse makes validate say
    // so, rather than import dropping an event that the apply after the adopt would then remove.
    const events = new Map([...sub.events].sort((a, b) => compareText(a.type, b.type)).map((e) => [e.type, e.schemaVersion] as const));
    entries.push({ name, description: description || `Imported subscription ${sub.sid}`, events, sid: sub.sid });
  }
  return { entries, skipped };
}

/**
 * A remote subscription's description as the repository holds it: without a trailing sinkops
 * marker (of any stack, `[sinkops:<sink>#<name>]`, which the adopt adds back for this stack), then
 * tidied like a sink's (plainDescription).
 */
export function subscriptionDescription(text: string): string {
  const marker = trailingMarker(text.trimEnd());
  const bare = marker === undefined ? text : text.trimEnd().slice(0, -marker.length);
  return plainDescription(bare);
}

/** `subscription-1`, `subscription-2`…: the first not taken in this sink. */
function fallbackName(used: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const candidate = `subscription-${i}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** The longest description the sink schema accepts. */
const MAX_DESCRIPTION = 200;

/**
 * A Console description made acceptable to the sink schema (one line of plain text, no marker, at
 * most 200 characters), so that `validate` accepts what `import` writes. The adopt that follows
 * sends the repository's wording, so Twilio's copy is tidied too.
 */
export function plainDescription(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ') // HTML tags
    .replace(/<(?=[A-Za-z!/?])/g, '‹') // a tag that was never closed
    .replace(/\[sinkops:/g, '[sinkops ')
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim();
  return plain.length <= MAX_DESCRIPTION ? plain : `${plain.slice(0, MAX_DESCRIPTION - 1).trimEnd()}…`;
}

/** `Orders status events!` → `orders-status-events`, within the name rule's 63 characters. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
}

function uniqueName(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!used.has(candidate)) return candidate;
  }
}
