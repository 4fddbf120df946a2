/**
 * loadDesired: `sinks/**\/*.yaml` → validated, positioned desired sinks plus every problem found.
 * Never throws for bad input; every problem is a located Diagnostic, all reported at once.
 */
import path from 'node:path';
import { buildSink, type BuildOptions } from './build-sink.js';
import { discoverFiles, displayPath, type SourceFile } from './discover.js';
import type { EnvLookup } from './env.js';
import type { DesiredSink, DesiredState, Diagnostic } from './model.js';
import { parseDocuments, type ParsedDocument } from './parse-documents.js';
import { MAX_FILE_BYTES, readSource } from './read-source.js';
import { describeSchemaErrors } from './schema-errors.js';
import { sinkSchema, type SinkSchema } from './schema.js';
import { duplicateSubscriptionNames, duplicateSubscriptionSids } from './subscriptions.js';
import { locateOffset, toPosition } from './yaml-locate.js';

export interface LoadOptions {
  /** Diagnostic and source paths are relative to this directory. */
  readonly cwd: string;
  /** Where `${NAME}` references are resolved from. */
  readonly env: EnvLookup;
  /** Per-file size limit in bytes (default MAX_FILE_BYTES, 256 KiB). */
  readonly maxFileBytes?: number;
  /** Reuse files parsed by an earlier load whose text has not changed (watch mode). */
  readonly cache?: ParseCache;
  /**
   * A fleet's sinks (SPEC §14): `${account.sid}` and `${account.friendly_name}` are kept open for
   * stampAccount (stamp.ts). Without it, they are located errors.
   */
  readonly accountRefs?: boolean;
}

/** A document with more problems than this is not a sink: the rest would only be noise. */
const MAX_PROBLEMS_PER_DOCUMENT = 20;

/**
 * Files handled between two yields to the event loop. Reading and parsing are synchronous (see
 * read-source.ts); yielding now and then keeps timers and signals (watch mode, Ctrl-C) responsive.
 */
const FILES_PER_TURN = 256;

export interface FileResult {
  readonly documents: readonly ParsedDocument[];
  readonly sinks: readonly DesiredSink[];
  readonly diagnostics: readonly Diagnostic[];
}

function at(parsed: ParsedDocument, keyPath: readonly string[]): { file: string; line: number; column: number } {
  return { file: parsed.file, ...toPosition(parsed.lineCounter, locateOffset(parsed.doc, keyPath, 'value')) };
}

function where(p: { file: string; line: number; column: number }): string {
  return `${p.file}:${p.line}:${p.column}`;
}

/**
 * One error at each place a value is declared more than once, naming the other places.
 * Returns the values that are duplicated.
 */
function reportDuplicates(
  documents: readonly ParsedDocument[],
  key: 'name' | 'sid',
  diagnostics: Diagnostic[],
): Set<string> {
  const seen = new Map<string, ParsedDocument[]>();
  for (const d of documents) {
    const v = d.data[key];
    if (typeof v !== 'string') continue;
    const list = seen.get(v) ?? [];
    list.push(d);
    seen.set(v, list);
  }
  const duplicated = new Set<string>();
  for (const [value, docs] of seen) {
    if (docs.length < 2) continue;
    duplicated.add(value);
    const places = docs.map((d) => at(d, [key]));
    places.forEach((place, i) => {
      const others = places.filter((_, j) => j !== i).map(where).join(', ');
      const message =
        key === 'name'
          ? `duplicate sink name '${value}' (also declared at ${others}); names must be unique`
          : `sid ${value} is pinned by more than one sink (also at ${others}); one Twilio sink can be adopted once`;
      diagnostics.push({ severity: 'error', code: 'DUPLICATE_NAME', ...place, message });
    });
  }
  return duplicated;
}

