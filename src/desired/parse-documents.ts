/**
 * YAML text → one plain object per document, keeping the parsed nodes so that later messages can
 * be placed. Every problem becomes a Diagnostic; a document with a problem yields no object.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type YAMLError } from 'yaml';
import type { Diagnostic, DiagnosticCode, Severity } from './model.js';
import { excessiveNesting } from './nesting.js';
import { toPosition } from './yaml-locate.js';

/**
 * Aliases a document may expand. Sink documents need few or none; the limit stops a
 * "billion laughs" document from expanding exponentially in memory.
 */
export const MAX_ALIAS_COUNT = 100;

/** Nesting a document may have (sink documents have about 3); see nesting.ts for why. */
export const MAX_NESTING = 50;

/** YAML errors reported per document; after the first few, the rest are mostly echoes. */
const MAX_YAML_ERRORS = 10;

export interface ParsedDocument {
  readonly data: Record<string, unknown>;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly file: string;
}

export interface ParsedFile {
  readonly documents: readonly ParsedDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

/** yaml's message without its trailing " at line 2, column 1:" and source excerpt. */
function yamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0] ?? e.message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function isEmptyContents(doc: Document): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null);
}

export function parseDocuments(text: string, file: string): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const lineCounter = new LineCounter();
  const at = (severity: Severity, code: DiagnosticCode, offset: number, message: string): void => {
    const { line, column } = toPosition(lineCounter, offset);
    diagnostics.push({ severity, code, file, line, column, message });
  };

  const tooDeep = excessiveNesting(text, MAX_NESTING);
  if (tooDeep >= 0) {
    const before = text.slice(0, tooDeep);
    const line = before.split('\n').length;
    const column = tooDeep - before.lastIndexOf('\n');
    const message = `invalid YAML: nested more than ${MAX_NESTING} levels deep`;
    diagnostics.push({ severity: 'error', code: 'YAML_SYNTAX', file, line, column, message });
    return { documents, diagnostics };
  }
  // The core schema is YAML 1.2's: `yes`/`on` stay strings and `<<` is an ordinary key.
  // prettyErrors is off: it costs time quadratic in the number of errors, and positions come
  // from the line counter anyway.
  const docs = parseAllDocuments(text, { lineCounter, schema: 'core', uniqueKeys: true, prettyErrors: false });
  if (docs.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'EMPTY_DOCUMENT',
      file,
      line: 1,
      column: 1,
      message: 'file declares no sink: it is empty or holds only comments',
    });
    return { documents, diagnostics };
  }

  for (const doc of docs) {
    for (const w of doc.warnings) at('warning', 'YAML_SYNTAX', w.pos[0], `YAML: ${yamlMessage(w)}`);
    if (doc.errors.length > 0) {
      for (const e of doc.errors.slice(0, MAX_YAML_ERRORS)) {
        // RESOURCE_EXHAUSTION is the parser running out of stack on absurdly deep nesting.
        const message =
          e.code === 'RESOURCE_EXHAUSTION' ? 'invalid YAML: document is nested too deeply' : `invalid YAML: ${yamlMessage(e)}`;
        at('error', 'YAML_SYNTAX', e.pos[0], message);
      }
      const more = doc.errors.length - MAX_YAML_ERRORS;
      if (more > 0) {
        at('error', 'YAML_SYNTAX', doc.errors[MAX_YAML_ERRORS]?.pos[0] ?? 0, `invalid YAML: ${more} more errors in this document`);
      }
      continue;
    }
    if (isEmptyContents(doc)) {
      at('error', 'EMPTY_DOCUMENT', doc.range[0], "empty YAML document: declare a sink here or remove the extra '---'");
      continue;
    }
    const contents = doc.contents;
    const contentStart = contents?.range?.[0] ?? doc.range[0];
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (/excessive alias count/i.test(message)) {
        at(
          'error',
          'ALIAS_LIMIT',
          firstAliasOffset(doc) ?? contentStart,
          `YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}); write the values out instead of using anchors`,
        );
      } else {
        at('error', 'YAML_SYNTAX', firstAliasOffset(doc) ?? contentStart, `invalid YAML: ${message}`);
      }
      continue;
    }
    const root = isAlias(contents) ? contents.resolve(doc) : contents;
    if (!isMap(root) || typeof data !== 'object' || data === null || Array.isArray(data)) {
      const kind = isSeq(root) ? 'a list' : 'a single value';
      at(
        'error',
        'NOT_A_MAPPING',
        contentStart,
        `document must be a mapping with the keys name, description, sink_type and sink_configuration, not ${kind}`,
      );
      continue;
    }
    documents.push({ data: data as Record<string, unknown>, doc, lineCounter, file });
  }
  return { documents, diagnostics };
}
