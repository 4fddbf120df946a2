import { describe, expect, it } from 'vitest';
import type { Plan, PlannedAction } from '../../src/plan/model.js';
import { plan, sinkFingerprint } from '../../src/plan/plan.js';
import { RENDER_FORMATS, renderPlan } from '../../src/render/index.js';
import { PLAN, desired, dfSid, lit, remote, secret, sid, state } from './helpers.js';

const kinds = (p: Plan): string[] => p.actions.map((a) => `${a.action}:${a.name}`);
const only = (p: Plan, kind: PlannedAction['action']): PlannedAction => {
  const found = p.actions.filter((a) => a.action === kind);
  expect(found).toHaveLength(1);
  return found[0] as PlannedAction;
};

describe('plan: the SPEC §4 table', () => {
  it('creates a desired sink with no managed remote sink, marker in the description', () => {
    const p = plan([desired('orders')], state([]), PLAN);
    const a = only(p, 'create');
    expect(a.action === 'create' && a.after.description).toBe('orders sink [sinkops:orders]');
    expect(a.action === 'create' && a.source.file).toBe('sinks/orders.yaml');
    expect(a.reasons).toEqual([{ kind: 'new' }]);
    expect(p.summary).toEqual({ create: 1, update: 0, adopt: 0, replace: 0, delete: 0, noop: 0, blocked: 0 });
  });

  it('is a noop when equal', () => {
    const p = plan([desired('orders')], state([remote(1, { name: 'orders' })]), PLAN);
    expect(kinds(p)).toEqual(['noop:orders']);
    expect(p.summary.noop).toBe(1);
  });

  it('updates when only the description differs', () => {
    const p = plan([desired('orders', { description: 'New text' })], state([remote(1, { name: 'orders' })]), PLAN);
    const a = only(p, 'update');
    expect(a.changes).toEqual([
      {
        path: 'description',
        before: '"orders sink [sinkops:orders]"',
        after: '"New text [sinkops:orders]"',
        forcesReplacement: false,
        sensitive: false,
      },
    ]);
  });

  it('replaces when the configuration differs, marking the forcing field', () => {
    const d = desired('orders', { config: { destination: lit('https://b.example/'), method: lit('POST') } });
    const p = plan([d], state([remote(1, { name: 'orders', config: { destination: 'https://a.example/', method: 'POST' } })]), PLAN);
    const a = only(p, 'replace');
    expect(a.changes).toEqual([
      {
        path: 'sink_configuration.destination',
        before: '(remote value not shown)',
        after: '"https://b.example/"',
        forcesReplacement: true,
        sensitive: false,
      },
    ]);
    expect(a.action === 'replace' && a.sid).toBe(sid(1));
  });

  it('replaces when the sink type differs', () => {
    const d = desired('orders', { type: 'segment', config: { write_key: secret('KEY', 'k1') } });
    const p = plan([d], state([remote(1, { name: 'orders' })]), PLAN);
    const a = only(p, 'replace');
    expect(a.changes.map((c) => c.path)).toEqual([
      'sink_type',
      'sink_configuration.destination',
      'sink_configuration.method',
      'sink_configuration.write_key',
    ]);
    expect(a.changes.find((c) => c.path === 'sink_configuration.write_key')).toMatchObject({
      after: '(sensitive value)',
      sensitive: true,
    });
  });

  it('deletes (prunes) a managed sink no longer in the repository', () => {
    const p = plan([desired('orders')], state([remote(1, { name: 'orders' }), remote(2, { name: 'gone' })]), PLAN);
    const a = only(p, 'delete');
    expect(a).toMatchObject({ name: 'gone', sid: sid(2), reasons: [{ kind: 'pruned' }] });
  });

  it('adopts a pinned unmanaged sink with the same configuration (marker added, no replace)', () => {
    const p = plan(
      [desired('orders', { sid: sid(5) })],
      state([remote(5, { description: 'Console-made', config: { destination: 'https://example.org/orders' } })]),
      PLAN,
    );
    const a = only(p, 'adopt');
    expect(a).toMatchObject({ sid: sid(5), replace: false, reasons: [{ kind: 'pinned', sid: sid(5) }] });
    expect(a.changes).toEqual([
      expect.objectContaining({ path: 'description', before: '"Console-made"', after: '"orders sink [sinkops:orders]"' }),
    ]);
    expect(p.unmanaged).toEqual([]); // the adopted sink is no longer listed as unmanaged
  });

  it('adopts and replaces a pinned unmanaged sink whose configuration differs', () => {
    const p = plan(
      [desired('orders', { sid: sid(5) })],
      state([remote(5, { description: 'Console-made', config: { destination: 'https://old.example/' } })]),
      PLAN,
    );
    const a = only(p, 'adopt');
    expect(a.action === 'adopt' && a.replace).toBe(true);
    expect(a.changes.some((c) => c.forcesReplacement)).toBe(true);
    expect(p.summary).toMatchObject({ adopt: 1, create: 0, replace: 0 });
  });
});

