/**
 * A saved plan (`plan --out plan.json`, then `apply plan.json`): the plan's own types, with each
 * remote sink an action touches known by reference (its fingerprint) instead of by value, and with
 * no secret in it. `toSaved` makes one from a plan, the codec (src/plan/codec.ts) writes and reads
 * it, and `planFromSaved` turns it back into an executable Plan against the account as it is now —
 * applied exactly as reviewed, or not at all. All pure: the environment comes in as a lookup.
 */
import type { ConfigValue } from '../desired/model.js';
import { interpolate, type EnvLookup } from '../desired/env.js';
import { SinkopsError } from '../errors.js';
import type { RemoteSink, RemoteState } from '../remote/model.js';
import { sinkFingerprint, subscriptionFingerprint } from './canonical.js';
import { trailingMarker } from './marker.js';
import type { Plan, PlannedAction, PlanOptions, SinkCount, SinkSpec, SubscriptionAction, SubscriptionState } from './model.js';
import { compareText } from './order.js';
import { isHidden } from './sensitive.js';
import { DEFAULT_SINK_LIMIT, fitToAccount, type SinkLimitFit } from './sink-limit.js';

/** What a saved plan knows of a remote sink an action touches: enough to show it and to check it. */
export interface SinkRef {
  readonly sid: string;
  readonly sinkType: string;
  readonly status: string;
  /** sinkFingerprint when planned: apply refuses to act on a sink that changed since. */
  readonly fingerprint: string;
}

/** A planned action as saved: its `before` sink by reference. Derived, so a new kind follows by itself. */
type Saved<A> = A extends { readonly before: RemoteSink } ? Omit<A, 'before'> & { readonly before: SinkRef } : A;
export type SavedAction = Saved<PlannedAction>;

/** What a saved plan knows of a remote subscription an action touches. */
export interface SubscriptionRef {
  readonly sid: string;
  readonly sinkSid: string;
  /** subscriptionFingerprint when planned. */
  readonly fingerprint: string;
}

/** A subscription action as saved: its `before` by reference. */
export type SavedSubscriptionAction = Omit<SubscriptionAction, 'before'> & { readonly before?: SubscriptionRef };

/** An unmanaged sink as listed in a saved plan (never acted on). */
export interface UnmanagedRef {
  readonly sid: string;
  readonly description: string;
  readonly sinkType: string;
  readonly status: string;
}

export interface SavedPlan extends Omit<Plan, 'actions' | 'unmanaged' | 'options' | 'sinkCount' | 'subscriptions'> {
  /** In the documented order (src/plan/order.ts); noops only when saved verbosely. */
  readonly actions: readonly SavedAction[];
  /** In the documented order; noops only when saved verbosely. */
  readonly subscriptions: readonly SavedSubscriptionAction[];
  readonly unmanaged: readonly UnmanagedRef[];
  /** As planned; absent in files written before sinkops counted sinks. Apply counts again. */
  readonly sinkCount?: SinkCount;
}

/** Where a literal secret (written in the repository, no `${VAR}`) is read again from. */
export type LiteralSecretLookup = (name: string, key: string) => string | number | boolean | undefined;

export function sinkRef(sink: RemoteSink): SinkRef {
  return { sid: sink.sid, sinkType: sink.sinkType, status: sink.status, fingerprint: sinkFingerprint(sink) };
}

/** A sensitive value as saved: its template and variable names, never the value. */
function withoutSecret(value: ConfigValue): ConfigValue {
  if (!isHidden(value)) return value;
  return { value: undefined, sensitive: true, envRefs: value.envRefs, ...(value.template === undefined ? {} : { template: value.template }) };
}

function savedSpec(spec: SinkSpec): SinkSpec {
  const config = Object.fromEntries(Object.entries(spec.sinkConfiguration).map(([key, v]) => [key, withoutSecret(v)]));
  return { ...spec, sinkConfiguration: config };
}

function savedAction(action: PlannedAction): SavedAction {
  const after = 'after' in action ? { after: savedSpec(action.after) } : {};
  const before = 'before' in action ? { before: sinkRef(action.before) } : {};
  return { ...action, ...after, ...before } as SavedAction;
}

function subscriptionRef(s: SubscriptionState): SubscriptionRef {
  return { sid: s.sid, sinkSid: s.sinkSid, fingerprint: subscriptionFingerprint(s) };
}

function savedSubscriptionAction(a: SubscriptionAction): SavedSubscriptionAction {
  const { before, ...rest } = a;
  return before === undefined ? rest : { ...rest, before: subscriptionRef(before) };
}

/** The SIDs of the subscriptions a saved plan acts on: apply reads them again, with their events. */
export function savedSubscriptionSids(saved: SavedPlan): ReadonlySet<string> {
  return new Set(saved.subscriptions.flatMap((a) => (a.before === undefined ? [] : [a.before.sid])));
}

