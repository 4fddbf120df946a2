import { Document } from 'yaml';
import { literalTemplate } from '../desired/env.js';
import { isSinkType, SECRET_CONFIG_KEYS } from '../desired/model.js';
import { sinkSchema } from '../desired/schema.js';
import { hasAnyMarker, isLeaseSink } from '../plan/marker.js';
import { compareText } from '../plan/order.js';
import type { RemoteSink } from '../remote/model.js';

export interface ImportedSink {
  /** The sink's name in the repository (also its file name, `<name>.yaml`). */
  readonly name: string;
  readonly sid: string;
  readonly yaml: string;
  /** Environment variables the file references, with what each must hold. */
  readonly variables: readonly { readonly name: string; readonly holds: string }[];
}

export interface ImportPlan {
  readonly sinks: readonly ImportedSink[];
  /** Sinks not written, with why (managed already, or a type sinkops does not manage). */
  readonly skipped: readonly { readonly sid: string; readonly reason: string }[];
}

/**
 * Turns an account's unmanaged sinks into sink documents pinned by `sid:`, so that the next plan
 * adopts them. Pure. Names come from the description (kebab-case), made unique against `taken`
 * (names already in the repository) and each other.
 */
export function importSinks(
  remote: readonly RemoteSink[],
  taken: ReadonlySet<string>,
  schemaPath: string,
  /** SIDs the repository already pins (sid → the name pinning it): importing them again would pin one sink twice. */
  pinned: ReadonlyMap<string, string> = new Map(),
): ImportPlan {
  const used = new Set(taken);
  const sinks: ImportedSink[] = [];
  const skipped: { sid: string; reason: string }[] = [];
  // The keys a sink file may declare, per type, come from the sink schema: other keys Twilio
  // returns are not part of the desired state, and secrets become `${VAR}` references.
  const { configKeys } = sinkSchema();
  for (const sink of [...remote].sort((a, b) => compareText(a.sid, b.sid))) {
    if (!isSinkType(sink.sinkType)) {
      skipped.push({ sid: sink.sid, reason: `sink_type ${sink.sinkType} is not managed by sinkops` });
      continue;
    }
    const declared = configKeys[sink.sinkType];
    const pinnedBy = pinned.get(sink.sid);
    if (pinnedBy !== undefined) {
      skipped.push({ sid: sink.sid, reason: `already in the repository as ${pinnedBy} (sid pin)` });
      continue;
    }
    if (isLeaseSink(sink)) {
      skipped.push({ sid: sink.sid, reason: 'the lease of a sinkops apply in progress' });
      continue;
    }
    if (hasAnyMarker(sink.description)) {
      skipped.push({ sid: sink.sid, reason: 'already managed by sinkops (its description carries a marker)' });
      continue;
    }
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
    const doc = new Document({
      name,
      description: plainDescription(sink.description) || `Imported ${sink.sinkType} sink ${sink.sid}`,
      sink_type: sink.sinkType,
      sink_configuration: config,
      sid: sink.sid,
    });
    doc.commentBefore = ` yaml-language-server: $schema=${schemaPath}\n Imported by \`sinkops import\` from ${sink.sid}.`;
    sinks.push({ name, sid: sink.sid, yaml: doc.toString({ lineWidth: 0 }), variables });
  }
  return { sinks, skipped };
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