describe('plan: in-use sinks are blocked, never deleted', () => {
  it('blocks the delete of a pruned sink in use, naming the subscriptions', () => {
    const p = plan([], state([remote(2, { name: 'legacy' })], { [sid(2)]: [dfSid(2), dfSid(1)] }), PLAN);
    const a = only(p, 'blocked');
    expect(a).toMatchObject({
      intended: 'delete',
      sid: sid(2),
      reason: `in use by subscription ${dfSid(1)}, ${dfSid(2)}, which sinkops does not manage (remove it in Twilio, or keep the sink in the repository)`,
      subscriptions: [dfSid(1), dfSid(2)],
    });
    expect(p.summary.delete).toBe(0);
  });

  it('says "in use by a subscription" when the holders are unknown', () => {
    const p = plan([], state([remote(2, { name: 'legacy' })], { [sid(2)]: [] }), PLAN);
    expect(only(p, 'blocked')).toMatchObject({ reason: 'in use by a subscription', subscriptions: [] });
  });

  it('blocks a whole replace whose old sink is in use (no create is planned)', () => {
    const d = desired('orders', { config: { destination: lit('https://b.example/') } });
    const p = plan([d], state([remote(1, { name: 'orders' })], { [sid(1)]: [dfSid(9)] }), PLAN);
    expect(kinds(p)).toEqual(['blocked:orders']);
    const a = only(p, 'blocked');
    expect(a).toMatchObject({ intended: 'replace', source: d.source });
    expect(a.changes.some((c) => c.forcesReplacement)).toBe(true);
  });

  it('blocks an adopt-with-replace of an in-use sink', () => {
    const p = plan(
      [desired('orders', { sid: sid(5) })],
      state([remote(5, { description: 'x', config: { destination: 'https://old.example/' } })], { [sid(5)]: [dfSid(1)] }),
      PLAN,
    );
    expect(kinds(p)).toEqual(['blocked:orders']);
    expect(only(p, 'blocked')).toMatchObject({ intended: 'adopt' });
  });

  it('adopts an in-use sink when no replacement is needed (nothing is deleted)', () => {
    const p = plan(
      [desired('orders', { sid: sid(5) })],
      state([remote(5, { description: 'x' , config: { destination: 'https://example.org/orders', method: 'POST' } })], { [sid(5)]: [dfSid(1)] }),
      PLAN,
    );
    expect(kinds(p)).toEqual(['adopt:orders']);
  });
});

