/**
 * loadRepoConfig: `<root>/sinkops.yaml` → the accounts and fleets it declares (SPEC §14), or
 * undefined when there is no such file (a repository of one account). Read like every file a user
 * names (src/files.ts: size, FIFOs, binary, UTF-8), parsed with the sink loader's guarded YAML
 * parser (aliases, nesting, duplicate keys, positions), validated by schemas/sinkops.schema.json
 * and by the checks a schema cannot make (config-checks.ts). Every problem is reported at once,
 * each located `sinkops.yaml:line:column`.
 */
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SinkopsError } from '../errors.js';
import { formatDiagnostic, type Diagnostic } from '../desired/model.js';
import { parseDocuments, type DocumentWording, type ParsedDocument } from '../desired/parse-documents.js';
import { fileProblemDiagnostic, MAX_FILE_BYTES } from '../desired/read-source.js';
import { tryReadTextFile } from '../files.js';
import { checkEntries, credentialNames, spotOf, type RawEntry } from './config-checks.js';
import { schemaDiagnostics } from './config-schema.js';
import { REPO_CONFIG_FILE } from './file-name.js';
import type { FleetSpec, NamedAccountSpec, RepoConfig, SubaccountFilter, SubaccountStatus } from './model.js';

/** Like a sink file: a few hundred accounts take a few dozen KiB; more is a mistake or an attack. */
export const MAX_REPO_CONFIG_BYTES = MAX_FILE_BYTES;

/** sinkops.yaml has errors: `diagnostics` holds each, located; `details` the same, formatted. */
export class RepoConfigError extends SinkopsError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super('INVALID_INPUT', `${REPO_CONFIG_FILE}: ${errors} error${errors === 1 ? '' : 's'}; nothing was planned`, {
      details: diagnostics.map(formatDiagnostic),
    });
    this.name = 'RepoConfigError';
    this.diagnostics = diagnostics;
  }
}

const WORDING: DocumentWording = {
  emptyFile: `${REPO_CONFIG_FILE} declares no account: it is empty or holds only comments (without ${REPO_CONFIG_FILE}, the repository is one account whose sinks are in sinks/)`,
  emptyDocument: `empty YAML document: ${REPO_CONFIG_FILE} is one document; remove the extra '---'`,
  notMapping: (kind) => `${REPO_CONFIG_FILE} must be a mapping with the keys accounts and fleets, not ${kind}`,
};

function at(file: string, message: string, line = 1, column = 1): Diagnostic {
  return { severity: 'error', code: 'READ_ERROR', file, line, column, message };
}

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Where sinkops.yaml may be read from: a regular file, or a link to one inside the repository. A
 * link out of it would make sinkops parse any file of the machine and quote its keys in errors.
 * Undefined when there is no sinkops.yaml.
 */
async function locateFile(root: string): Promise<{ readonly absolute: string } | { readonly problem: Diagnostic } | undefined> {
  const absolute = path.join(root, REPO_CONFIG_FILE);
  try {
    const link = await lstat(absolute);
    if (!link.isSymbolicLink()) return { absolute };
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    return { problem: at(REPO_CONFIG_FILE, `cannot read file (${errnoOf(e) ?? 'unknown error'})`) };
  }
  try {
    const [rootReal, target] = await Promise.all([realpath(root), realpath(absolute)]);
    if (!isInside(rootReal, target)) {
      return { problem: at(REPO_CONFIG_FILE, `${REPO_CONFIG_FILE} is a symbolic link to a file outside the repository; sinkops only reads it inside`) };
    }
    return { absolute };
  } catch {
    return { problem: at(REPO_CONFIG_FILE, `${REPO_CONFIG_FILE} is a broken symbolic link (its target does not exist)`) };
  }
}

/**
 * Directories that exist but lead out of the repository through a symbolic link: the sink loader
 * would follow them (a link *inside* a directory is refused there, the directory itself is not).
 */
