/**
 * Subscriptions as code (SPEC §13): the subscription half of the planner. Pure, like plan.ts, which
 * calls it twice — first to learn which subscriptions hold their sink (a sink is removed only when
 * every subscription on it is this stack's and will move or go), then, once each sink's fate is
 * known, to plan the subscriptions themselves.
 *
 * A declared subscription is found by its marker `[sinkops:<sink>#<name>]` (or pinned by `sid:`).
 * It belongs on the sink its declaration sits under: kept there and updated in place (description,
 * events added, versions changed, events removed), or — when it is elsewhere, or its sink is new
 * or replaced — moved, which is a create on the right sink and then a delete of the old one, since
 * Twilio fixes a subscription's sink. Extra copies (an interrupted move) are deleted; managed
 * subscriptions no longer declared are pruned.
 */
import { didYouMean } from '../desired/did-you-mean.js';
import type { DesiredEvent, DesiredSink, DesiredSubscription, SourceLocation } from '../desired/model.js';
import type { RemoteState, SubscribedEvent, Subscription } from '../remote/model.js';
import { compareDescription } from './compare.js';
import { parseSubscriptionMarker, withSubscriptionMarker } from './marker.js';
import type {
  EventChange,
  PlanError,
  PlannedAction,
  PlanOptions,
  PlanWarning,
  SubscriptionAction,
  SubscriptionReason,
  SubscriptionState,
} from './model.js';
import { compareText } from './order.js';

/** Who a subscription is, as far as this stack is concerned. */
interface Ownership {
  /** Subscriptions with this stack's marker, by `sink#name`. */
  readonly byMarker: ReadonlyMap<string, readonly Subscription[]>;
  /** Pinned SID → the declaration (`sink#name`) that claims it. */
  readonly pins: ReadonlyMap<string, string>;
  /** `sink#name` of every declared subscription. */
  readonly declared: ReadonlySet<string>;
}

const key = (sink: string, name: string): string => `${sink}#${name}`;

function ownership(desired: readonly DesiredSink[], remote: RemoteState, stack: string | undefined): Ownership {
  const byMarker = new Map<string, Subscription[]>();
  for (const s of remote.subscriptions) {
    const marker = parseSubscriptionMarker(s.description, stack);
    if (marker !== undefined) byMarker.set(key(marker.sink, marker.name), [...(byMarker.get(key(marker.sink, marker.name)) ?? []), s]);
  }
  const pins = new Map<string, string>();
  const declared = new Set<string>();
  for (const d of desired) {
    for (const s of d.subscriptions) {
      declared.add(key(d.name, s.name));
      if (s.sid !== undefined && !pins.has(s.sid)) pins.set(s.sid, key(d.name, s.name));
    }
  }
  return { byMarker, pins, declared };
}

/** Whether a sink is held, and by which subscriptions (empty when the account said "in use" only). */
export interface Held {
  readonly held: boolean;
  readonly subscriptions: readonly string[];
}

/**
 * The subscriptions that hold each sink: every one on it that this plan will not move or delete —
 * another stack's or nobody's (unless a declaration pins it), and with pruning off, this stack's
 * that are no longer declared. A sink any of them hold is never deleted or replaced. A sink the
 * account reports in use with none of its subscriptions listed is held by ones unknown.
 */
export function subscriptionHolders(desired: readonly DesiredSink[], remote: RemoteState, options: PlanOptions): (sinkSid: string) => Held {
  const owned = ownership(desired, remote, options.stack);
  const held = new Map<string, string[]>();
  const listed = new Set<string>();
  for (const s of remote.subscriptions) {
    listed.add(s.sinkSid);
    const marker = parseSubscriptionMarker(s.description, options.stack);
    const goes = owned.pins.has(s.sid) || (marker !== undefined && (options.prune || owned.declared.has(key(marker.sink, marker.name))));
    if (!goes) held.set(s.sinkSid, [...(held.get(s.sinkSid) ?? []), s.sid]);
  }
  return (sinkSid) => {
    const by = held.get(sinkSid);
    if (by !== undefined) return { held: true, subscriptions: [...by].sort() };
    if (remote.inUse.has(sinkSid) && !listed.has(sinkSid)) return { held: true, subscriptions: [...(remote.subscriptionsBySink.get(sinkSid) ?? [])].sort() };
    return { held: false, subscriptions: [] };
  };
}

/** Where a declared sink's subscriptions go after the apply. */
type Target =
  | { readonly kind: 'existing'; readonly sid: string; readonly status: string }
  | { readonly kind: 'new'; readonly replaces?: string }
  | { readonly kind: 'none' };

/** Each declared sink's fate, by name, from its planned actions (deletes of its duplicates aside). */
function targets(actions: readonly PlannedAction[]): Map<string, Target> {
  const out = new Map<string, Target>();
  for (const a of actions) {
    if (out.has(a.name) || a.action === 'delete' || (a.action === 'blocked' && a.intended === 'delete')) continue;
    if (a.action === 'create') out.set(a.name, { kind: 'new' });
    else if (a.action === 'replace' || (a.action === 'adopt' && a.replace)) out.set(a.name, { kind: 'new', replaces: a.sid });
    else out.set(a.name, { kind: 'existing', sid: a.sid, status: a.before.status });
  }
  return out;
}