describe('plan: pins', () => {
  it('refuses a pinned SID that does not exist (an error, never a silent create)', () => {
    const p = plan([desired('orders', { sid: sid(7) })], state([remote(1)]), PLAN);
    expect(p.errors).toEqual([
      expect.objectContaining({ code: 'PINNED_SID_NOT_FOUND', name: 'orders', source: desired('orders').source }),
    ]);
    expect(p.actions).toEqual([]); // nothing created, the unmanaged sink untouched
  });

  it('accepts a pin whose sink an adopt replaced: the marker finds the new sink', () => {
    // `sid: 7` was adopted with a different configuration: apply created sink 1 (marked) and deleted 7.
    const p = plan([desired('orders', { sid: sid(7) })], state([remote(1, { name: 'orders' })]), PLAN);
    expect(p.errors).toEqual([]);
    expect(kinds(p)).toEqual(['noop:orders']);
  });

  it('renames by pin: the marker follows, same sink, nothing pruned', () => {
    const config = { destination: lit('https://example.org/orders'), method: lit('POST') };
    const p = plan([desired('orders-v2', { sid: sid(3), config })], state([remote(3, { name: 'orders' })]), PLAN);
    expect(kinds(p)).toEqual(['update:orders-v2']);
    const a = only(p, 'update');
    expect(a).toMatchObject({ sid: sid(3), reasons: [{ kind: 'renamed', from: 'orders' }] });
    expect(a.action === 'update' && a.after.description).toBe('orders-v2 sink [sinkops:orders-v2]');
  });

  it('renames and replaces when the configuration differs too', () => {
    const p = plan([desired('orders-v2', { sid: sid(3) })], state([remote(3, { name: 'orders' })]), PLAN);
    expect(kinds(p)).toEqual(['replace:orders-v2']);
    expect(only(p, 'replace').reasons).toEqual([{ kind: 'renamed', from: 'orders' }, { kind: 'fields-changed' }]);
  });

  it('refuses a pin of a sink managed under another name that is still desired', () => {
    const p = plan(
      [desired('orders'), desired('orders-v2', { sid: sid(3) })],
      state([remote(3, { name: 'orders' })]),
      PLAN,
    );
    expect(p.errors.map((e) => [e.code, e.name])).toEqual([['PINNED_SID_CONFLICT', 'orders-v2']]);
    expect(kinds(p)).toEqual(['noop:orders']);
  });

  it('refuses two names pinning one SID', () => {
    const p = plan([desired('a', { sid: sid(3) }), desired('b', { sid: sid(3) })], state([remote(3)]), PLAN);
    expect(p.errors.map((e) => [e.code, e.name])).toEqual([['PINNED_SID_CONFLICT', 'b']]);
  });

  it('refuses a pin of a type sinkops does not manage', () => {
    const p = plan([desired('mail', { sid: sid(4) })], state([remote(4, { type: 'email', config: { to: 'a@b' } })]), PLAN);
    expect(p.errors.map((e) => e.code)).toEqual(['PINNED_SID_TYPE']);
    expect(p.unmanaged.map((s) => s.sid)).toEqual([sid(4)]);
  });

  it('keeps the pinned sink when the name already has another managed sink, removing the other', () => {
    const other = remote(1, { name: 'orders', config: { destination: 'https://example.org/elsewhere', method: 'POST' } });
    const p = plan([desired('orders', { sid: sid(5) })], state([other, remote(5, { description: 'x' })]), PLAN);
    expect(kinds(p)).toEqual(['adopt:orders', 'delete:orders']);
    expect(only(p, 'delete').reasons).toEqual([{ kind: 'duplicate-marker', keep: sid(5) }]);
  });

  it('finishes an adopt-with-replace stopped between its create and its delete', () => {
    // sid(1) carries the marker and matches the repository: the adoption created it; sid(5) is the old half.
    const p = plan([desired('orders', { sid: sid(5) })], state([remote(1, { name: 'orders' }), remote(5, { description: 'x' })]), PLAN);
    expect(kinds(p)).toEqual(['delete:orders', 'noop:orders']);
    expect(p.actions.find((a) => a.action === 'delete')).toMatchObject({ sid: sid(5) });
    expect(only(p, 'delete').reasons).toEqual([{ kind: 'pinned', sid: sid(5) }, { kind: 'duplicate-marker', keep: sid(1) }]);
  });

  it('warns about a pin whose sink was replaced, and plans against its successor', () => {
    const p = plan([desired('orders', { sid: sid(5) })], state([remote(1, { name: 'orders' })]), PLAN);
    expect(p.errors).toEqual([]);
    expect(kinds(p)).toEqual(['noop:orders']);
    expect(p.warnings.map((w) => [w.code, w.sid])).toEqual([['STALE_PIN', sid(5)]]);
    expect(p.warnings[0]?.message).toContain(`sid: ${sid(1)}`);
  });
});

