import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate, literalTemplate } from '../../src/desired/env.js';

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

  it.each([['${TWILIO_AUTH_TOKEN}'], ['https://x/?k=${GITHUB_TOKEN}'], ['${github_token}'], ['${ACTIONS_RUNTIME_TOKEN}'], ['${RUNNER_TEMP}'], ['${SINKOPS_DEADLINE}']])(
    'refuses %s: sinkops\'s own credentials are never sent to a sink',
    (template) => {
      const r = interpolate(template, { TWILIO_AUTH_TOKEN: 'twilio-s3cr3t', GITHUB_TOKEN: 'gh-s3cr3t', github_token: 'gh-s3cr3t' });
      expect(r).toMatchObject({ ok: false, reserved: true });
      if (!r.ok) expect(r.message).not.toContain('s3cr3t');
    },
  );

  it('gives back any text written with literalTemplate, unchanged and referencing nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '{', '}', 'A', '_', 'x', ' ') }), fc.string(), (tricky, any) => {
        for (const text of [tricky, any]) {
          expect(interpolate(literalTemplate(text), { A: 'set', x: 'set' })).toEqual({ ok: true, value: text, envRefs: [], missing: [] });
        }
      }),
    );
  });
});
