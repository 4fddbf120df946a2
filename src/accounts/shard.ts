/**
 * Shards (SPEC §14): a large fleet's apply fans out over a GitHub Actions matrix, one job per
 * shard (`apply --shard i/N`), each applying a disjoint set of accounts. An account's shard is a
 * hash of its name, not its position in a list: the job that lists the accounts and the jobs that
 * apply them list the fleet at different moments, and a subaccount added or closed in between must
 * not move every other account to another shard (two jobs would then apply one account, or none).
 */
import { createHash } from 'node:crypto';
import { SinkopsError } from '../errors.js';
import { terminalSafe } from '../terminal-safe.js';

/** The most jobs a GitHub Actions matrix runs. */
export const MAX_SHARDS = 256;

export interface Shard {
  /** 1-based: 1 … count. */
  readonly index: number;
  readonly count: number;
}

function positiveInteger(text: string): number | undefined {
  return /^[0-9]{1,6}$/.test(text) ? Number(text) : undefined;
}

function usage(flag: string, raw: string, problem: string): SinkopsError {
  const shown = terminalSafe(JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw));
  return new SinkopsError('USAGE', `${flag} ${shown}: ${problem}`);
}

/** `--shards N`: how many shards, 1 … MAX_SHARDS. */
export function parseShardCount(raw: string, flag = '--shards'): number {
  const count = positiveInteger(raw.trim());
  if (count === undefined || count < 1 || count > MAX_SHARDS) throw usage(flag, raw, `must be a whole number from 1 to ${MAX_SHARDS} (the most jobs a GitHub Actions matrix runs)`);
  return count;
}

/** `--shard i/N`: the i-th of N shards, 1 ≤ i ≤ N ≤ MAX_SHARDS. */
export function parseShard(raw: string, flag = '--shard'): Shard {
  const match = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(raw);
  if (match === null) throw usage(flag, raw, 'must be i/N, the i-th of N shards (for example 2/4)');
  const index = positiveInteger(match[1] ?? '');
  const count = positiveInteger(match[2] ?? '');
  if (count === undefined || count < 1 || count > MAX_SHARDS) throw usage(flag, raw, `the number of shards must be from 1 to ${MAX_SHARDS}`);
  if (index === undefined || index < 1 || index > count) throw usage(flag, raw, `the shard must be from 1 to ${count}`);
  return { index, count };
}

/** The shard (1-based) of the account named `name` among `count`: the first 4 bytes of sha256(name), modulo count. */
export function shardOf(name: string, count: number): number {
  return (createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0) % count) + 1;
}

export function inShard(name: string, shard: Shard): boolean {
  return shardOf(name, shard.count) === shard.index;
}

/** Every shard of `count`, in order, with the names it holds (in their order); a shard may be empty. */
export function shardsOf(names: readonly string[], count: number): { readonly shard: Shard; readonly names: string[] }[] {
  const shards = Array.from({ length: count }, (_, i) => ({ shard: { index: i + 1, count }, names: [] as string[] }));
  for (const name of names) shards[shardOf(name, count) - 1]?.names.push(name);
  return shards;
}
