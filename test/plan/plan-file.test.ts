import { describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { sinkFingerprint } from '../../src/plan/plan.js';
import { readPlanFile, templateRefs } from '../../src/plan/plan-file.js';
import { compareActions } from '../../src/plan/order.js';
import { renderPlan } from '../../src/render/index.js';
import { fixturePlan } from '../render/fixture.js';

function planFileError(text: string): SinkopsError {
  try {
    readPlanFile(text, 'plan.json');
  } catch (e) {
    if (e instanceof SinkopsError) return e;
    throw e;
  }
  throw new Error('expected PLAN_FILE');
}

describe('readPlanFile', () => {
  const p = fixturePlan();
  const text = renderPlan(p, 'json', { color: false, verbose: false });

  it('reads back what the JSON renderer wrote, with everything apply needs', () => {
    const saved = readPlanFile(text, 'plan.json');
    expect(saved.basis).toBe(p.basis);
    expect(saved.summary).toEqual(p.summary);
    const changing = p.actions.filter((a) => a.action !== 'noop');
    expect(saved.actions.map((a) => [a.action, a.name, 'sid' in a ? a.sid : undefined])).toEqual(
      changing.map((a) => [a.action, a.name, a.action === 'create' ? undefined : a.sid]),
    );
    expect([...saved.actions].sort(compareActions)).toEqual(saved.actions);
    for (const [i, a] of saved.actions.entries()) {
      const original = changing[i];
      if (original === undefined || original.action === 'create' || !('beforeFingerprint' in a)) continue;
      expect(a.beforeFingerprint).toBe(sinkFingerprint(original.before));
    }
    const stream = saved.actions.find((a) => a.name === 'orders-stream');
    expect(stream?.action).toBe('replace');
    if (stream?.action !== 'replace') return;
    expect(stream.after.description).toBe('Orders stream [sinkops:orders-stream]');
    expect(stream.after.sinkType).toBe('kinesis');
    expect(stream.after.sinkConfiguration['external_id']).toEqual({
      value: undefined,
      sensitive: true,
      template: '${ORDERS_EXTERNAL_ID}',
      envRefs: ['ORDERS_EXTERNAL_ID'],
    });
    expect(stream.after.sinkConfiguration['arn']).toEqual({
      value: 'arn:aws:kinesis:us-east-1:111111111:stream/orders',
      sensitive: false,
      envRefs: [],
    });
    const adopt = saved.actions.find((a) => a.name === 'adopted-moved');
    expect(adopt).toMatchObject({ action: 'adopt', replace: true });
    const blocked = saved.actions.filter((a) => a.action === 'blocked');
    expect(blocked.map((b) => b.action === 'blocked' && b.intended)).toEqual(['delete', 'replace']);
    expect(saved.warnings.map((w) => w.code)).toEqual(['UNKNOWN_SENSITIVE', 'NOT_ACTIVE']);
    expect(saved.unmanaged).toHaveLength(2);
  });

  it('refuses another format version', () => {
    const other = JSON.stringify({ ...(JSON.parse(text) as object), format_version: 2 });
    const e = planFileError(other);
    expect(e.code).toBe('PLAN_FILE');
    expect(e.message).toContain('format_version 2');
  });

  it('locates a JSON syntax error in the file', () => {
    expect(planFileError('{\n  "format_version": 1,\n}').message).toMatch(/^plan\.json:3:1: not a sinkops plan: /);
  });

  it('refuses a file that is not JSON, or does not match the schema', () => {
    expect(planFileError('{').code).toBe('PLAN_FILE');
    const data = JSON.parse(text) as { actions: Record<string, unknown>[] };
    delete data.actions[1]?.['before_fingerprint'];
    const e = planFileError(JSON.stringify(data));
    expect(e.code).toBe('PLAN_FILE');
    expect(e.message).toContain('schema');
    const create = JSON.parse(text) as { actions: Record<string, unknown>[] };
    create.actions[0] = { ...create.actions[0], sid: 'DG00000000000000000000000000000001' };
    expect(planFileError(JSON.stringify(create)).code).toBe('PLAN_FILE');
  });

  it('finds ${VAR} references, not $${ literals', () => {
    expect(templateRefs('a${A}b$${NOT}c${B_2}')).toEqual(['A', 'B_2']);
  });
});
