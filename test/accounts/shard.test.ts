import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inShard, MAX_SHARDS, parseShard, parseShardCount, shardOf, shardsOf } from '../../src/accounts/shard.js';

const NAMES = Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? `account-${i}` : `customers/cust-${i}`));

describe('parseShard', () => {
  it('reads i/N', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(parseShard(`${MAX_SHARDS}/${MAX_SHARDS}`)).toEqual({ index: MAX_SHARDS, count: MAX_SHARDS });
  });

  it.each([
    ['0/3', '--shard "0/3": the shard must be from 1 to 3'],
    ['4/3', '--shard "4/3": the shard must be from 1 to 3'],
    ['1/0', '--shard "1/0": the number of shards must be from 1 to 256'],
    ['1/257', '--shard "1/257": the number of shards must be from 1 to 256'],
    ['2', '--shard "2": must be i/N, the i-th of N shards (for example 2/4)'],
    ['a/b', '--shard "a/b": must be i/N, the i-th of N shards (for example 2/4)'],
    ['-1/3', '--shard "-1/3": must be i/N, the i-th of N shards (for example 2/4)'],
    ['1.5/3', '--shard "1.5/3": must be i/N, the i-th of N shards (for example 2/4)'],
    ['\u001b[2J1/2', '--shard "\\u001b[2J1/2": must be i/N, the i-th of N shards (for example 2/4)'],
  ])('refuses %j as a usage error naming the flag', (raw, message) => {
    expect(() => parseShard(raw)).toThrowError(expect.objectContaining({ code: 'USAGE', message }));
  });

  it('names the flag it is given', () => {
    expect(() => parseShard('x', '--only')).toThrowError(/^--only "x"/);
  });
});

describe('parseShardCount', () => {
  it('reads N from 1 to 256', () => {
    expect(parseShardCount('1')).toBe(1);
    expect(parseShardCount('256')).toBe(256);
    for (const bad of ['0', '257', '', 'x', '2.5', '-2', '1e2']) expect(() => parseShardCount(bad)).toThrowError(expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(/^--shards /) }));
  });
});

describe('shards', () => {
  it('puts each account in exactly one shard, by sha256 of its name', () => {
    for (const count of [1, 2, 3, 7, 16]) {
      for (const name of NAMES) {
        const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(name, { index, count }));
        expect(owners).toEqual([shardOf(name, count)]);
      }
    }
    const digest = createHash('sha256').update('customers/cust-1').digest();
    expect(shardOf('customers/cust-1', 7)).toBe((digest.readUInt32BE(0) % 7) + 1);
  });

  it('keeps every account in its shard when others come and go', () => {
    const before = new Map(NAMES.map((n) => [n, shardOf(n, 8)]));
    const after = [...NAMES.filter((_, i) => i % 7 !== 0), 'customers/new-1', 'customers/new-2'];
    for (const name of after) if (before.has(name)) expect(shardOf(name, 8)).toBe(before.get(name));
  });

  it('spreads the accounts over the shards', () => {
    const sizes = shardsOf(NAMES, 4).map((s) => s.names.length);
    for (const size of sizes) expect(size).toBeGreaterThan(80);
  });

  it('lists every shard of the matrix in order, their names disjoint and complete', () => {
    const shards = shardsOf(NAMES, 5);
    expect(shards.map((s) => s.shard)).toEqual([1, 2, 3, 4, 5].map((index) => ({ index, count: 5 })));
    const all = shards.flatMap((s) => s.names);
    expect(all.sort()).toEqual([...NAMES].sort());
    for (const s of shards) for (const name of s.names) expect(inShard(name, s.shard)).toBe(true);
    expect(shardsOf([], 3).map((s) => s.names)).toEqual([[], [], []]);
  });
});
