/**
 * loadDesired: `sinks/**\/*.yaml` → validated, positioned desired sinks plus every problem found.
 * Never throws for bad input; every problem is a located Diagnostic, all reported at once.
 */
import { buildSink } from './build-sink.js';
import path from 'node:path';
import { discoverFiles, displayPath } from './discover.js';
import type { EnvLookup } from './env.js';
import type { DesiredSink, DesiredState, Diagnostic } from './model.js';
import { parseDocuments, type ParsedDocument } from './parse-documents.js';
import { MAX_FILE_BYTES, readSource } from './read-source.js';
import { describeSchemaErrors } from './schema-errors.js';
import { sinkSchema } from './schema.js';
import { locateOffset, toPosition } from './yaml-locate.js';

export interface LoadOptions {
  /** Diagnostic and source paths are relative to this directory. */
  readonly cwd: string;
  /** Where `${NAME}` references are resolved from. */
  readonly env: EnvLookup;
  /** Per-file size limit in bytes (default 1 MiB). */
  readonly maxFileBytes?: number;
}

/** Files read at once: enough to overlap I/O, few enough to stay far below file-descriptor limits. */
const READ_CONCURRENCY = 32;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface FileResult {
  readonly documents: readonly ParsedDocument[];
  readonly sinks: readonly DesiredSink[];
  readonly diagnostics: readonly Diagnostic[];
}

function at(parsed: ParsedDocument, path: readonly string[]): { file: string; line: number; column: number } {
  return { file: parsed.file, ...toPosition(parsed.lineCounter, locateOffset(parsed.doc, path, 'value')) };
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

  const perFile = await mapLimit(discovery.files, READ_CONCURRENCY, async (file): Promise<FileResult> => {
    const read = await readSource(file, maxBytes);
    if (!read.ok) return { documents: [], sinks: [], diagnostics: [read.diagnostic] };
    const parsed = parseDocuments(read.text, file.display);
    const fileDiagnostics = [...parsed.diagnostics];
    const sinks: DesiredSink[] = [];
    for (const document of parsed.documents) {
      if (!schema.validate(document.data)) {
        for (const problem of describeSchemaErrors(schema.validate.errors ?? [], document.data, schema)) {
          const offset = locateOffset(document.doc, problem.path, problem.target);
          fileDiagnostics.push({
            severity: 'error',
            code: problem.code,
            file: document.file,
            ...toPosition(document.lineCounter, offset),
            message: problem.message,
          });
        }
        continue;
      }
      const built = buildSink(document, options.env);
      fileDiagnostics.push(...built.diagnostics);
      if (built.sink) sinks.push(built.sink);
    }
    return { documents: parsed.documents, sinks, diagnostics: fileDiagnostics };
  });

  const documents = perFile.flatMap((r) => r.documents);
  for (const r of perFile) diagnostics.push(...r.diagnostics);
  const duplicateNames = reportDuplicates(documents, 'name', diagnostics);
  const duplicateSids = reportDuplicates(documents, 'sid', diagnostics);
  const sinks = perFile
    .flatMap((r) => r.sinks)
    .filter((s) => !duplicateNames.has(s.name) && (s.sid === undefined || !duplicateSids.has(s.sid)));

  diagnostics.sort(compareDiagnostics);
  return { sinks, diagnostics, files: discovery.files.map((f) => f.display) };
}