/** The plan as it is saved: noops only when `verbose` (they are counted in the summary either way). */
export function toSaved(plan: Plan, options: { readonly verbose: boolean }): SavedPlan {
  return {
    actions: plan.actions.filter((a) => a.action !== 'noop' || options.verbose).map(savedAction),
    summary: plan.summary,
    unmanaged: plan.unmanaged.map((s) => ({ sid: s.sid, description: s.description, sinkType: s.sinkType, status: s.status })),
    warnings: plan.warnings,
    errors: plan.errors,
    basis: plan.basis,
    sinkCount: plan.sinkCount,
    subscriptions: plan.subscriptions.filter((a) => a.action !== 'noop' || options.verbose).map(savedSubscriptionAction),
    subscriptionSummary: plan.subscriptionSummary,
  };
}

/**
 * Throws STALE_PLAN listing every change since the plan; returns nothing when it is current. Every
 * sink an action touches (blocked and noop ones included) must be as planned, and no sink may have
 * appeared under a marker the plan creates.
 */
export function assertCurrent(saved: SavedPlan, remote: RemoteState, file: string): void {
  const bySid = new Map(remote.sinks.map((s) => [s.sid, s]));
  const byMarker = new Map(remote.sinks.flatMap((s) => {
    const marker = trailingMarker(s.description);
    return marker === undefined ? [] : [[marker, s] as const];
  }));
  const changed: string[] = [];
  for (const a of saved.actions) {
    if (a.action === 'create') {
      const marker = trailingMarker(a.after.description);
      const appeared = marker === undefined ? undefined : byMarker.get(marker);
      if (appeared !== undefined) changed.push(`${a.name}: a sink with its marker appeared since the plan (${appeared.sid})`);
      continue;
    }
    const now = bySid.get(a.sid);
    if (now === undefined) changed.push(`${a.name}: ${a.sid} no longer exists`);
    else if (sinkFingerprint(now) !== a.before.fingerprint) changed.push(`${a.name}: ${a.sid} was changed since the plan`);
  }
  changed.push(...subscriptionChanges(saved, remote));
  if (changed.length > 0) {
    throw new SinkopsError('STALE_PLAN', `${file} is stale: the account changed since it was planned; nothing was applied`, {
      details: [...changed, 'Plan again (sinkops plan --out <file>), review, and apply the new plan.'],
    });
  }
}

/** What changed since the plan among the subscriptions it acts on, or would create. */
function subscriptionChanges(saved: SavedPlan, remote: RemoteState): string[] {
  const bySid = new Map(remote.subscriptions.map((s) => [s.sid, s]));
  const markers = new Set(remote.subscriptions.flatMap((s) => trailingMarker(s.description) ?? []));
  return saved.subscriptions.flatMap((a) => {
    const label = `${a.sink}#${a.name}`;
    if (a.before === undefined) {
      const marker = a.after === undefined ? undefined : trailingMarker(a.after.description);
      return marker !== undefined && markers.has(marker) ? [`${label}: a subscription with its marker appeared since the plan`] : [];
    }
    const now = bySid.get(a.before.sid);
    if (now === undefined) return [`${label}: ${a.before.sid} no longer exists`];
    const state = { ...now, events: remote.subscribedEvents.get(now.sid) ?? [] };
    return subscriptionFingerprint(state) === a.before.fingerprint ? [] : [`${label}: ${a.before.sid} was changed since the plan`];
  });
}

/**
 * The actions of a saved plan that take a sink no name of this stack owns: adoptions, and the
 * deletion of the pinned half of an interrupted adoption. The file alone cannot vouch for them.
 */
export function pinnedTargets(saved: SavedPlan): { readonly name: string; readonly sid: string }[] {
  return saved.actions.flatMap((a) =>
    a.action === 'adopt' || (a.action === 'delete' && a.reasons.some((r) => r.kind === 'pinned')) ? [{ name: a.name, sid: a.sid }] : [],
  );
}

/**
 * A saved plan may take an unowned sink only where the repository pins it (`sid:` under that name),
 * whatever the file says: a hand-edited plan cannot adopt, replace or delete someone else's sink.
 * (Every other target is checked for this stack's marker right before it is touched.)
 */
export function assertPinned(saved: SavedPlan, pins: ReadonlyMap<string, string>, file: string): void {
  const unpinned = pinnedTargets(saved).filter((t) => pins.get(t.sid) !== t.name);
  if (unpinned.length === 0) return;
  throw new SinkopsError('PLAN_FILE', `${file} takes sinks that the repository does not pin; nothing was applied`, {
    details: unpinned.map((t) => `${t.name}: ${t.sid} is not pinned by \`sid: ${t.sid}\` under the name ${t.name} in --dir`),
  });
}

/**
 * The saved plan with its sensitive values resolved: `${VAR}` templates from `env`, literals
 * (written in the repository, so not in the file) through `literal`. Needs no network, so a missing
 * variable is found before anything is sent (see apply's assertKnown).
 */
