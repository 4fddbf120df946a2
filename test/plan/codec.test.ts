import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigValue, DesiredSink, SinkType } from '../../src/desired/model.js';
import { SinkopsError } from '../../src/errors.js';
import { decodePlan, encodePlan, readPlanFile } from '../../src/plan/codec.js';
import type { Plan } from '../../src/plan/model.js';
import { compareActions } from '../../src/plan/order.js';
import { planHash } from '../../src/plan/plan-hash.js';
import { plan, sinkFingerprint } from '../../src/plan/plan.js';
import { assertCurrent, planFromSaved, resolveSecrets, toSaved } from '../../src/plan/saved-plan.js';
import type { RemoteSink } from '../../src/remote/model.js';
import { renderPlan } from '../../src/render/index.js';
import { fixturePlan, fixtureWorld } from '../render/fixture.js';
import { desired, dfSid, lit, remote, sid, state } from './helpers.js';

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
      if (original === undefined || original.action === 'create' || !('before' in a)) continue;
      expect(a.before.fingerprint).toBe(sinkFingerprint(original.before));
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
    const other = JSON.stringify({ ...(JSON.parse(text) as object), format_version: 3 });
    const e = planFileError(other);
    expect(e.code).toBe('PLAN_FILE');
    expect(e.message).toContain('format_version 3');
    expect(e.details.join('\n')).toContain('sinkops plan --out');
  });

  it('locates a JSON syntax error in the file', () => {
    expect(planFileError('{\n  "format_version": 2,\n}').message).toMatch(/^plan\.json:3:1: not a sinkops plan: /);
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

  it('reads ${VAR} references from sensitive_refs, not $${ literals', () => {
    const data = JSON.parse(text) as { actions: { name: string; sensitive_refs?: Record<string, string> }[] };
    const stream = data.actions.find((a) => a.name === 'orders-stream');
    if (stream?.sensitive_refs === undefined) throw new Error('fixture has no sensitive_refs');
    stream.sensitive_refs['external_id'] = 'a${A}b$${NOT}c${B_2}';
    const saved = readPlanFile(JSON.stringify(data), 'plan.json');
    const read = saved.actions.find((a) => a.name === 'orders-stream');
    expect(read !== undefined && 'after' in read && read.after.sinkConfiguration['external_id']?.envRefs).toEqual(['A', 'B_2']);
  });

  it('carries subscription actions through a saved plan, and apply gets the same ones against the same account', () => {
    const { account } = fixtureWorld();
    const saved = readPlanFile(text, 'plan.json');
    expect(saved.subscriptionSummary).toEqual(p.subscriptionSummary);
    expect(saved.subscriptions.map((a) => [a.action, a.sink, a.name, a.before?.sid])).toEqual(
      p.subscriptions.map((a) => [a.action, a.sink, a.name, a.before?.sid]),
    );
    const back = planFromSaved(resolveSecrets(saved, { ORDERS_EXTERNAL_ID: 'DESIRED-EXTERNAL-ID-n3w' }, () => undefined), account, p.options);
    expect(back.subscriptions).toEqual(p.subscriptions);
    expect(planHash(back)).toBe(planHash(p));
  });

  it('refuses a saved plan whose subscription changed since it was planned', () => {
    const { account } = fixtureWorld();
    const saved = readPlanFile(text, 'plan.json');
    const touched = saved.subscriptions.find((a) => a.action === 'update')?.before?.sid ?? '';
    const changed = { ...account, subscribedEvents: new Map([...account.subscribedEvents, [touched, [{ type: 'com.twilio.messaging.message.failed', schemaVersion: 3 }]]]) };
    expect(() => assertCurrent(saved, changed, 'plan.json')).toThrow(/is stale/);
  });

  it('refuses a plan saved by sinkops 0.1 (format_version 1), saying how to make a new one', () => {
    const file = 'test/fixtures/plans/saved-by-0.1.json';
    expect(() => readPlanFile(readFileSync(file, 'utf8'), file)).toThrow(/has plan format_version 1; this sinkops reads version 2/);
  });
});

// ---- property: the codec round-trips any plan the planner can make -----------------------------

const NAMES = ['a', 'b', 'c', 'd', 'e'] as const;
const URLS = ['https://example.org/1', 'https://example.org/2'] as const;

/** Environment the generated `${VAR}` templates read; VAR_UNSET is never set (an unknown value). */
const ENV: Readonly<Record<string, string>> = { VAR_A: 'secret-a', VAR_B: 'secret-b' };
/** Literal secrets written in the repository come back from `--dir` at apply time, by name and key. */
const LITERAL = 'literal-secret';

const templateArb = fc.constantFrom('${VAR_A}', '${VAR_B}', 'pre-${VAR_A}', '${VAR_UNSET}');
const secretValueArb: fc.Arbitrary<ConfigValue> = fc.oneof(
  templateArb.map((template): ConfigValue => {
    const refs = [...template.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] ?? '');
    const value = refs.every((r) => ENV[r] !== undefined) ? template.replace(/\$\{(\w+)\}/g, (_, r: string) => ENV[r] ?? '') : undefined;
    return { value, sensitive: true, template, envRefs: refs };
  }),
  fc.constant<ConfigValue>({ value: LITERAL, sensitive: true, envRefs: [] }),
);

