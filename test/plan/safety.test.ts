import { describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { plan } from '../../src/plan/plan.js';
import { DEFAULT_MAX_DELETES, assertSafe, countDeletes, hasChanges } from '../../src/plan/safety.js';
import { PLAN, desired, lit, remote, sid, state } from './helpers.js';

function unsafe(fn: () => void): SinkopsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SinkopsError) return e;
    throw e;
  }
  throw new Error('expected UNSAFE_PLAN');
}

describe('assertSafe', () => {
  const managed = [remote(1, { name: 'a' }), remote(2, { name: 'b' })];

  it('refuses a plan that deletes every managed sink, naming --allow-empty', () => {
    const p = plan([], state(managed), PLAN);
    const e = unsafe(() => assertSafe(p, { maxDeletes: DEFAULT_MAX_DELETES, allowEmpty: false }));
    expect(e.code).toBe('UNSAFE_PLAN');
    expect(e.message).toContain('--allow-empty');
    expect(() => assertSafe(p, { maxDeletes: DEFAULT_MAX_DELETES, allowEmpty: true })).not.toThrow();
  });

  it('refuses a mistyped --dir that holds one unrelated sink: it creates, but keeps no managed sink', () => {
    const p = plan([desired('unrelated')], state(managed), PLAN);
    expect(p.summary).toMatchObject({ create: 1, delete: 2 });
    expect(unsafe(() => assertSafe(p, { maxDeletes: DEFAULT_MAX_DELETES, allowEmpty: false })).message).toContain('--allow-empty');
  });

  it('judges a saved plan without its noops listed by its summary, not by the actions it lists', () => {
    const p = plan([desired('a')], state([remote(1, { name: 'a', config: { destination: 'https://example.org/a', method: 'POST' } }), remote(2, { name: 'b' })]), PLAN);
    const unlisted = { ...p, actions: p.actions.filter((a) => a.action !== 'noop') };
    expect(unlisted.actions.map((a) => a.action)).toEqual(['delete']);
    expect(() => assertSafe(unlisted, { maxDeletes: 10, allowEmpty: false })).not.toThrow();
  });

  it('does not call a plan empty when a sink is kept', () => {
    const p = plan([desired('a')], state([remote(1, { name: 'a', config: { destination: 'https://example.org/a', method: 'POST' } }), remote(2, { name: 'b' })]), PLAN);
    expect(() => assertSafe(p, { maxDeletes: 10, allowEmpty: false })).not.toThrow();
  });

  it('counts deletes, replace-deletes and adopt-replaces against --max-deletes', () => {
    const p = plan(
      [
        desired('a', { config: { destination: lit('https://new.example/') } }), // replace
        desired('c', { sid: sid(9) }), // adopt + replace
      ],
      state([remote(1, { name: 'a' }), remote(2, { name: 'b' }), remote(9, { description: 'x', config: { destination: 'https://old/' } })]),
      PLAN,
    );
    expect(countDeletes(p)).toBe(3);
    const e = unsafe(() => assertSafe(p, { maxDeletes: 2, allowEmpty: false }));
    expect(e.message).toContain('--max-deletes 3');
    expect(() => assertSafe(p, { maxDeletes: 3, allowEmpty: false })).not.toThrow();
  });

  it('reports changes, counting blocked actions and not noops', () => {
    expect(hasChanges(plan([desired('a')], state([remote(1, { name: 'a' })]), PLAN))).toBe(false);
    expect(hasChanges(plan([], state([remote(1, { name: 'a' })], { [sid(1)]: [] }), PLAN))).toBe(true);
  });
});