describe('plan: ownership', () => {
  it('with --stack manages only that stack’s markers', () => {
    const sinks = [
      remote(1, { name: 'orders', stack: 'prod' }),
      remote(2, { name: 'orders' }), // no stack: unmanaged for prod
      remote(3, { name: 'gone', stack: 'dev' }), // another stack: unmanaged
      remote(4, { name: 'gone', stack: 'prod' }),
    ];
    const p = plan([desired('orders')], state(sinks), { ...PLAN, stack: 'prod' });
    expect(kinds(p)).toEqual(['delete:gone', 'noop:orders']);
    expect(only(p, 'delete').action === 'delete' && only(p, 'delete')).toMatchObject({ sid: sid(4) });
    expect(p.unmanaged.map((s) => s.sid)).toEqual([sid(2), sid(3)]);
  });

  it('lists email (and other unknown types) as unmanaged, even with a marker', () => {
    const mail = remote(9, { type: 'email', config: { to: 'ops@example.org' }, description: 'Ops mail' });
    const marked = remote(8, { type: 'email', name: 'orders', config: {} });
    const p = plan([], state([mail, marked]), PLAN);
    expect(p.actions).toEqual([]);
    expect(p.unmanaged.map((s) => s.sid)).toEqual([sid(8), sid(9)]);
  });

  it('warns about an unmanaged lookalike but still creates', () => {
    const look = remote(6, { description: 'edited in the Console', config: { method: 'POST', destination: 'https://example.org/orders' } });
    const other = remote(7, { name: 'orders', stack: 'dev' }); // another stack's sink: not suggested
    const p = plan([desired('orders')], state([look, other]), PLAN);
    expect(kinds(p)).toEqual(['create:orders']);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'LOOKALIKE_UNMANAGED', sid: sid(6) })]);
    expect(p.warnings[0]?.message).toContain(`sid: ${sid(6)}`);
  });
});

describe('plan: duplicate markers', () => {
  it('keeps the one matching the desired state and deletes the other', () => {
    const stale = remote(1, { name: 'orders', config: { destination: 'https://old.example/' } });
    const good = remote(2, { name: 'orders' });
    const p = plan([desired('orders')], state([stale, good]), PLAN);
    expect(kinds(p)).toEqual(['delete:orders', 'noop:orders']);
    expect(only(p, 'delete')).toMatchObject({ sid: sid(1), reasons: [{ kind: 'duplicate-marker', keep: sid(2) }] });
    expect(p.warnings.map((w) => w.code)).toEqual(['DUPLICATE_MARKER']);
  });

  it('keeps the in-use one when none matches, else the oldest', () => {
    const a = remote(1, { name: 'orders', config: { destination: 'https://a.example/' }, created: '2024-01-01T00:00:00Z' });
    const b = remote(2, { name: 'orders', config: { destination: 'https://b.example/' }, created: '2023-01-01T00:00:00Z' });
    const inUse = plan([desired('orders')], state([a, b], { [sid(1)]: [dfSid(1)] }), PLAN);
    expect(inUse.actions.find((x) => x.action === 'delete')).toMatchObject({ sid: sid(2) });
    expect(inUse.actions.find((x) => x.action === 'blocked')).toMatchObject({ sid: sid(1), intended: 'replace' });
    const oldest = plan([desired('orders')], state([a, b]), PLAN);
    expect(oldest.actions.find((x) => x.action === 'delete')).toMatchObject({ sid: sid(1) });
    expect(oldest.actions.find((x) => x.action === 'replace')).toMatchObject({ sid: sid(2) });
  });

  it('blocks the delete of a duplicate that is in use', () => {
    const good = remote(1, { name: 'orders' });
    const dup = remote(2, { name: 'orders', config: { destination: 'https://old.example/' } });
    const p = plan([desired('orders')], state([good, dup], { [sid(2)]: [dfSid(3)] }), PLAN);
    expect(kinds(p)).toEqual(['blocked:orders', 'noop:orders']);
    expect(only(p, 'blocked')).toMatchObject({ sid: sid(2), intended: 'delete' });
    expect(only(p, 'blocked').reasons[0]).toEqual({ kind: 'duplicate-marker', keep: sid(1) });
  });
});

