/**
 * YAML text → one plain object per document, keeping the parsed nodes so that later messages can
 * be placed. Every problem becomes a Diagnostic; a document with a problem yields no object.
 */
import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  visit,
  type Document,
  type YAMLError,
} from 'yaml';
import type { Diagnostic, DiagnosticCode, Severity } from './model.js';
import { showKey } from './schema-errors.js';
import { toPosition } from './yaml-locate.js';

/**
 * Aliases a document may expand. Sink documents need few or none; the limit stops a
 * "billion laughs" document from expanding exponentially in memory.
 */
export const MAX_ALIAS_COUNT = 100;

/** Nesting a document may have (a sink document has about 3); see parseStream. */
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

/** What the messages about a file's documents call them: sink files by default, sinkops.yaml its own way. */
export interface DocumentWording {
  /** The file holds no document at all: it is empty or holds only comments. */
  readonly emptyFile: string;
  /** One document is empty (an extra `---`). */
  readonly emptyDocument: string;
  /** A document is not a mapping; `kind` is `a list` or `a single value`. */
  notMapping(kind: string): string;
}

const SINK_DOCUMENTS: DocumentWording = {
  emptyFile: 'file declares no sink: it is empty or holds only comments',
  emptyDocument: "empty YAML document: declare a sink here or remove the extra '---'",
  notMapping: (kind) => `document must be a mapping with the keys name, description, sink_type and sink_configuration, not ${kind}`,
};

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

/**
 * Keys written twice in one mapping, as [offset of the repeat, offset of the first]. Checked here
 * rather than by the parser's `uniqueKeys`, which compares every pair (minutes for a large file).
 */
function duplicateKeys(doc: Document): [number, number, string][] {
  const found: [number, number, string][] = [];
  visit(doc, {
    Map(_key, map) {
      const first = new Map<string, number>();
      for (const pair of map.items) {
        // An alias used as a key (`*t: 2`) is the anchored key again: `&t a: 1` then `*t: 2` repeats `a`.
        const resolved: unknown = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        if (!isScalar(resolved)) continue;
        const key = String(resolved.value);
        const offset = (isAlias(pair.key) ? pair.key.range?.[0] : resolved.range?.[0]) ?? 0;
        const earlier = first.get(key);
        if (earlier === undefined) first.set(key, offset);
        else found.push([offset, earlier, key]);
      }
    },
  });
  return found;
}

function isEmptyContents(doc: Document): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null);
}

type ParsedStream = { readonly docs: Document.Parsed[] } | { readonly tooDeepAt: number };

/**
 * What `parseAllDocuments` does, with a depth limit in the middle. The parser is iterative and
 * tracks its nesting on an explicit stack, but the composer that turns its tokens into nodes
 * recurses once per level: thousands of `[` or `- ` exhaust the call stack, and V8 can then abort
 * the whole process (a fatal "RegExpCompiler allocation failed") rather than throw. So the
 * parser's stack is watched token by token, and a deep input never reaches the composer.
 */
function parseStream(text: string, lineCounter: LineCounter): ParsedStream {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > MAX_NESTING) return { tooDeepAt: parser.offset };
  }
  for (const token of parser.end()) tokens.push(token);
  // The core schema is YAML 1.2's: `yes`/`on` stay strings and `<<` is an ordinary key. Keys are
  // checked for uniqueness here (duplicateKeys), not by the composer, which compares every pair.
  const composer = new Composer({ schema: 'core', uniqueKeys: false });
  return { docs: Array.from(composer.compose(tokens)) };
}

export function parseDocuments(text: string, file: string, wording: DocumentWording = SINK_DOCUMENTS): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const lineCounter = new LineCounter();
  const at = (severity: Severity, code: DiagnosticCode, offset: number, message: string): void => {
    const { line, column } = toPosition(lineCounter, offset);
    diagnostics.push({ severity, code, file, line, column, message });
  };

  const stream = parseStream(text, lineCounter);
  if ('tooDeepAt' in stream) {
    at('error', 'YAML_SYNTAX', stream.tooDeepAt, `invalid YAML: nested more than ${MAX_NESTING} levels deep`);
    return { documents, diagnostics };
  }
  const docs = stream.docs;
  if (docs.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'EMPTY_DOCUMENT',
      file,
      line: 1,
      column: 1,
      message: wording.emptyFile,
    });
    return { documents, diagnostics };
  }

  for (const doc of docs) {
    for (const w of doc.warnings) at('warning', 'YAML_SYNTAX', w.pos[0], `YAML: ${yamlMessage(w)}`);
    if (doc.errors.length > 0) {
      for (const e of doc.errors.slice(0, MAX_YAML_ERRORS)) {
        // RESOURCE_EXHAUSTION (the composer out of stack) should not get past parseStream's depth
        // guard; if it ever does, it is still a located error rather than a crash.
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
    const duplicates = duplicateKeys(doc);
    if (duplicates.length > 0) {
      for (const [offset, earlier, key] of duplicates.slice(0, MAX_YAML_ERRORS)) {
        const firstLine = toPosition(lineCounter, earlier).line;
        at('error', 'YAML_SYNTAX', offset, `invalid YAML: key '${showKey(key)}' appears twice in the same mapping (first on line ${firstLine})`);
      }
      continue;
    }
    if (isEmptyContents(doc)) {
      at('error', 'EMPTY_DOCUMENT', doc.range[0], wording.emptyDocument);
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
      at('error', 'NOT_A_MAPPING', contentStart, wording.notMapping(kind));
      continue;
    }
    documents.push({ data: data as Record<string, unknown>, doc, lineCounter, file });
  }
  return { documents, diagnostics };
}