/** The schema's verdict on one document, located, at most MAX_PROBLEMS_PER_DOCUMENT of them. */
function schemaDiagnostics(document: ParsedDocument, schema: SinkSchema): Diagnostic[] {
  if (schema.validate(document.data)) return [];
  const problems = describeSchemaErrors(schema.validate.errors ?? [], document.data, schema);
  const place = (keyPath: readonly string[], target: 'key' | 'value'): { line: number; column: number } =>
    toPosition(document.lineCounter, locateOffset(document.doc, keyPath, target));
  const out: Diagnostic[] = problems.slice(0, MAX_PROBLEMS_PER_DOCUMENT).map((p) => ({
    severity: 'error',
    code: p.code,
    file: document.file,
    ...place(p.path, p.target),
    message: p.message,
  }));
  if (problems.length > MAX_PROBLEMS_PER_DOCUMENT) {
    out.push({
      severity: 'error',
      code: 'SCHEMA',
      file: document.file,
      ...place([], 'value'),
      message: `${problems.length - MAX_PROBLEMS_PER_DOCUMENT} more problems in this document not shown`,
    });
  }
  return out;
}

/**
 * Parsed files by path, reused while a file's text is unchanged: `plan --watch` loads the folder
 * again on every save, and parsing is most of a load. Reading stays uncached (it is cheap, and the
 * text is the key, so no timestamp granularity can hide an edit). One cache serves one environment
 * and one `accountRefs` setting.
 */
export type ParseCache = Map<string, { readonly text: string; readonly result: FileResult }>;

function loadFile(file: SourceFile, maxBytes: number, env: EnvLookup, schema: SinkSchema, cache: ParseCache | undefined, build: BuildOptions): FileResult {
  const read = readSource(file, maxBytes);
  if (!read.ok) return { documents: [], sinks: [], diagnostics: [read.diagnostic] };
  const cached = cache?.get(file.display);
  if (cached !== undefined && cached.text === read.text) return cached.result;
  const result = parseFile(file, read.text, env, schema, build);
  cache?.set(file.display, { text: read.text, result });
  return result;
}

function parseFile(file: SourceFile, text: string, env: EnvLookup, schema: SinkSchema, build: BuildOptions): FileResult {
  const parsed = parseDocuments(text, file.display);
  const diagnostics = [...parsed.diagnostics];
  const sinks: DesiredSink[] = [];
  for (const document of parsed.documents) {
    const problems = [...schemaDiagnostics(document, schema), ...duplicateSubscriptionNames(document, MAX_PROBLEMS_PER_DOCUMENT)];
    if (problems.length > 0) {
      diagnostics.push(...problems);
      continue;
    }
    const built = buildSink(document, env, build);
    diagnostics.push(...built.diagnostics);
    if (built.sink) sinks.push(built.sink);
  }
  return { documents: parsed.documents, sinks, diagnostics };
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

export async function loadDesired(dir: string, options: LoadOptions): Promise<DesiredState> {
  const schema = sinkSchema();
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const discovery = await discoverFiles(dir, options.cwd);
  const diagnostics: Diagnostic[] = [...discovery.diagnostics];
  if (discovery.files.length === 0 && discovery.diagnostics.length === 0) {
    const shown = displayPath(options.cwd, path.resolve(options.cwd, dir));
    diagnostics.push({
      severity: 'warning',
      code: 'NO_FILES',
      file: shown,
      line: 1,
      column: 1,
      message: `no sink files (*.yaml, *.yml) under '${shown}'`,
    });
  }

  const perFile: FileResult[] = [];
  for (const [i, file] of discovery.files.entries()) {
    if (i > 0 && i % FILES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    perFile.push(loadFile(file, maxBytes, options.env, schema, options.cache, { accountRefs: options.accountRefs === true }));
  }
  if (options.cache !== undefined) {
    const present = new Set(discovery.files.map((f) => f.display));
    for (const key of options.cache.keys()) if (!present.has(key)) options.cache.delete(key);
  }

  const documents = perFile.flatMap((r) => r.documents);
  for (const r of perFile) diagnostics.push(...r.diagnostics);
  const duplicateNames = reportDuplicates(documents, 'name', diagnostics);
  const duplicateSids = reportDuplicates(documents, 'sid', diagnostics);
  const duplicateSubscriptionPins = duplicateSubscriptionSids(documents, diagnostics);
  const sinks = perFile
    .flatMap((r) => r.sinks)
    .filter((s) => !duplicateNames.has(s.name) && (s.sid === undefined || !duplicateSids.has(s.sid)))
    .filter((s) => s.subscriptions.every((sub) => sub.sid === undefined || !duplicateSubscriptionPins.has(sub.sid)));

  diagnostics.sort(compareDiagnostics);
  return { sinks, diagnostics, files: discovery.files.map((f) => f.display) };
}