describe('plan: prune off, status, unknown sensitive values', () => {
  it('with prune off deletes nothing and warns, listing the sinks', () => {
    const p = plan([], state([remote(2, { name: 'gone' })]), { ...PLAN, prune: false });
    expect(p.actions).toEqual([]);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'PRUNE_DISABLED' })]);
    expect(p.warnings[0]?.message).toContain(`gone (${sid(2)})`);
  });

  it('gives a non-active kinesis sink the activation steps', () => {
    const config = { arn: lit('arn:s'), role_arn: lit('arn:r'), external_id: secret('EXT', 'e1') };
    const p = plan(
      [desired('stream', { type: 'kinesis', config })],
      state([remote(1, { name: 'stream', type: 'kinesis', status: 'initialized', config: { arn: 'arn:s', role_arn: 'arn:r', external_id: 'e1' } })]),
      PLAN,
    );
    expect(kinds(p)).toEqual(['noop:stream']);
    const w = p.warnings.find((x) => x.code === 'NOT_ACTIVE');
    expect(w?.message).toContain('`sinkops activate stream`');
    expect(w?.message).toContain('`sinkops activate stream --test-id <id>`');
  });

  it('warns for other non-active sinks too', () => {
    const p = plan([desired('orders')], state([remote(1, { name: 'orders', status: 'failed' })]), PLAN);
    expect(p.warnings.map((w) => w.code)).toEqual(['NOT_ACTIVE']);
  });

  it('compares an unset sensitive value as unknown (warning, no replace)', () => {
    const config = { arn: lit('arn:s'), role_arn: lit('arn:r'), external_id: secret('EXT', undefined) };
    const p = plan(
      [desired('stream', { type: 'kinesis', config })],
      state([remote(1, { name: 'stream', type: 'kinesis', config: { arn: 'arn:s', role_arn: 'arn:r', external_id: 'remote-secret' } })]),
      PLAN,
    );
    expect(kinds(p)).toEqual(['noop:stream']);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'UNKNOWN_SENSITIVE', name: 'stream' })]);
    expect(p.warnings[0]?.message).toContain('$EXT');
  });

  it('shows a changed known secret only as (sensitive value)', () => {
    const config = { arn: lit('arn:s'), role_arn: lit('arn:r'), external_id: secret('EXT', 'new-secret') };
    const p = plan(
      [desired('stream', { type: 'kinesis', config })],
      state([remote(1, { name: 'stream', type: 'kinesis', config: { arn: 'arn:s', role_arn: 'arn:r', external_id: 'old-secret' } })]),
      PLAN,
    );
    expect(only(p, 'replace').changes).toEqual([
      {
        path: 'sink_configuration.external_id',
        before: '(sensitive value)',
        after: '(sensitive value)',
        forcesReplacement: true,
        sensitive: true,
      },
    ]);
    expect(JSON.stringify(p.actions.map((a) => a.changes))).not.toContain('secret');
  });
});

