import { describe, expect, it } from 'vitest';
import type { DesiredSink } from '../../src/desired/model.js';
import type { Plan } from '../../src/plan/model.js';
import { readPlanFile } from '../../src/plan/codec.js';
import { parsePlanHash, planHash } from '../../src/plan/plan-hash.js';
import { plan } from '../../src/plan/plan.js';
import { planFromSaved, resolveSecrets } from '../../src/plan/saved-plan.js';
import type { RemoteSink } from '../../src/remote/model.js';
import { renderPlan } from '../../src/render/index.js';
import { PLAN, desired, dfSid, lit, remote, secret, sid, state } from '../plan/helpers.js';

const KINESIS = { arn: lit('arn:aws:kinesis:us-east-1:1:stream/s'), role_arn: lit('arn:aws:iam::1:role/R') };

/** Every kind of action: create (with a secret), update, adopt (+replace), replace, blocked, delete, noop. */
function world(secretValue = 'EXT-s3cr3t-1') {
  const wanted: DesiredSink[] = [
    desired('new-stream', { type: 'kinesis', config: { ...KINESIS, external_id: secret('EXT_ID', secretValue) } }),
    desired('renamed-text', { description: 'New text' }),
    desired('adopted', { sid: sid(0xa1), config: { destination: lit('https://example.org/other'), method: lit('POST') } }),
    desired('moved', { config: { destination: lit('https://example.org/moved-v2'), method: lit('POST') } }),
    desired('same'),
  ];
  const sinks: RemoteSink[] = [
    remote(0xb1, { name: 'renamed-text', description: 'Old text' }),
    remote(0xa1, { description: 'Console hook', config: { destination: 'https://example.org/adopted', method: 'POST' } }),
    remote(0xc1, { name: 'moved', config: { destination: 'https://example.org/moved', method: 'POST' } }),
    remote(0xd1, { name: 'same' }),
    remote(0xe1, { name: 'gone' }),
    remote(0xe2, { name: 'held' }),
    remote(0xf1, { type: 'email', description: 'Digest', config: {} }),
  ];
  return { wanted, sinks, inUse: { [sid(0xe2)]: [dfSid(1)] } };
}

function planOf(w: ReturnType<typeof world>): Plan {
  return plan(w.wanted, state(w.sinks, w.inUse), PLAN);
}