async function dirsOutside(root: string, parsed: ParsedDocument, dirs: ReadonlyMap<RawEntry, string>): Promise<Diagnostic[]> {
  const rootReal = await realpath(root);
  const out: Diagnostic[] = [];
  for (const [entry, dir] of dirs) {
    let real: string;
    try {
      real = await realpath(path.join(root, dir));
    } catch {
      continue; // Not there (yet): loading the sinks says so.
    }
    if (isInside(rootReal, real)) continue;
    const keyPath = [entry.kind, String(entry.index), 'dir'];
    out.push({
      severity: 'error',
      code: 'SYMLINK_OUTSIDE',
      ...spotOf(parsed, keyPath),
      message: `${entry.kind}[${entry.index}].dir '${dir}' leads outside the repository through a symbolic link; sinkops only reads sink files inside it`,
    });
  }
  return out;
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column;
}

function buildConfig(parsed: ParsedDocument, entries: readonly RawEntry[], dirs: ReadonlyMap<RawEntry, string>): RepoConfig {
  const accounts: NamedAccountSpec[] = [];
  const fleets: FleetSpec[] = [];
  for (const entry of entries) {
    const base = [entry.kind, String(entry.index)];
    const v = entry.value;
    const common = { name: v['name'] as string, dir: dirs.get(entry) as string, at: spotOf(parsed, [...base, 'name'], 'key') };
    if (entry.kind === 'accounts') {
      accounts.push({ ...common, credentials: credentialNames(v['credentials']), credentialsAt: spotOf(parsed, [...base, 'credentials'], 'key') });
      continue;
    }
    const filter = (v['subaccounts'] ?? {}) as Record<string, unknown>;
    const subaccounts: SubaccountFilter = {
      ...(typeof filter['friendly_name'] === 'string' ? { friendly_name: filter['friendly_name'] } : {}),
      ...(typeof filter['status'] === 'string' ? { status: filter['status'] as SubaccountStatus } : {}),
    };
    fleets.push({ ...common, parent: credentialNames(v['parent']), subaccounts, parentAt: spotOf(parsed, [...base, 'parent'], 'key') });
  }
  return { file: REPO_CONFIG_FILE, accounts, fleets };
}

export type RepoConfigCheck =
  /** `warnings`: what the YAML parser warned about (the config is still valid). */
  | { readonly ok: true; readonly config: RepoConfig; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * sinkops.yaml checked: its config, or every problem found, located and sorted (for `validate`,
 * which reports them with the sink files'). Undefined when the file does not exist.
 */
export async function checkRepoConfig(root: string): Promise<RepoConfigCheck | undefined> {
  const located = await locateFile(root);
  if (located === undefined) return undefined;
  if ('problem' in located) return { ok: false, diagnostics: [located.problem] };
  const read = tryReadTextFile(located.absolute, MAX_REPO_CONFIG_BYTES);
  if (!read.ok) {
    if (read.problem.kind === 'unreadable' && read.problem.errno === 'ENOENT') return undefined;
    return { ok: false, diagnostics: [fileProblemDiagnostic(read.problem, REPO_CONFIG_FILE, `for ${REPO_CONFIG_FILE}`)] };
  }
  const parsedFile = parseDocuments(read.text, REPO_CONFIG_FILE, WORDING);
  const diagnostics = [...parsedFile.diagnostics];
  const [parsed, extra] = parsedFile.documents;
  if (extra !== undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'YAML_SYNTAX',
      ...spotOf(extra, [], 'value'),
      message: `${REPO_CONFIG_FILE} is one YAML document: remove the '---' before this one, or move what follows it into the first`,
    });
  }
  if (parsed === undefined || diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };

  const checked = checkEntries(parsed);
  diagnostics.push(...schemaDiagnostics(parsed), ...checked.diagnostics, ...(await dirsOutside(root, parsed, checked.dirs)));
  diagnostics.sort(compareDiagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, config: buildConfig(parsed, checked.entries, checked.dirs), warnings: diagnostics };
}

/** The config of `<root>/sinkops.yaml`; undefined without one; a RepoConfigError (INVALID_INPUT) listing every problem. */
export async function loadRepoConfig(root: string): Promise<RepoConfig | undefined> {
  const checked = await checkRepoConfig(root);
  if (checked === undefined) return undefined;
  if (!checked.ok) throw new RepoConfigError(checked.diagnostics);
  return checked.config;
}