describe('plan: semantic comparison', () => {
  it('ignores key order, applies defaults and normalises Twilio strings', () => {
    const d = desired('orders', {
      config: { method: lit('POST'), destination: lit('https://example.org/orders'), batch_events: lit(true) },
    });
    const same = [
      { destination: 'https://example.org/orders', batch_events: 'true' }, // method defaults to POST; "true" is true
      { batch_events: true, method: 'post', destination: 'https://example.org/orders' },
    ];
    for (const config of same) {
      expect(kinds(plan([d], state([remote(1, { name: 'orders', config })]), PLAN))).toEqual(['noop:orders']);
    }
    const noBatch = desired('orders', { config: { destination: lit('https://example.org/orders'), batch_events: lit(false) } });
    expect(kinds(plan([noBatch], state([remote(1, { name: 'orders' })]), PLAN))).toEqual(['noop:orders']);
    const get = desired('orders', { config: { destination: lit('https://example.org/orders'), method: lit('GET') } });
    expect(kinds(plan([get], state([remote(1, { name: 'orders' })]), PLAN))).toEqual(['replace:orders']);
  });

  it('keeps a sink whose remote configuration has a key the repository lacks, and warns (SPEC §12)', () => {
    const p = plan([desired('orders')], state([remote(1, { name: 'orders', config: { destination: 'https://example.org/orders', extra: 'x' } })]), PLAN);
    expect(kinds(p)).toEqual(['noop:orders']);
    expect(p.warnings.map((w) => w.code)).toEqual(['REMOTE_ONLY_KEY']);
  });

  it('shows a template with only its ${…} parts hidden, so a reviewer sees where events go', () => {
    const d = desired('orders', { config: { destination: secret('HOOK_TOKEN', 'tok-s3cr3t'), method: lit('POST') } });
    const hook = { ...d, sinkConfiguration: { ...d.sinkConfiguration, destination: { ...secret('HOOK_TOKEN', 'https://hooks.example/in?k=tok-s3cr3t'), template: 'https://hooks.example/in?k=${HOOK_TOKEN}&lit=$${x}' } } };
    const p = plan([hook], state([]), PLAN);
    const rendered = renderPlan(p, 'text', { color: false, verbose: false });
    expect(rendered).toContain('sink_configuration.destination = "https://hooks.example/in?k=(sensitive)&lit=${x}"');
    expect(rendered).not.toContain('tok-s3cr3t');
  });

  it('never shows the remote value of a field that is or may have been sensitive', () => {
    // The repository used ${HOOK_URL} before; now it holds a literal. The remote value still
    // carries the old secret, and sinkops keeps no state to know it was one.
    const d = desired('orders', { config: { destination: lit('https://new.example/in'), method: lit('GET') } });
    const remoteSink = remote(1, { name: 'orders', config: { destination: 'https://old.example/in?k=old-s3cr3t', method: 'POST' } });
    const p = plan([d], state([remoteSink]), PLAN);
    expect(only(p, 'replace').changes).toEqual([
      { path: 'sink_configuration.destination', before: '(remote value not shown)', after: '"https://new.example/in"', forcesReplacement: true, sensitive: false },
      { path: 'sink_configuration.method', before: '"POST"', after: '"GET"', forcesReplacement: true, sensitive: false },
    ]);
    for (const format of RENDER_FORMATS) expect(renderPlan(p, format, { color: false, verbose: true })).not.toContain('old-s3cr3t');
  });
});

