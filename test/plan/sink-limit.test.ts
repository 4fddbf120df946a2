/**
 * Twilio's sink limit (SPEC §12), counted by the planner through the apply order. Pure.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedAction } from '../../src/plan/model.js';
import { applyPhase } from '../../src/plan/order.js';
import { plan } from '../../src/plan/plan.js';
import { fitSinkLimit } from '../../src/plan/sink-limit.js';
import { PLAN, desired, dfSid, remote, sid, state } from './helpers.js';

/** `count` unmanaged sinks (SIDs from 100 up), which no plan touches. */
function others(count: number): ReturnType<typeof remote>[] {
  return Array.from({ length: count }, (_, i) => remote(100 + i));
}

const changed = (name: string): ReturnType<typeof desired> =>
  desired(name, { config: { destination: { value: `https://new.example/${name}`, sensitive: false, envRefs: [] } } });

const flags = (p: Plan): string[] =>
  p.actions.flatMap((a) => [
    ...(a.action === 'delete' && a.beforeCreates === true ? [`${a.name}:before-creates`] : []),
    ...((a.action === 'replace' || a.action === 'adopt') && a.deleteFirst === true ? [`${a.name}:delete-first`] : []),
  ]);

describe('the sink limit', () => {
  it('refuses a plan whose creates pass the limit, with the numbers and the way out, on the first create', () => {
    const p = plan([desired('a'), desired('b')], state(others(99)), PLAN);
    expect(p.errors).toHaveLength(1);
    const [e] = p.errors;
    expect(e?.code).toBe('SINK_LIMIT');
    expect(e?.name).toBe('a');
    expect(e?.source.file).toBe('sinks/a.yaml');
    expect(e?.message).toContain('would need 101 sinks at once, more than the 100 the account may hold');
    expect(e?.message).toContain('the account holds 99');
    expect(e?.message).toContain('Make room for 1');
    expect(e?.message).toContain('--sink-limit N');
    expect(p.sinkCount).toEqual({ limit: 100, now: 99, peak: 101 });
  });

  it('keeps the usual order, and says nothing, while the peak stays within the limit', () => {
    const p = plan([desired('a'), desired('b')], state([...others(97), remote(1, { name: 'gone' })]), PLAN);
    expect(p.errors).toEqual([]);
    expect(flags(p)).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.sinkCount).toEqual({ limit: 100, now: 98, peak: 100 });
  });

  it('runs the prunes before the creates when that keeps the peak within the limit', () => {
    const p = plan([desired('a'), desired('b')], state([...others(98), remote(1, { name: 'gone' })]), PLAN);
    expect(p.errors).toEqual([]);
    expect(flags(p)).toEqual(['gone:before-creates']);
    expect(p.sinkCount).toEqual({ limit: 100, now: 99, peak: 100 });
    expect(p.warnings.map((w) => w.code)).toEqual(['SINK_LIMIT_ORDER']);
    expect(p.warnings[0]?.message).toContain('deletes 1 sink before it creates any');
    // The executor's phases: the prune first, then the creates.
    const phases = p.actions.map((a) => [a.name, applyPhase(a)] as const);
    expect(phases).toEqual([['a', 0], ['b', 0], ['gone', -2]]);
  });

  it('replaces a sink no subscription uses by deleting it first, when the account is full', () => {
    const p = plan([changed('a')], state([...others(99), remote(1, { name: 'a' })]), PLAN);
    expect(p.errors).toEqual([]);
    expect(flags(p)).toEqual(['a:delete-first']);
    expect(p.sinkCount.peak).toBe(100);
    expect(p.warnings[0]?.message).toContain('replaces a by deleting the old sink first');
    expect(applyPhase(p.actions[0] as PlannedAction)).toBe(-1);
  });

  it('turns around only as many replacements as the limit needs, in the plan order', () => {
    const p = plan([changed('a'), changed('b'), changed('c')], state([...others(96), remote(1, { name: 'a' }), remote(2, { name: 'b' }), remote(3, { name: 'c' })]), PLAN);
    expect(flags(p)).toEqual(['a:delete-first', 'b:delete-first']);
    expect(p.sinkCount.peak).toBe(100);
  });

  it('blocks the replacement of a sink in use at the limit (its subscription holds it), and adds no error', () => {
    const p = plan([changed('a')], state([...others(99), remote(1, { name: 'a' })], { [sid(1)]: [dfSid(1)] }), PLAN);
    expect(p.actions.map((a) => a.action)).toEqual(['blocked']);
    expect(p.errors).toEqual([]);
  });

  it('needs a free slot for the replacement of a sink in use, and says how much room to make', () => {
    const base = plan([changed('a')], state([...others(50), remote(1, { name: 'a' })]), PLAN);
    const replace = base.actions[0] as PlannedAction;
    expect(replace.action).toBe('replace');
    const fit = fitSinkLimit([replace], 100, 100, () => true);
    expect(fit.errors.map((e) => e.code)).toEqual(['SINK_LIMIT']);
    expect(fit.errors[0]?.message).toContain('replaces 1 in use (their new sink must exist before the old one goes)');
    expect(fitSinkLimit([replace], 99, 100, () => true).errors).toEqual([]);
  });

  it('never refuses a plan that adds no sink, even in an account over the limit', () => {
    const p = plan([], state([...others(120), remote(1, { name: 'gone' })]), { ...PLAN, sinkLimit: 100 });
    expect(p.errors).toEqual([]);
    expect(p.sinkCount).toEqual({ limit: 100, now: 121, peak: 121 });
  });

  it('follows --sink-limit', () => {
    expect(plan([desired('a'), desired('b')], state(others(99)), { ...PLAN, sinkLimit: 101 }).errors).toEqual([]);
    expect(plan([desired('a')], state(others(4)), { ...PLAN, sinkLimit: 4 }).errors.map((e) => e.code)).toEqual(['SINK_LIMIT']);
  });

  it('does not count this stack\'s apply lease, which the next apply replaces', () => {
    const lease = remote(7, { description: 'sinkops apply in progress by h:1 until 2030-01-01T00:00:00.000Z [sinkops-lease:-]', config: { destination: 'https://lease.sinkops.invalid/', method: 'POST', batch_events: false } });
    const p = plan([desired('a')], state([...others(99), lease]), PLAN);
    expect(p.sinkCount.now).toBe(99);
    expect(p.errors).toEqual([]);
  });
});