/** fc.record builds objects without a prototype; the loader's are plain objects. */
const configArb = (type: SinkType): fc.Arbitrary<Record<string, ConfigValue>> => configShapeArb(type).map((config) => ({ ...config }));

const configShapeArb = (type: SinkType): fc.Arbitrary<Record<string, ConfigValue>> => {
  switch (type) {
    case 'webhook':
      return fc.record({
        destination: fc.constantFrom(...URLS).map(lit),
        method: fc.constantFrom('POST', 'GET').map(lit),
        batch_events: fc.boolean().map(lit),
      });
    case 'kinesis':
      return fc.record({ arn: fc.constant(lit('arn:s')), role_arn: fc.constant(lit('arn:r')), external_id: secretValueArb });
    case 'segment':
      return fc.record({ write_key: secretValueArb });
  }
};

const typeArb = fc.constantFrom<SinkType>('webhook', 'kinesis', 'segment');

/** A remote configuration for a type: usually like a desired one, sometimes not. */
const remoteConfigArb = (type: string): fc.Arbitrary<Record<string, unknown>> =>
  (type === 'webhook'
    ? fc.record({ destination: fc.constantFrom(...URLS), method: fc.constantFrom('POST', 'GET') })
    : type === 'kinesis'
      ? fc.record({ arn: fc.constant('arn:s'), role_arn: fc.constant('arn:r'), external_id: fc.constantFrom('secret-a', 'other') })
      : type === 'segment'
        ? fc.record({ write_key: fc.constantFrom('secret-b', LITERAL) })
        : fc.constant({ to: 'ops@example.org' })
  ).map((config) => ({ ...config }));

const remoteArb = fc
  .record({
    n: fc.integer({ min: 1, max: 12 }),
    type: fc.constantFrom('webhook', 'kinesis', 'segment', 'email'),
    name: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
    status: fc.constantFrom('active', 'initialized'),
    inUse: fc.boolean(),
  })
  .chain((r) => remoteConfigArb(r.type).map((config) => ({ ...r, config })));

const desiredArb = fc
  .record({
    type: typeArb,
    // undefined: the builders' default, `<name> sink`, which the generated remote sinks carry too
    description: fc.constantFrom(undefined, 'changed'),
    pin: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 12 }), weight: 1 }),
  })
  .chain((d) => configArb(d.type).map((config) => ({ ...d, config })));

const worldArb = fc.record({
  desired: fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), desiredArb), { selector: ([name]) => name, maxLength: 5 }),
  remote: fc.uniqueArray(remoteArb, { selector: (r) => r.n, maxLength: 8 }),
  prune: fc.boolean(),
  stack: fc.option(fc.constant('prod'), { nil: undefined }),
  // Low limits make the planner reorder (prunes first, delete-first replaces) or refuse (SINK_LIMIT).
  sinkLimit: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  replace: fc.subarray([...NAMES]),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function planOf(world: World): { plan: Plan; sinks: RemoteSink[]; inUse: Record<string, string[]> } {
  const wanted: DesiredSink[] = world.desired.map(([name, d]) =>
    desired(name, { type: d.type, ...(d.description === undefined ? {} : { description: d.description }), config: d.config, ...(d.pin === undefined ? {} : { sid: sid(d.pin) }) }),
  );
  const sinks = world.remote.map((r) =>
    remote(r.n, {
      type: r.type,
      config: r.config,
      status: r.status,
      ...(r.name === undefined ? {} : { name: r.name, ...(world.stack === undefined ? {} : { stack: world.stack }) }),
    }),
  );
  const inUse = Object.fromEntries(world.remote.filter((r) => r.inUse).map((r) => [sid(r.n), [dfSid(r.n)]]));
  const options = {
    prune: world.prune,
    ...(world.stack === undefined ? {} : { stack: world.stack }),
    ...(world.sinkLimit === undefined ? {} : { sinkLimit: world.sinkLimit }),
    ...(world.replace.length === 0 ? {} : { replace: world.replace }),
  };
  return { plan: plan(wanted, state(sinks, inUse), options), sinks, inUse };
}

describe('plan codec (property)', () => {
  it('decode(encode(saved)) is the saved plan, through the file text and the schema', () => {
    fc.assert(
      fc.property(worldArb, fc.boolean(), (world, verbose) => {
        const { plan: p } = planOf(world);
        const saved = toSaved(p, { verbose });
        expect(decodePlan(encodePlan(saved))).toStrictEqual(saved);
        expect(readPlanFile(renderPlan(p, 'json', { color: false, verbose }), 'plan.json')).toStrictEqual(saved);
      }),
      { numRuns: 300 },
    );
  });

  it('a saved plan, its secrets resolved again, is the same typed plan against the same account', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { plan: p, sinks, inUse } = planOf(world);
        fc.pre(p.errors.length === 0);
        const text = renderPlan(p, 'json', { color: false, verbose: true });
        for (const secretValue of ['secret-a', 'secret-b', LITERAL]) expect(text).not.toContain(secretValue);
        const saved = resolveSecrets(readPlanFile(text, 'plan.json'), ENV, () => LITERAL);
        const back = planFromSaved(saved, state(sinks, inUse), p.options);
        expect(back).toStrictEqual(p);
        expect(planHash(back)).toBe(planHash(p));
      }),
      { numRuns: 300 },
    );
  });
});