export interface SubscriptionPlan {
  readonly actions: SubscriptionAction[];
  readonly warnings: PlanWarning[];
  readonly errors: PlanError[];
}

interface Ctx {
  readonly remote: RemoteState;
  readonly options: PlanOptions;
  readonly owned: Ownership;
  readonly bySid: ReadonlyMap<string, Subscription>;
  readonly actions: SubscriptionAction[];
  readonly warnings: PlanWarning[];
  readonly errors: PlanError[];
  /** Remote subscriptions a declaration took (kept, moved or deleted as its duplicate). */
  readonly claimed: Set<string>;
}

/**
 * The subscription actions, given the sinks' planned actions. `failed` are the sinks whose pin is
 * a plan error: their subscriptions are neither changed nor pruned.
 */
export function planSubscriptions(
  desired: readonly DesiredSink[],
  remote: RemoteState,
  options: PlanOptions,
  sinkActions: readonly PlannedAction[],
  failed: ReadonlySet<string>,
): SubscriptionPlan {
  const ctx: Ctx = {
    remote,
    options,
    owned: ownership(desired, remote, options.stack),
    bySid: new Map(remote.subscriptions.map((s) => [s.sid, s])),
    actions: [],
    warnings: [],
    errors: [],
    claimed: new Set(),
  };
  for (const d of desired) {
    for (const s of d.subscriptions) checkEvents(ctx, d, s);
  }
  const fates = targets(sinkActions);
  for (const d of desired) {
    if (d.subscriptions.length === 0) continue;
    if (failed.has(d.name)) {
      for (const s of d.subscriptions) for (const r of candidates(ctx, d, s)) ctx.claimed.add(r.sid);
      continue;
    }
    const target = fates.get(d.name) ?? { kind: 'none' };
    for (const s of d.subscriptions) planDeclared(ctx, d, s, target);
  }
  planPrunes(ctx);
  return { actions: ctx.actions, warnings: ctx.warnings, errors: ctx.errors };
}

/** Every declared type must be in Twilio's catalogue, in a version its schema has (SPEC §13). */
function checkEvents(ctx: Ctx, d: DesiredSink, s: DesiredSubscription): void {
  const catalogue = ctx.remote.eventTypes;
  if (catalogue === undefined) return;
  for (const e of s.events) {
    const known = catalogue.get(e.type);
    if (known === undefined) {
      const suggestion = didYouMean(e.type, [...catalogue.keys()]);
      ctx.errors.push(eventError(d, e.source, 'UNKNOWN_EVENT_TYPE', `${d.name}#${s.name}: ${e.type} is not an event type Twilio has${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`));
      continue;
    }
    const versions = ctx.remote.schemaVersions.get(known.schemaId) ?? [];
    if (!versions.includes(e.schemaVersion)) {
      const there = versions.length === 0 ? 'none were listed' : `the versions there are: ${versions.join(', ')}`;
      ctx.errors.push(eventError(d, e.source, 'UNKNOWN_SCHEMA_VERSION', `${d.name}#${s.name}: ${e.type} has no schema version ${e.schemaVersion} (schema ${known.schemaId}; ${there})`));
    }
    if (known.status === 'deprecated') {
      ctx.warnings.push({
        code: 'DEPRECATED_EVENT_TYPE',
        name: d.name,
        source: e.source,
        message: `${d.name}#${s.name}: Twilio marks ${e.type} deprecated; plan a move to its successor`,
      });
    }
  }
}

function eventError(d: DesiredSink, source: SourceLocation, code: PlanError['code'], message: string): PlanError {
  return { code, name: d.name, source, message };
}

/** The remote subscriptions a declaration may take: its pin first, then those with its marker, oldest SID first. */
function candidates(ctx: Ctx, d: DesiredSink, s: DesiredSubscription): Subscription[] {
  const marked = [...(ctx.owned.byMarker.get(key(d.name, s.name)) ?? [])].sort((a, b) => compareText(a.sid, b.sid));
  const pinned = s.sid === undefined ? undefined : ctx.bySid.get(s.sid);
  return pinned === undefined ? marked : [pinned, ...marked.filter((m) => m.sid !== pinned.sid)];
}

function stateOf(ctx: Ctx, s: Subscription): SubscriptionState {
  return { ...s, events: [...(ctx.remote.subscribedEvents.get(s.sid) ?? [])].sort((a, b) => compareText(a.type, b.type)) };
}

function specOf(ctx: Ctx, d: DesiredSink, s: DesiredSubscription): { description: string; events: SubscribedEvent[] } {
  return {
    description: withSubscriptionMarker(s.description, d.name, s.name, ctx.options.stack),
    events: s.events.map((e: DesiredEvent) => ({ type: e.type, schemaVersion: e.schemaVersion })),
  };
}

