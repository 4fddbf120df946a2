/**
 * What the schema of sinkops.yaml cannot say, checked on the document as written so that these
 * problems are reported beside the schema's: a name used twice (accounts and fleets share one
 * namespace), a directory outside the repository or inside another entry's, and credentials that
 * are not exactly one complete pair.
 */
import path from 'node:path';
import type { Diagnostic, DiagnosticCode } from '../desired/model.js';
import type { ParsedDocument } from '../desired/parse-documents.js';
import { locateOffset, toPosition } from '../desired/yaml-locate.js';
import { configPath } from './config-schema.js';
import type { CredentialNames, SourceSpot } from './model.js';

export type EntryKind = 'accounts' | 'fleets';

/** One entry of `accounts` or `fleets` that is a mapping, with its position in the list. */
export interface RawEntry {
  readonly kind: EntryKind;
  readonly index: number;
  readonly value: Record<string, unknown>;
}

export function rawEntries(data: Record<string, unknown>, kind: EntryKind): RawEntry[] {
  const list = data[kind];
  if (!Array.isArray(list)) return [];
  const out: RawEntry[] = [];
  list.forEach((value: unknown, index) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push({ kind, index, value: value as Record<string, unknown> });
  });
  return out;
}

/** The place of a key or value of an entry, for diagnostics and for the specs. */
export function spotOf(parsed: ParsedDocument, keyPath: readonly string[], target: 'key' | 'value' = 'value'): SourceSpot {
  return { file: parsed.file, ...toPosition(parsed.lineCounter, locateOffset(parsed.doc, keyPath, target)) };
}

function entryPath(entry: RawEntry, ...rest: string[]): string[] {
  return [entry.kind, String(entry.index), ...rest];
}

/** `account production`, `fleet customers`, or the entry's place when it has no usable name. */
function describeEntry(entry: RawEntry): string {
  const name = entry.value['name'];
  const kind = entry.kind === 'accounts' ? 'account' : 'fleet';
  return typeof name === 'string' ? `${kind} ${name}` : configPath(entryPath(entry));
}

class Collector {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly parsed: ParsedDocument) {}

  error(code: DiagnosticCode, keyPath: readonly string[], message: string, target: 'key' | 'value' = 'value'): void {
    this.diagnostics.push({ severity: 'error', code, ...spotOf(this.parsed, keyPath, target), message });
  }
}

function where(spot: SourceSpot): string {
  return `${spot.file}:${spot.line}:${spot.column}`;
}

/** One error at each place a name is declared more than once, naming the other places. */
function checkUniqueNames(parsed: ParsedDocument, entries: readonly RawEntry[], out: Collector): void {
  const byName = new Map<string, RawEntry[]>();
  for (const entry of entries) {
    const name = entry.value['name'];
    if (typeof name !== 'string') continue;
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  }
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    const spots = list.map((e) => spotOf(parsed, entryPath(e, 'name')));
    list.forEach((entry, i) => {
      const others = spots.filter((_, j) => j !== i).map(where).join(', ');
      out.error('DUPLICATE_NAME', entryPath(entry, 'name'), `duplicate name '${name}' (also at ${others}); accounts and fleets share one set of names, each used once`);
    });
  }
}

/**
 * A directory as sinkops.yaml may give it: relative to the repository root, `/`-separated, inside
 * the repository, and not the root itself (whose walk would find sinkops.yaml and every other
 * entry's files). Returned normalised (`sinks/./prod/` → `sinks/prod`), or why not.
 */
export function normaliseDir(raw: string): { readonly dir: string } | { readonly problem: string } {
  if (raw.includes('\\')) return { problem: "must use '/' between directories, not '\\'" };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return { problem: 'must be relative to the repository root, not an absolute path' };
  const dir = path.posix.normalize(raw).replace(/\/+$/, '');
  if (dir === '.' || dir === '') return { problem: 'must name a directory inside the repository, not the repository root itself' };
  if (dir === '..' || dir.startsWith('../')) return { problem: "must stay inside the repository (it leads out of it through '..')" };
  return { dir };
}

/**
 * Each entry's directory, normalised, or an error where it is written. Directories may be shared
 * by named accounts (staging mirroring production) and by fleets, but a fleet's (whose files may
 * use `${account.…}`) never with a named account's, and no directory may lie inside another's:
 * loading the outer one would load the inner one's files too.
 */
