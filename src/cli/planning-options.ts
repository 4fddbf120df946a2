/**
 * The options `plan` and `apply` share: where the desired state is, which sinks are this stack's to
 * change, how many sinks the account may hold, and which to replace. One definition, so the two
 * commands cannot drift apart.
 */
import { suggestionSuffix } from '../desired/did-you-mean.js';
import type { DesiredState } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { PlanOptions } from '../plan/model.js';
import { DEFAULT_SINK_LIMIT } from '../plan/sink-limit.js';
import { flag, stackOption, stringOption, type OptionSpec, type OptionValues } from './command.js';

export const DEFAULT_ACCOUNT_CONCURRENCY = 16;

/** With sinkops.yaml (SPEC §14): which accounts, how many at once, which shard. */
export const ACCOUNT_OPTIONS: OptionSpec = {
  account: { type: 'string', multiple: true },
  'account-concurrency': { type: 'string' },
  shard: { type: 'string' },
};

export const ACCOUNT_HELP: Readonly<Record<string, string>> = {
  '--account NAME': 'with sinkops.yaml: only this account, fleet (all its members) or fleet member; globs * and ? (repeatable)',
  '--account-concurrency N': `with sinkops.yaml: accounts read and applied at once (default ${DEFAULT_ACCOUNT_CONCURRENCY})`,
  '--shard i/N': 'with sinkops.yaml: only the i-th of N disjoint sets of accounts (one job of a GitHub Actions matrix)',
};

export const PLANNING_OPTIONS: OptionSpec = {
  dir: { type: 'string' },
  'no-prune': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  stack: { type: 'string' },
  local: { type: 'boolean' },
  'sink-limit': { type: 'string' },
  replace: { type: 'string', multiple: true },
  ...ACCOUNT_OPTIONS,
};

export const PLANNING_HELP: Readonly<Record<string, string>> = {
  '--dir DIR': 'folder of sink YAML files (default sinks)',
  '--no-prune': 'keep managed sinks that are no longer in the repository',
  '--allow-empty': 'permit a plan that deletes every managed sink',
  '--stack S': 'manage only sinks marked [sinkops:S/<name>]',
  '--local': 'use the embedded local account (.sinkops/local-account.json), no credentials needed',
  '--sink-limit N': `the most sinks the account may hold (default ${DEFAULT_SINK_LIMIT}, Twilio's limit; raise it only if Twilio raised yours)`,
  '--replace NAME': 'replace this sink even if nothing differs, e.g. to send a rotated secret (repeatable)',
  ...ACCOUNT_HELP,
};

/** Twilio's limit is 100; a raised one is still a count of sinks in one account, not millions. */
const MAX_SINK_LIMIT = 100_000;

function sinkLimit(values: OptionValues): number | undefined {
  const raw = stringOption(values, 'sink-limit');
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_SINK_LIMIT) {
    throw new SinkopsError('USAGE', `--sink-limit must be a whole number from 1 to ${MAX_SINK_LIMIT}, not '${raw}'`);
  }
  return Number(raw);
}

/** `--replace` as given, in order, each name once. */
function replaceNames(values: OptionValues): string[] {
  const raw = values['replace'];
  const names = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
  return [...new Set(names)];
}

export function planOptionsFrom(values: OptionValues): PlanOptions {
  const stack = stackOption(values);
  const limit = sinkLimit(values);
  const replace = replaceNames(values);
  return {
    ...(stack !== undefined ? { stack } : {}),
    prune: !flag(values, 'no-prune'),
    ...(limit !== undefined ? { sinkLimit: limit } : {}),
    ...(replace.length > 0 ? { replace } : {}),
  };
}

/**
 * Every `--replace NAME` must name a sink of the repository: a typo would otherwise replace nothing
 * and say so only in a warning, while the secret the user meant to rotate stays as it was.
 */
export function assertReplaceable(options: PlanOptions, desired: DesiredState, dir: string): void {
  const names = desired.sinks.map((s) => s.name);
  const known = new Set(names);
  const unknown = (options.replace ?? []).filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  throw new SinkopsError(
    'USAGE',
    unknown.length === 1
      ? `--replace ${unknown[0]}: no sink of that name in ${dir}${suggestionSuffix(unknown[0] ?? '', names)}`
      : `--replace names ${unknown.length} sinks that are not in ${dir}`,
    { details: unknown.length === 1 ? [] : unknown.map((name) => `${name}${suggestionSuffix(name, names)}`) },
  );
}

/** `--account` as given, each pattern once. */
export function accountPatterns(values: OptionValues): string[] {
  const raw = values['account'];
  return [...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string'))];
}

export function accountConcurrency(values: OptionValues): number {
  const raw = stringOption(values, 'account-concurrency');
  if (raw === undefined) return DEFAULT_ACCOUNT_CONCURRENCY;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 256) {
    throw new SinkopsError('USAGE', `--account-concurrency must be a whole number from 1 to 256, not '${raw}'`);
  }
  return Number(raw);
}

/** Without sinkops.yaml there is one account: the options that choose among many are mistakes. */
export function assertOneAccount(values: OptionValues): void {
  for (const name of Object.keys(ACCOUNT_OPTIONS)) {
    if (values[name] !== undefined) {
      throw new SinkopsError('USAGE', `--${name} chooses among the accounts of sinkops.yaml, and this repository has none (SPEC §14); without it sinkops works on one account`);
    }
  }
}