/** Added, changed and removed events, sorted by type. */
export function eventChanges(before: readonly SubscribedEvent[], after: readonly SubscribedEvent[]): EventChange[] {
  const was = new Map(before.map((e) => [e.type, e.schemaVersion]));
  const now = new Map(after.map((e) => [e.type, e.schemaVersion]));
  const types = [...new Set([...was.keys(), ...now.keys()])].sort(compareText);
  return types.flatMap((type): EventChange[] => {
    const b = was.get(type);
    const a = now.get(type);
    if (b === a) return [];
    return [{ type, ...(b === undefined ? {} : { before: b }), ...(a === undefined ? {} : { after: a }) }];
  });
}

function planDeclared(ctx: Ctx, d: DesiredSink, s: DesiredSubscription, target: Target): void {
  if (s.sid !== undefined && !ctx.bySid.has(s.sid)) {
    ctx.errors.push(eventError(d, s.source, 'SUBSCRIPTION_PIN_NOT_FOUND', `${d.name}#${s.name}: pinned sid ${s.sid} does not exist in the account`));
    return;
  }
  if (s.sid !== undefined && ctx.owned.pins.get(s.sid) !== key(d.name, s.name)) {
    ctx.errors.push(eventError(d, s.source, 'SUBSCRIPTION_PIN_CONFLICT', `${d.name}#${s.name}: sid ${s.sid} is also pinned by ${ctx.owned.pins.get(s.sid) ?? 'another subscription'}`));
    return;
  }
  if (target.kind === 'none') return;
  const found = candidates(ctx, d, s);
  for (const r of found) ctx.claimed.add(r.sid);
  const after = specOf(ctx, d, s);
  const base = { sink: d.name, name: s.name, source: s.source };

  const onTarget = target.kind === 'existing' ? found.filter((r) => r.sinkSid === target.sid) : [];
  const kept = onTarget[0];
  if (kept !== undefined && target.kind === 'existing') {
    const before = stateOf(ctx, kept);
    const description = compareDescription(before.description, after.description);
    const events = eventChanges(before.events, after.events);
    const changed = description !== undefined || events.length > 0;
    const reason: SubscriptionReason = changed && parseSubscriptionMarker(before.description, ctx.options.stack) === undefined ? 'pinned' : 'changed';
    ctx.actions.push({ ...base, action: changed ? 'update' : 'noop', before, after, reason, changes: description === undefined ? [] : [description], events });
    for (const extra of found.filter((r) => r.sid !== kept.sid)) deleteDuplicate(ctx, d.name, s.name, extra);
    return;
  }

  if (target.kind === 'existing' && target.status !== 'active') {
    ctx.warnings.push({
      code: 'SUBSCRIPTION_DEFERRED',
      name: d.name,
      source: s.source,
      message: `${d.name}#${s.name}: waits until ${d.name} (${target.sid}) is active, as Twilio requires: run \`sinkops activate ${d.name}\`, then apply again`,
    });
    return;
  }
  const moved = found[0];
  const sinkSid = target.kind === 'existing' ? { sinkSid: target.sid } : {};
  if (moved === undefined) {
    ctx.actions.push({ ...base, action: 'create', after, ...sinkSid, reason: 'new', changes: [], events: eventChanges([], after.events) });
    return;
  }
  const before = stateOf(ctx, moved);
  const description = compareDescription(before.description, after.description);
  const reason: SubscriptionReason = target.kind === 'new' && target.replaces === moved.sinkSid ? 'sink-replaced' : 'other-sink';
  ctx.actions.push({
    ...base,
    action: 'move',
    before,
    after,
    ...sinkSid,
    reason,
    changes: description === undefined ? [] : [description],
    events: eventChanges(before.events, after.events),
  });
  for (const extra of found.slice(1)) deleteDuplicate(ctx, d.name, s.name, extra);
}

function deleteDuplicate(ctx: Ctx, sink: string, name: string, extra: Subscription): void {
  ctx.actions.push({ action: 'delete', sink, name, before: stateOf(ctx, extra), reason: 'duplicate', changes: [], events: [] });
}

/** This stack's subscriptions that no declaration took: deleted, or with pruning off kept and named. */
function planPrunes(ctx: Ctx): void {
  const kept: string[] = [];
  for (const [marker, group] of [...ctx.owned.byMarker].sort(([a], [b]) => compareText(a, b))) {
    const [sink = '', name = ''] = marker.split('#');
    for (const s of group) {
      if (ctx.claimed.has(s.sid) || ctx.owned.pins.has(s.sid)) continue;
      if (ctx.options.prune) ctx.actions.push({ action: 'delete', sink, name, before: stateOf(ctx, s), reason: 'pruned', changes: [], events: [] });
      else kept.push(`${marker} (${s.sid})`);
    }
  }
  if (kept.length > 0) {
    ctx.warnings.push({
      code: 'PRUNE_DISABLED',
      message: `pruning is off (--no-prune): ${kept.length} managed subscription(s) no longer in the repository are kept: ${kept.join(', ')}`,
    });
  }
}