function checkDirs(entries: readonly RawEntry[], out: Collector): Map<RawEntry, string> {
  const dirs = new Map<RawEntry, string>();
  for (const entry of entries) {
    const raw = entry.value['dir'];
    if (typeof raw !== 'string' || raw === '') continue;
    const normalised = normaliseDir(raw);
    if ('problem' in normalised) out.error('SCHEMA', entryPath(entry, 'dir'), `${configPath(entryPath(entry, 'dir'))} ${normalised.problem}`);
    else dirs.set(entry, normalised.dir);
  }
  const owners = new Map<string, RawEntry[]>();
  for (const [entry, dir] of dirs) owners.set(dir, [...(owners.get(dir) ?? []), entry]);
  for (const [entry, dir] of dirs) {
    const shown = configPath(entryPath(entry, 'dir'));
    const sharing = (owners.get(dir) ?? []).find((other) => other.kind !== entry.kind);
    if (entry.kind === 'fleets' && sharing !== undefined) {
      out.error('SCHEMA', entryPath(entry, 'dir'), `${shown} '${dir}' is also the directory of ${describeEntry(sharing)}: a fleet's sink files may use \${account.…} and a named account's may not, so give the fleet a directory of its own`);
    }
    // Every ancestor of the directory, shortest first: `sinks` for `sinks/customers`.
    const segments = dir.split('/');
    for (let n = 1; n < segments.length; n++) {
      const outer = owners.get(segments.slice(0, n).join('/'));
      if (outer === undefined) continue;
      const outerEntry = outer[0] as RawEntry;
      out.error('SCHEMA', entryPath(entry, 'dir'), `${shown} '${dir}' is inside '${segments.slice(0, n).join('/')}', the directory of ${describeEntry(outerEntry)}, which would load its sink files too; give each a directory of its own`);
      break;
    }
  }
  return dirs;
}

const CREDENTIAL_KEYS = ['api_key', 'api_secret', 'account_sid', 'auth_token'] as const;

/**
 * Why a credentials mapping is not exactly one complete pair, or undefined. A fleet's parent also
 * needs account_sid with an API key: the fleet's subaccounts are the ones that account owns.
 */
export function credentialsProblem(names: CredentialNames, role: 'account' | 'parent'): string | undefined {
  const usesKey = names.api_key !== undefined || names.api_secret !== undefined;
  const usesToken = names.auth_token !== undefined;
  const pairs =
    role === 'account'
      ? 'api_key and api_secret (account_sid optional), or account_sid and auth_token'
      : 'account_sid and auth_token, or api_key and api_secret with account_sid';
  if (usesKey && usesToken) return `names both an API key (api_key, api_secret) and an auth token (auth_token): give one pair, ${pairs}`;
  if (usesKey) {
    if (names.api_key === undefined) return 'has api_secret but no api_key (the API key SID it is the secret of)';
    if (names.api_secret === undefined) return 'has api_key but no api_secret (the secret of that key)';
    if (role === 'parent' && names.account_sid === undefined) return "needs account_sid with an API key: the fleet's subaccounts are those that account owns";
  } else if (usesToken) {
    if (names.account_sid === undefined) return 'has auth_token but no account_sid (the Account SID whose token it is)';
  } else if (names.account_sid !== undefined) {
    return `has account_sid but no auth_token: give the variables of ${pairs}`;
  } else {
    return `names no credentials: give the variables of ${pairs}`;
  }
  const seen = new Map<string, string>();
  for (const key of CREDENTIAL_KEYS) {
    const variable = names[key];
    if (variable === undefined) continue;
    const earlier = seen.get(variable);
    if (earlier !== undefined) return `names ${variable} for both ${earlier} and ${key}: each credential has a variable of its own`;
    seen.set(variable, key);
  }
  return undefined;
}

/** The variable names of a credentials mapping as written (only the string ones: the schema reports the rest). */
export function credentialNames(value: unknown): CredentialNames {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const o = value as Record<string, unknown>;
  const names: { -readonly [K in keyof CredentialNames]: string } = {};
  for (const key of CREDENTIAL_KEYS) {
    const v = o[key];
    if (typeof v === 'string') names[key] = v;
  }
  return names;
}

function checkCredentials(entries: readonly RawEntry[], out: Collector): void {
  for (const entry of entries) {
    const key = entry.kind === 'accounts' ? 'credentials' : 'parent';
    const value = entry.value[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const problem = credentialsProblem(credentialNames(value), entry.kind === 'accounts' ? 'account' : 'parent');
    if (problem !== undefined) out.error('SCHEMA', entryPath(entry, key), `${configPath(entryPath(entry, key))} ${problem}`, 'key');
  }
}

export interface CheckedEntries {
  readonly diagnostics: readonly Diagnostic[];
  /** The normalised directory of each entry whose `dir` is acceptable. */
  readonly dirs: ReadonlyMap<RawEntry, string>;
  readonly entries: readonly RawEntry[];
}

export function checkEntries(parsed: ParsedDocument): CheckedEntries {
  const out = new Collector(parsed);
  const entries = [...rawEntries(parsed.data, 'accounts'), ...rawEntries(parsed.data, 'fleets')];
  // Absent or an empty list; a value of another type is the schema's to report.
  const none = (kind: EntryKind): boolean => {
    const list = parsed.data[kind];
    return list === undefined || list === null || (Array.isArray(list) && list.length === 0);
  };
  if (none('accounts') && none('fleets')) {
    const at = ['accounts', 'fleets'].find((k) => k in parsed.data) ?? '';
    out.error('EMPTY_DOCUMENT', at === '' ? [] : [at], 'sinkops.yaml declares no account: list named accounts under accounts, or fleets under fleets', 'key');
  }
  checkUniqueNames(parsed, entries, out);
  const dirs = checkDirs(entries, out);
  checkCredentials(entries, out);
  return { diagnostics: out.diagnostics, dirs, entries };
}
