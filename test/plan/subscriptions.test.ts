/**
 * Subscriptions as code (SPEC §13): the planner's subscription half, over plain data.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, SubscriptionAction } from '../../src/plan/model.js';
import { plan } from '../../src/plan/plan.js';
import { CATALOGUE, PLAN, desired, dfSid, lit, remote, remoteSubscription, sid, state, subscription } from './helpers.js';

const DELIVERED = 'com.twilio.messaging.message.delivered';
const FAILED = 'com.twilio.messaging.message.failed';
const INBOUND = 'com.twilio.messaging.inbound-message.received';

const subs = (p: Plan): string[] => p.subscriptions.map((a) => `${a.action}:${a.sink}#${a.name}${a.before ? `@${a.before.sid.slice(-2)}` : ''}`);
const sinks = (p: Plan): string[] => p.actions.map((a) => `${a.action}:${a.name}`);
const only = (p: Plan, kind: SubscriptionAction['action']): SubscriptionAction => {
  const found = p.subscriptions.filter((a) => a.action === kind);
  expect(found).toHaveLength(1);
  return found[0] as SubscriptionAction;
};
const hook = (name: string, events: Record<string, number>, more: Parameters<typeof desired>[1] = {}) =>
  desired(name, { ...more, subscriptions: [subscription('status', events, { description: 'Status' })] });
const moved = (name: string) => ({ destination: lit(`https://example.org/${name}-v2`), method: lit('POST') });

describe('subscriptions: create, update, delete', () => {
  it('creates a declared subscription on the sink this apply creates (no SID yet), with its events', () => {
    const p = plan([hook('orders', { [DELIVERED]: 2 })], state([], {}, CATALOGUE), PLAN);
    const a = only(p, 'create');
    expect(a).toMatchObject({ sink: 'orders', name: 'status', reason: 'new', events: [{ type: DELIVERED, after: 2 }] });
    expect(a.sinkSid).toBeUndefined();
    expect(a.after).toEqual({ description: 'Status [sinkops:orders#status]', events: [{ type: DELIVERED, schemaVersion: 2 }] });
    expect(p.subscriptionSummary).toEqual({ create: 1, update: 0, move: 0, delete: 0, noop: 0 });
  });

  it('creates on a kept sink by its SID', () => {
    const p = plan([hook('orders', { [DELIVERED]: 2 })], state([remote(1, { name: 'orders' })], {}, CATALOGUE), PLAN);
    expect(only(p, 'create').sinkSid).toBe(sid(1));
  });

  it('updates in place: description, events added, versions changed and removed', () => {
    const account = state([remote(1, { name: 'orders' })], {}, {
      ...CATALOGUE,
      subscriptions: [remoteSubscription(7, sid(1), { sink: 'orders', name: 'status' }, 'Old words')],
      subscribedEvents: new Map([[dfSid(7), [{ type: DELIVERED, schemaVersion: 1 }, { type: INBOUND, schemaVersion: 1 }]]]),
    });
    const p = plan([hook('orders', { [DELIVERED]: 2, [FAILED]: 3 })], account, PLAN);
    const a = only(p, 'update');
    expect(a.events).toEqual([
      { type: INBOUND, before: 1 },
      { type: DELIVERED, before: 1, after: 2 },
      { type: FAILED, after: 3 },
    ].sort((x, y) => (x.type < y.type ? -1 : 1)));
    expect(a.changes.map((c) => c.path)).toEqual(['description']);
    expect(sinks(p)).toEqual(['noop:orders']);
  });

  it('is a noop when description and events are equal', () => {
    const account = state([remote(1, { name: 'orders' })], {}, {
      ...CATALOGUE,
      subscriptions: [remoteSubscription(7, sid(1), { sink: 'orders', name: 'status' }, 'Status')],
      subscribedEvents: new Map([[dfSid(7), [{ type: DELIVERED, schemaVersion: 2 }]]]),
    });
    const p = plan([hook('orders', { [DELIVERED]: 2 })], account, PLAN);
    expect(subs(p)).toEqual(['noop:orders#status@07']);
  });

  it('prunes a managed subscription no longer declared, and with --no-prune keeps it and says so', () => {
    const account = state([remote(1, { name: 'orders' })], {}, { subscriptions: [remoteSubscription(7, sid(1), { sink: 'orders', name: 'gone' })] });
    expect(subs(plan([desired('orders')], account, PLAN))).toEqual(['delete:orders#gone@07']);
    const kept = plan([desired('orders')], account, { ...PLAN, prune: false });
    expect(kept.subscriptions).toEqual([]);
    expect(kept.warnings.map((w) => w.message).join('\n')).toContain('1 managed subscription(s) no longer in the repository are kept: orders#gone');
  });

  it('leaves unmanaged subscriptions alone', () => {
    const account = state([remote(1, { name: 'orders' })], { [sid(1)]: [dfSid(9)] });
    expect(plan([desired('orders')], account, PLAN).subscriptions).toEqual([]);
  });
});

describe('subscriptions: sinks in use', () => {
  it('replaces a sink whose subscriptions are all managed, moving each to the new sink', () => {
    const account = state([remote(1, { name: 'orders' })], {}, {
      ...CATALOGUE,
      subscriptions: [remoteSubscription(7, sid(1), { sink: 'orders', name: 'status' }, 'Status')],
      subscribedEvents: new Map([[dfSid(7), [{ type: DELIVERED, schemaVersion: 2 }]]]),
    });
    const p = plan([hook('orders', { [DELIVERED]: 2 }, { config: moved('orders') })], account, PLAN);
    expect(sinks(p)).toEqual(['replace:orders']);
    const a = only(p, 'move');
    expect(a).toMatchObject({ reason: 'sink-replaced', before: { sid: dfSid(7), sinkSid: sid(1) }, events: [] });
    expect(a.sinkSid).toBeUndefined();
    // The new sink must exist before the old goes: never delete-first, even at the sink limit.
    const full = plan([hook('orders', { [DELIVERED]: 2 }, { config: moved('orders') })], { ...account, sinks: [...account.sinks, ...Array.from({ length: 99 }, (_, i) => remote(100 + i))] }, PLAN);
    expect(full.errors.map((e) => e.code)).toEqual(['SINK_LIMIT']);
  });

  it('blocks the replace while an unmanaged subscription uses the sink, naming it and how to adopt it', () => {
    const account = state([remote(1, { name: 'orders' })], { [sid(1)]: [dfSid(9)] }, {
      ...CATALOGUE,
      subscriptions: [remoteSubscription(7, sid(1), { sink: 'orders', name: 'status' }, 'Status')],
      subscribedEvents: new Map([[dfSid(7), [{ type: DELIVERED, schemaVersion: 1 }]]]),
    });
    const p = plan([hook('orders', { [DELIVERED]: 2 }, { config: moved('orders') })], account, PLAN);
    const blocked = p.actions[0];
    expect(blocked?.action).toBe('blocked');
    expect(blocked?.action === 'blocked' && blocked.reason).toContain(`in use by subscription ${dfSid(9)}, which sinkops does not manage (declare it under this sink with \`sid: ${dfSid(9)}\``);
    // The managed subscription is updated where it is: its sink stays.
    expect(subs(p)).toEqual(['update:orders#status@07']);
  });

  it('adopts a pinned subscription: the update gives it the marker', () => {
    const account = state([remote(1, { name: 'orders' })], {}, {
      ...CATALOGUE,
      subscriptions: [{ sid: dfSid(9), sinkSid: sid(1), description: 'Made by hand' }],
      subscribedEvents: new Map([[dfSid(9), [{ type: DELIVERED, schemaVersion: 2 }]]]),
    });
    const d = desired('orders', { subscriptions: [subscription('status', { [DELIVERED]: 2 }, { description: 'Status', sid: dfSid(9) })] });
    const a = only(plan([d], account, PLAN), 'update');
    expect(a).toMatchObject({ reason: 'pinned', changes: [{ path: 'description', after: '"Status [sinkops:orders#status]"' }], events: [] });
  });

  it('deletes a pruned sink after its managed subscriptions, which are pruned too', () => {
    const account = state([remote(1, { name: 'gone' }), remote(2, { name: 'kept' })], {}, { subscriptions: [remoteSubscription(7, sid(1), { sink: 'gone', name: 'status' })] });
    const p = plan([desired('kept')], account, PLAN);
    expect(sinks(p)).toEqual(['delete:gone', 'noop:kept']);
    expect(subs(p)).toEqual(['delete:gone#status@07']);
  });

  it('finishes an interrupted move: keeps the subscription on the kept sink and deletes the copy on the old one', () => {
    // Killed after the new sink (2) and the new subscription (8) were made, before the old ones went.
    const account = state(
      [remote(1, { name: 'orders', config: { destination: 'https://example.org/orders', method: 'POST' } }), remote(2, { name: 'orders', config: { destination: 'https://example.org/orders-v2', method: 'POST' } })],
      {},
      {
        ...CATALOGUE,
        subscriptions: [remoteSubscription(7, sid(1), { sink: 'orders', name: 'status' }, 'Status'), remoteSubscription(8, sid(2), { sink: 'orders', name: 'status' }, 'Status')],
        subscribedEvents: new Map([[dfSid(7), [{ type: DELIVERED, schemaVersion: 2 }]], [dfSid(8), [{ type: DELIVERED, schemaVersion: 2 }]]]),
      },
    );
    const p = plan([hook('orders', { [DELIVERED]: 2 }, { config: moved('orders') })], account, PLAN);
    expect(sinks(p)).toEqual([`delete:orders`, 'noop:orders']);
    expect(p.actions[0]?.action === 'delete' && p.actions[0].sid).toBe(sid(1));
    expect(subs(p)).toEqual(['delete:orders#status@07', 'noop:orders#status@08']);
  });
});

describe('subscriptions: checks against the catalogue', () => {
  it('refuses an unknown event type at its file:line:column, with a did-you-mean', () => {
    const d = hook('orders', { 'com.twilio.messaging.message.delivred': 2 });
    const p = plan([d], state([], {}, CATALOGUE), PLAN);
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatchObject({ code: 'UNKNOWN_EVENT_TYPE', source: { file: 'sinks/subs.yaml', line: 13, column: 9 } });
    expect(p.errors[0]?.message).toContain(`did you mean ${DELIVERED}?`);
  });

  it('refuses a schema version its schema lacks, listing the ones there are', () => {
    const p = plan([hook('orders', { [DELIVERED]: 9 })], state([], {}, CATALOGUE), PLAN);
    expect(p.errors[0]).toMatchObject({ code: 'UNKNOWN_SCHEMA_VERSION' });
    expect(p.errors[0]?.message).toContain('the versions there are: 1, 2, 3');
  });

  it('warns about a deprecated type', () => {
    const p = plan([hook('orders', { 'com.twilio.voice.status-callback.call.ringing': 1 })], state([], {}, CATALOGUE), PLAN);
    expect(p.errors).toEqual([]);
    expect(p.warnings.map((w) => w.code)).toEqual(['DEPRECATED_EVENT_TYPE']);
  });

  it('refuses a pinned subscription SID the account does not have', () => {
    const d = desired('orders', { subscriptions: [subscription('status', { [DELIVERED]: 2 }, { sid: dfSid(99) })] });
    expect(plan([d], state([remote(1, { name: 'orders' })], {}, CATALOGUE), PLAN).errors.map((e) => e.code)).toEqual(['SUBSCRIPTION_PIN_NOT_FOUND']);
  });

  it('defers a subscription on a sink that is not active yet, naming the activate step', () => {
    const p = plan([hook('orders', { [DELIVERED]: 2 })], state([remote(1, { name: 'orders', status: 'initialized' })], {}, CATALOGUE), PLAN);
    expect(p.subscriptions).toEqual([]);
    expect(p.warnings.find((w) => w.code === 'SUBSCRIPTION_DEFERRED')?.message).toContain('sinkops activate orders');
  });
});

describe('subscriptions: the one order', () => {
  it('lists creates and moves, then updates, then deletes', () => {
    const account = state([remote(1, { name: 'a' }), remote(2, { name: 'b' })], {}, {
      ...CATALOGUE,
      subscriptions: [remoteSubscription(7, sid(1), { sink: 'a', name: 'status' }, 'Status'), remoteSubscription(8, sid(2), { sink: 'b', name: 'old' })],
      subscribedEvents: new Map([[dfSid(7), [{ type: DELIVERED, schemaVersion: 1 }]], [dfSid(8), [{ type: DELIVERED, schemaVersion: 1 }]]]),
    });
    const p = plan([hook('a', { [DELIVERED]: 2 }), hook('b', { [DELIVERED]: 2 })], account, PLAN);
    expect(subs(p)).toEqual(['create:b#status', 'update:a#status@07', 'delete:b#old@08']);
  });
});