describe('planHash', () => {
  const base = planOf(world());
  const hash = planHash(base);

  it('is sha256 of what apply would do, and covers every kind of action', () => {
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(base.summary).toMatchObject({ create: 1, update: 1, adopt: 1, blocked: 1, delete: 1, replace: 1, noop: 1 });
    expect(base.actions.some((a) => a.action === 'adopt' && a.replace)).toBe(true);
  });

  it('does not depend on input order, source positions, warnings or the basis', () => {
    const w = world();
    const shuffled = planOf({ ...w, wanted: [...w.wanted].reverse(), sinks: [...w.sinks].reverse() });
    expect(planHash(shuffled)).toBe(hash);
    const moved = planOf({ ...w, wanted: w.wanted.map((d, i) => ({ ...d, source: { file: `sinks/other-${i}.yaml`, line: 40 + i, column: 3 } })) });
    expect(planHash(moved)).toBe(hash);
    // An unrelated sink appears, and the noop sink changes status: the basis and warnings change, the hash does not.
    const elsewhere = planOf({
      ...w,
      sinks: [...w.sinks.map((s) => (s.sid === sid(0xd1) ? { ...s, status: 'failed' } : s)), remote(0x99, { description: 'Someone else' })],
    });
    expect(elsewhere.basis).not.toBe(base.basis);
    expect(elsewhere.warnings.length).toBeGreaterThan(base.warnings.length);
    expect(planHash(elsewhere)).toBe(hash);
    expect(planHash({ actions: [...base.actions].reverse() })).toBe(hash);
  });

  it('never sees a secret value, but does see its ${VAR} reference', () => {
    expect(planHash(planOf(world('EXT-s3cr3t-2')))).toBe(hash);
    const w = world();
    const otherVar = planOf({
      ...w,
      wanted: w.wanted.map((d) => (d.name === 'new-stream' ? { ...d, sinkConfiguration: { ...KINESIS, external_id: secret('OTHER_ID', 'EXT-s3cr3t-1') } } : d)),
    });
    expect(planHash(otherVar)).not.toBe(hash);
  });

  it('changes when any action changes', () => {
    const w = world();
    const variants: [string, Plan][] = [
      ['a description', planOf({ ...w, wanted: w.wanted.map((d) => (d.name === 'renamed-text' ? { ...d, description: 'Newer text' } : d)) })],
      ['a configuration', planOf({ ...w, wanted: w.wanted.map((d) => (d.name === 'moved' ? desired('moved', { config: { destination: lit('https://example.org/v3') } }) : d)) })],
      ['one more delete', planOf({ ...w, sinks: [...w.sinks, remote(0xe9, { name: 'also-gone' })] })],
      ['a delete no longer blocked', planOf({ ...w, inUse: {} })],
      ['an adopt that no longer replaces', planOf({ ...w, wanted: w.wanted.map((d) => (d.name === 'adopted' ? desired('adopted', { sid: sid(0xa1), config: { destination: lit('https://example.org/adopted'), method: lit('POST') } }) : d)) })],
      ['a noop becomes a create', planOf({ ...w, sinks: w.sinks.filter((s) => s.sid !== sid(0xd1)) })],
      ['prune off', plan(w.wanted, state(w.sinks, w.inUse), { ...PLAN, prune: false })],
      ['another stack', plan(w.wanted, state(w.sinks, w.inUse), { ...PLAN, stack: 'prod' })],
    ];
    // The flag alone (the planner never changes it without the configuration): applied differently.
    variants.push(['only the replace flag', { ...base, actions: base.actions.map((a) => (a.action === 'adopt' ? { ...a, replace: !a.replace } : a)) }]);
    variants.push(['only the intended action of a blocked one', { ...base, actions: base.actions.map((a) => (a.action === 'blocked' ? { ...a, intended: 'replace' as const } : a)) }]);
    const seen = new Set([hash]);
    for (const [what, p] of variants) {
      const h = planHash(p);
      expect(seen.has(h), what).toBe(false);
      seen.add(h);
    }
  });

  it('hashes a saved plan read back from its file like the plan it was saved from', () => {
    const w = world();
    const json = renderPlan(base, 'json', { color: false, verbose: true });
    expect(JSON.parse(json).plan_hash).toBe(hash);
    expect(json).not.toContain('EXT-s3cr3t-1');
    const saved = readPlanFile(json, 'plan.json');
    const remoteNow = state(w.sinks, w.inUse);
    const resolved = resolveSecrets(saved, { EXT_ID: 'EXT-s3cr3t-1' }, () => undefined);
    const back = planFromSaved(resolved, remoteNow, PLAN);
    expect(planHash(back)).toBe(hash);
  });

  it('is the first line of the Markdown plan, hidden, and absent from the text plan', () => {
    const md = renderPlan(base, 'markdown', { color: false, verbose: false });
    expect(md.split('\n')[0]).toBe(`<!-- sinkops:plan-hash ${hash} -->`);
    expect(md).toContain(`plan \`${hash}\``);
    expect(renderPlan(base, 'text', { color: false, verbose: true })).not.toContain(hash.slice(7));
  });

  it('parses --expect-plan-hash values strictly', () => {
    expect(parsePlanHash(` ${hash}\n`, '--expect-plan-hash')).toBe(hash);
    for (const bad of ['', 'sha256:abc', hash.toUpperCase(), hash.slice(7), `${hash}0`]) {
      expect(() => parsePlanHash(bad, '--expect-plan-hash')).toThrow(/must be 'sha256:' followed by 64 lowercase/);
    }
  });
});