describe('plan: purity and determinism', () => {
  const desiredSinks = [
    desired('a'),
    desired('b', { description: 'changed' }),
    desired('c', { config: { destination: lit('https://c2.example/') } }),
    desired('d', { sid: sid(40) }),
    desired('e'),
  ];
  const sinks = [
    remote(10, { name: 'a' }),
    remote(11, { name: 'b' }),
    remote(12, { name: 'c' }),
    remote(40, { description: 'adopt me' }),
    remote(13, { name: 'z' }),
    remote(14, { name: 'y' }),
    remote(15, { name: 'a', config: { destination: 'https://dup.example/' } }),
    remote(16, { type: 'email', description: 'mail' }),
  ];
  const inUse = { [sid(14)]: [dfSid(1)] };

  function shuffle<T>(items: readonly T[], seed: number): T[] {
    const out = [...items];
    let s = seed;
    for (let i = out.length - 1; i > 0; i -= 1) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  it('gives the same plan for shuffled inputs', () => {
    const reference = plan(desiredSinks, state(sinks, inUse), PLAN);
    expect(kinds(reference)).toEqual([
      'create:e',
      'update:b',
      // d's adoption replaces its sink, so it ranks with the replacements (src/plan/action.ts)
      'replace:c',
      'adopt:d',
      'blocked:y',
      'delete:a',
      'delete:z',
      'noop:a',
    ]);
    for (let seed = 1; seed <= 5; seed += 1) {
      expect(plan(shuffle(desiredSinks, seed), state(shuffle(sinks, seed * 7), inUse), PLAN)).toEqual(reference);
    }
  });

  it('fingerprints the remote state: basis changes with a description, and sinkFingerprint per sink', () => {
    const a = plan([], state(sinks), { ...PLAN, prune: false });
    const b = plan([], state([...sinks.slice(1), { ...sinks[0]!, description: 'edited' }]), { ...PLAN, prune: false });
    expect(a.basis).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.basis).not.toBe(a.basis);
    expect(sinkFingerprint(sinks[0]!)).toBe(sinkFingerprint({ ...sinks[0]!, sinkConfiguration: { method: 'POST', destination: 'https://example.org/a' } }));
    expect(sinkFingerprint(sinks[0]!)).not.toBe(sinkFingerprint({ ...sinks[0]!, status: 'failed' }));
  });

  it('rejects duplicate desired names (a loader bug)', () => {
    expect(() => plan([desired('a'), desired('a')], state([]), PLAN)).toThrow(/duplicate desired sink name/);
  });
});

describe('plan: --replace NAME', () => {
  it('replaces a sink that is up to date, with the reason "replace-requested"', () => {
    const p = plan([desired('orders')], state([remote(1, { name: 'orders' })]), { ...PLAN, replace: ['orders'] });
    const a = only(p, 'replace');
    expect(a.reasons).toEqual([{ kind: 'replace-requested' }]);
    expect(a.changes).toEqual([]);
    const text = renderPlan(p, 'text', { color: false, verbose: false });
    expect(text).toContain('+/- sink "orders"');
    expect(text).toContain('replacement requested (--replace)');
    expect(JSON.parse(renderPlan(p, 'json', { color: false, verbose: false })).actions[0].reasons).toEqual([{ kind: 'replace-requested' }]);
  });

  it('keeps the description change and adds the reason when the sink would only be updated', () => {
    const p = plan([desired('orders', { description: 'new' })], state([remote(1, { name: 'orders' })]), { ...PLAN, replace: ['orders'] });
    expect(only(p, 'replace').reasons).toEqual([{ kind: 'fields-changed' }, { kind: 'replace-requested' }]);
  });

  it('adopts and replaces a pinned sink, and blocks when a subscription uses it', () => {
    const pinned = remote(1, { description: 'legacy', config: { destination: 'https://example.org/orders', method: 'POST' } });
    const d = desired('orders', { sid: sid(1) });
    expect(only(plan([d], state([pinned]), { ...PLAN, replace: ['orders'] }), 'adopt')).toMatchObject({ replace: true });
    const blocked = only(plan([d], state([pinned], { [sid(1)]: [dfSid(1)] }), { ...PLAN, replace: ['orders'] }), 'blocked');
    expect(blocked).toMatchObject({ intended: 'adopt' });
  });

  it('creates a sink that does not exist yet, and says there was nothing to replace', () => {
    const p = plan([desired('orders')], state([]), { ...PLAN, replace: ['orders'] });
    expect(kinds(p)).toEqual(['create:orders']);
    expect(p.warnings.map((w) => w.code)).toEqual(['REPLACE_NOTHING']);
  });

  it('leaves the other sinks alone', () => {
    const p = plan([desired('a'), desired('b')], state([remote(1, { name: 'a' }), remote(2, { name: 'b' })]), { ...PLAN, replace: ['b'] });
    expect(kinds(p)).toEqual(['replace:b', 'noop:a']);
  });
});