export function resolveSecrets(saved: SavedPlan, env: EnvLookup, literal: LiteralSecretLookup): SavedPlan {
  const resolve = (name: string, spec: SinkSpec): SinkSpec => ({
    ...spec,
    sinkConfiguration: Object.fromEntries(
      Object.entries(spec.sinkConfiguration).map(([key, v]) => [key, resolveValue(name, key, v, env, literal)]),
    ),
  });
  return { ...saved, actions: saved.actions.map((a) => ('after' in a ? { ...a, after: resolve(a.name, a.after) } : a)) };
}

function resolveValue(name: string, key: string, v: ConfigValue, env: EnvLookup, literal: LiteralSecretLookup): ConfigValue {
  if (!v.sensitive || v.value !== undefined) return v;
  if (v.template !== undefined) {
    const r = interpolate(v.template, env);
    return { ...v, value: r.ok ? r.value : undefined };
  }
  return { ...v, value: literal(name, key) };
}

/**
 * The saved plan as an executable Plan, each `before` the account's sink as it is now. Call
 * `assertCurrent` (and `resolveSecrets`) first: a sink that is gone is refused here too.
 */
export function planFromSaved(saved: SavedPlan, remote: RemoteState, options: PlanOptions): Plan {
  if (saved.errors.length > 0) {
    throw new SinkopsError('PLAN_FILE', 'The saved plan has plan errors and cannot be applied', {
      details: saved.errors.map((e) => `${e.source.file}:${e.source.line}:${e.source.column}: ${e.message}`),
    });
  }
  const bySid = new Map(remote.sinks.map((s) => [s.sid, s]));
  const current = (a: { readonly name: string; readonly before: SinkRef }): RemoteSink => {
    const sink = bySid.get(a.before.sid);
    if (sink === undefined) throw new SinkopsError('STALE_PLAN', `${a.name}: ${a.before.sid} no longer exists`);
    return sink;
  };
  const actions = saved.actions.map((a) => ('before' in a ? { ...a, before: current(a) } : a) as PlannedAction);
  const subs = new Map(remote.subscriptions.map((s) => [s.sid, s]));
  const subscriptions = saved.subscriptions.map((a): SubscriptionAction => {
    const { before, ...rest } = a;
    if (before === undefined) return rest;
    const now = subs.get(before.sid);
    if (now === undefined) throw new SinkopsError('STALE_PLAN', `${a.sink}#${a.name}: ${before.sid} no longer exists`);
    return { ...rest, before: { ...now, events: [...(remote.subscribedEvents.get(now.sid) ?? [])].sort((x, y) => compareText(x.type, y.type)) } };
  });
  // The limit the plan was made for, unless apply is told another one.
  const fit = fitToAccount(actions, remote, options.stack, options.sinkLimit ?? saved.sinkCount?.limit ?? DEFAULT_SINK_LIMIT);
  assertSameOrder(actions, fit, saved.sinkCount);
  return {
    actions: fit.actions,
    summary: saved.summary,
    unmanaged: saved.unmanaged.flatMap((u) => bySid.get(u.sid) ?? []),
    warnings: saved.warnings,
    errors: saved.errors,
    basis: saved.basis,
    sinkCount: fit.sinkCount,
    subscriptions,
    subscriptionSummary: saved.subscriptionSummary,
    options,
  };
}

/** The order flags an action carries (src/plan/sink-limit.ts), in words; empty for the usual order. */
function orderOf(a: PlannedAction): string {
  if (a.action === 'delete') return a.beforeCreates === true ? 'before the creates' : '';
  if (a.action === 'replace' || a.action === 'adopt') return a.deleteFirst === true ? 'deleting the old sink first' : '';
  return '';
}

/**
 * The sink count is the whole account's, which assertCurrent does not check sink by sink: counted
 * again now, the plan must still fit the limit, in the order that was reviewed.
 */
function assertSameOrder(saved: readonly PlannedAction[], fit: SinkLimitFit, planned: SinkCount | undefined): void {
  const moved = saved.flatMap((a, i) => {
    const now = orderOf(fit.actions[i] ?? a);
    return orderOf(a) === now ? [] : [`${a.name}: would now run ${now || 'in the usual order'}, not ${orderOf(a) || 'in the usual order'} as planned`];
  });
  if (fit.errors.length === 0 && moved.length === 0) return;
  const { now, limit } = fit.sinkCount;
  const then = planned === undefined ? '' : ` (${planned.now} of ${planned.limit} when planned)`;
  throw new SinkopsError('STALE_PLAN', `the account holds ${now} sinks of ${limit} now${then}: the saved plan no longer fits the sink limit as reviewed; nothing was applied`, {
    details: [...fit.errors.map((e) => e.message), ...moved, 'Plan again (sinkops plan --out <file>), review, and apply the new plan.'],
  });
}
