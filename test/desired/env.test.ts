import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/desired/env.js';

describe('interpolate', () => {
  const env = { A: 'alpha', B: 'beta', EMPTY: '' };

  it('leaves text without references alone', () => {
    expect(interpolate('plain text', env)).toEqual({ ok: true, value: 'plain text', envRefs: [], missing: [] });
  });

  it('replaces ${NAME} references', () => {
    expect(interpolate('${A}', env)).toEqual({ ok: true, value: 'alpha', envRefs: ['A'], missing: [] });
    expect(interpolate('x-${A}-${B}-${A}', env)).toEqual({
      ok: true,
      value: 'x-alpha-beta-alpha',
      envRefs: ['A', 'B'],
      missing: [],
    });
  });

  it('treats $${ as a literal ${ and references nothing', () => {
    expect(interpolate('$${A}', env)).toEqual({ ok: true, value: '${A}', envRefs: [], missing: [] });
    expect(interpolate('$${A} and ${B}', env)).toEqual({ ok: true, value: '${A} and beta', envRefs: ['B'], missing: [] });
  });

  it('keeps other dollar signs as written', () => {
    expect(interpolate('$A $$ $ {A} cost$', env)).toEqual({ ok: true, value: '$A $$ $ {A} cost$', envRefs: [], missing: [] });
  });

  it('makes the value unknown when a variable is not set, and lists it', () => {
    expect(interpolate('${A}/${NOPE}/${NOPE}', env)).toEqual({
      ok: true,
      value: undefined,
      envRefs: ['A', 'NOPE'],
      missing: ['NOPE'],
    });
  });

  it('treats an empty variable as not set (a secret a fork pull request cannot see)', () => {
    expect(interpolate('${EMPTY}', env)).toMatchObject({ ok: true, value: undefined, missing: ['EMPTY'] });
  });

  it('does not expand references inside values (no recursion)', () => {
    expect(interpolate('${X}', { X: '${A}' })).toMatchObject({ ok: true, value: '${A}' });
  });

  it.each([['${}'], ['${a-b}'], ['${1A}'], ['${A:-default}'], ['${A'], ['x ${ A }']])('rejects %s', (template) => {
    const r = interpolate(template, env);
    expect(r.ok).toBe(false);
  });

  it('never echoes what is between the braces of a bad reference', () => {
    const r = interpolate('${s3cr3t value}', env);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).not.toContain('s3cr3t');
  });
});
