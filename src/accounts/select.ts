/**
 * `--account NAME` (repeatable, globs allowed) narrows a run to some of the accounts (SPEC §14).
 * A pattern without `/` matches named accounts and whole fleets (`customers` is every member of
 * fleet customers); a pattern with `/` matches fleet members by their full name (`customers/cust-*`).
 * In both, `*` stands for any run of characters but `/`, and `?` for any one character.
 */
import { didYouMean } from '../desired/did-you-mean.js';
import { SinkopsError } from '../errors.js';
import { terminalSafe } from '../terminal-safe.js';
import { globMatch } from './glob.js';
import type { FleetSpec, RepoConfig } from './model.js';

/** What selection needs of a target: its name, and its fleet when it is a member of one. */
export interface Selectable {
  readonly name: string;
  readonly fleet?: string;
}

export interface SelectOptions {
  /**
   * Every fleet sinkops.yaml declares. A pattern that names one whose members are not among the
   * targets (it has none, or could not be listed — that failure is reported on its own) selects
   * nothing without being an error. Default: the fleets of the targets.
   */
  readonly fleets?: readonly string[];
}

/** Longer than any account name (a fleet's 63 characters, `/`, a friendly name's 64). */
const MAX_PATTERN_LENGTH = 256;

/** `*` and `?` within one segment: the pattern and the name have as many `/`-separated segments, each matching. */
function matchesName(pattern: string, name: string): boolean {
  const want = pattern.split('/');
  const have = name.split('/');
  return want.length === have.length && want.every((p, i) => globMatch(p, have[i] ?? ''));
}

/** Whether `pattern` selects `target`: by its name, or (a pattern without `/`) by its fleet's. */
export function selects(pattern: string, target: Selectable): boolean {
  if (pattern.includes('/')) return matchesName(pattern, target.name);
  return target.fleet === undefined ? matchesName(pattern, target.name) : matchesName(pattern, target.fleet);
}

function shown(pattern: string): string {
  return `'${terminalSafe(pattern)}'`;
}

function checkPattern(pattern: string): void {
  if (pattern.trim() === '') throw new SinkopsError('USAGE', '--account needs an account name or a pattern (for example production, customers or customers/cust-*)');
  if (pattern.length > MAX_PATTERN_LENGTH) throw new SinkopsError('USAGE', `--account ${shown(`${pattern.slice(0, 40)}…`)} is longer than ${MAX_PATTERN_LENGTH} characters: no account name is`);
}

/** A hint for a pattern that matched nothing: a close name, or the fleet member it may have meant. */
function hintFor(pattern: string, targets: readonly Selectable[], fleets: readonly string[]): string {
  if (pattern.includes('/')) {
    const close = didYouMean(pattern, targets.filter((t) => t.fleet !== undefined).map((t) => t.name));
    return close === undefined ? '' : `; did you mean '${close}'?`;
  }
  const members = targets.filter((t) => t.fleet !== undefined && globMatch(pattern, t.name.slice(t.name.indexOf('/') + 1)));
  const first = members[0];
  if (first !== undefined) {
    return `; fleet members are named <fleet>/<name>: did you mean '${first.name}'${members.length > 1 ? ` (or ${members.length - 1} more)` : ''}?`;
  }
  const close = didYouMean(pattern, [...targets.filter((t) => t.fleet === undefined).map((t) => t.name), ...fleets]);
  return close === undefined ? '' : `; did you mean '${close}'?`;
}

/**
 * The targets that any of `patterns` selects, in their order; all of them when there is no
 * pattern. A pattern that selects nothing is a USAGE error (all such patterns in one, each with a
 * hint), so that a typo never turns an apply into one of nothing.
 */
export function selectTargets<T extends Selectable>(targets: readonly T[], patterns: readonly string[], options: SelectOptions = {}): T[] {
  if (patterns.length === 0) return [...targets];
  patterns.forEach(checkPattern);
  const fleets = options.fleets ?? [...new Set(targets.flatMap((t) => (t.fleet === undefined ? [] : [t.fleet])))];
  const withMembers = new Set(targets.flatMap((t) => (t.fleet === undefined ? [] : [t.fleet])));
  const unmatched = patterns.filter((pattern) => {
    if (targets.some((t) => selects(pattern, t))) return false;
    // A fleet it names, whose members are unknown here (none, or not listed), is not a typo.
    const fleetPart = pattern.includes('/') ? pattern.slice(0, pattern.indexOf('/')) : pattern;
    const segments = pattern.split('/').length;
    return !(segments <= 2 && fleets.some((f) => !withMembers.has(f) && globMatch(fleetPart, f)));
  });
  if (unmatched.length > 0) {
    const lines = unmatched.map((p) => `--account ${shown(p)} matches no account${hintFor(p, targets, fleets)}`);
    const named = targets.filter((t) => t.fleet === undefined).map((t) => t.name);
    const known = [...named, ...fleets];
    const listed = known.length === 0 ? [] : [`The accounts are ${known.slice(0, 12).join(', ')}${known.length > 12 ? `, … (${known.length} in all)` : ''}; fleet members are <fleet>/<name>.`];
    throw new SinkopsError('USAGE', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} --account patterns match no account`, {
      details: [...(lines.length === 1 ? [] : lines), ...listed],
    });
  }
  return targets.filter((t) => patterns.some((p) => selects(p, t)));
}

/**
 * The fleets a run narrowed by `patterns` may reach, in sinkops.yaml's order: listing a fleet costs
 * requests with its parent's credentials, which a run of named accounts should not need.
 */
export function fleetsNeeded(patterns: readonly string[], config: Pick<RepoConfig, 'fleets'>): FleetSpec[] {
  if (patterns.length === 0) return [...config.fleets];
  return config.fleets.filter((fleet) =>
    patterns.some((pattern) => {
      const segments = pattern.split('/');
      return segments.length <= 2 && globMatch(segments[0] ?? '', fleet.name);
    }),
  );
}
