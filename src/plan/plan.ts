/**
 * The planner (SPEC §3, §4, §12, §13): a pure function of the desired sinks, the remote state and
 * the options. It plans the sinks here, fits them under the account's sink limit (sink-limit.ts),
 * then plans their subscriptions (subscriptions.ts). It reads no file, network, clock or
 * environment, and its output does not depend on the order of its inputs (both are sorted first),
 * so the same inputs always give the same plan.
 */
// Remote sinks of other types (for example `email`) are never managed: isSinkType tells them apart.
import { isSinkType, type DesiredSink } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { RemoteSink, RemoteState } from '../remote/model.js';
import { remoteBasis } from './canonical.js';
import { compareDescription, compareImmutable, desiredLookalikeKey, remoteLookalikeKey } from './compare.js';
import { hasAnyMarker, isLeaseSink, parseMarker, withMarker } from './marker.js';
import { emptySummary } from './action.js';
import { DEFAULT_SINK_LIMIT, fitToAccount } from './sink-limit.js';
import { planSubscriptions, subscriptionHolders, type Held } from './subscriptions.js';
import {
  SUBSCRIPTION_ACTION_KINDS,
  type ActionReason,
  type FieldChange,
  type Plan,
  type PlanError,
  type PlannedAction,
  type PlanOptions,
  type PlanWarning,
  type SinkSpec,
  type SubscriptionAction,
  type SubscriptionActionKind,
  type SubscriptionSummary,
} from './model.js';
import { compareText, sortActions, sortSubscriptionActions } from './order.js';
import * as msg from './warnings.js';

export { sinkFingerprint } from './canonical.js';

const bySid = (a: RemoteSink, b: RemoteSink): number => compareText(a.sid, b.sid);

/** Oldest first (dateCreated, then SID): the tie-break when choosing among duplicates. */
const byAge = (a: RemoteSink, b: RemoteSink): number =>
  compareText(a.dateCreated ?? '\uffff', b.dateCreated ?? '\uffff') || bySid(a, b);

/** Mutable working state of one planning run. */
interface Ctx {
  readonly remote: RemoteState;
  readonly options: PlanOptions;
  readonly actions: PlannedAction[];
  readonly warnings: PlanWarning[];
  readonly errors: PlanError[];
  /** `--replace`: names replaced even when nothing differs. */
  readonly replace: ReadonlySet<string>;
  /** Kept sinks whose secrets Twilio did not read back: said once, in one warning. */
  readonly unverifiable: { readonly name: string; readonly keys: readonly string[] }[];
  /** The subscriptions that keep a sink from being removed (src/plan/subscriptions.ts). */
  readonly holders: (sinkSid: string) => Held;
}

/** Who owns which remote sink: this stack's markers, read from the descriptions. */
interface Ownership {
  /** Remote sinks by SID. */
  readonly bySid: ReadonlyMap<string, RemoteSink>;
  /** The managed name of each managed sink, by SID. */
  readonly markerOf: ReadonlyMap<string, string>;
  /** Managed sinks by the name in their marker (several when markers were duplicated). */
  readonly managedByName: ReadonlyMap<string, readonly RemoteSink[]>;
}

/** Which desired name each `sid:` pin gives its sink to, and which names' pins are errors. */
interface Pins {
  /** Pinned SID → the desired name that claims it. */
  readonly claims: ReadonlyMap<string, string>;
  /** Desired names whose pin is a plan error: neither changed nor pruned. */
  readonly failed: ReadonlySet<string>;
}

export function plan(desired: readonly DesiredSink[], remote: RemoteState, options: PlanOptions): Plan {
  const ctx: Ctx = {
    remote,
    options,
    actions: [],
    warnings: [],
    errors: [],
    replace: new Set(options.replace),
    unverifiable: [],
    holders: subscriptionHolders(desired, remote, options),
  };
  // An apply's lease (src/apply/lease.ts) is sinkops's own bookkeeping: no sink of anyone's.
  const sinks = remote.sinks.filter((s) => !isLeaseSink(s)).sort(bySid);
  const wanted = [...desired].sort((a, b) => compareText(a.name, b.name));
  const wantedNames = new Set<string>();
  for (const d of wanted) {
    // The loader reports duplicate names as diagnostics; reaching here with one is a caller bug.
    if (wantedNames.has(d.name)) throw new SinkopsError('INVALID_INPUT', `duplicate desired sink name "${d.name}"`);
    wantedNames.add(d.name);
  }

  const owned = readOwnership(sinks, options.stack);
  const pins = claimPins(ctx, wanted, wantedNames, owned);
  const unmanaged = sinks.filter((s) => !owned.markerOf.has(s.sid) && !pins.claims.has(s.sid));
  const lookalikes = indexLookalikes(unmanaged);
  for (const d of wanted) planDesired(ctx, d, owned, pins, lookalikes);
  planPrunes(ctx, wantedNames, owned, pins);
  if (ctx.unverifiable.length > 0) ctx.warnings.push(msg.secretsUnverifiable(ctx.unverifiable));

  const fit = fitToAccount(sortActions(ctx.actions), remote, options.stack, options.sinkLimit ?? DEFAULT_SINK_LIMIT);
  const subs = planSubscriptions(wanted, remote, options, fit.actions, pins.failed);
  const summary = emptySummary();
  for (const a of fit.actions) summary[a.action] += 1;
  const subscriptions = sortSubscriptionActions(subs.actions);
  return {
    actions: fit.actions,
    summary,
    unmanaged,
    warnings: [...ctx.warnings, ...fit.warnings, ...subs.warnings].sort(compareWarnings),
    errors: [...ctx.errors, ...fit.errors, ...subs.errors].sort(
      (a, b) => compareText(a.name, b.name) || a.source.line - b.source.line || a.source.column - b.source.column || compareText(a.code, b.code),
    ),
    basis: remoteBasis(sinks),
    sinkCount: fit.sinkCount,
    subscriptions,
    subscriptionSummary: summariseSubscriptions(subscriptions),
    options,
  };
}

function summariseSubscriptions(actions: readonly SubscriptionAction[]): SubscriptionSummary {
  const summary = Object.fromEntries(SUBSCRIPTION_ACTION_KINDS.map((k) => [k, 0])) as Record<SubscriptionActionKind, number>;
  for (const a of actions) summary[a.action] += 1;
  return summary;
}

/** Managed = this stack's marker on a type sinkops can manage. */
function readOwnership(sinks: readonly RemoteSink[], stack: string | undefined): Ownership {
  const markerOf = new Map<string, string>();
  const managedByName = new Map<string, RemoteSink[]>();
  for (const sink of sinks) {
    const name = isSinkType(sink.sinkType) ? parseMarker(sink.description, stack) : undefined;
    if (name === undefined) continue;
    markerOf.set(sink.sid, name);
    managedByName.set(name, [...(managedByName.get(name) ?? []), sink]);
  }
  return { bySid: new Map(sinks.map((s) => [s.sid, s])), markerOf, managedByName };
}

/** Pins first: each pinned SID is claimed by one desired name, or the pin is an error. */
function claimPins(ctx: Ctx, wanted: readonly DesiredSink[], wantedNames: ReadonlySet<string>, owned: Ownership): Pins {
  const claims = new Map<string, string>();
  const failed = new Set<string>();
  for (const d of wanted) {
    if (d.sid === undefined) continue;
    const sink = owned.bySid.get(d.sid);
    const owner = owned.markerOf.get(d.sid);
    let error: PlanError | undefined;
    if (sink === undefined) {
      // An adopt that replaced its sink deleted the pinned SID and left the marker on the new
      // sink: the marker finds it now, so the stale pin is no error (it can never come back).
      const successors = owned.managedByName.get(d.name);
      if (successors !== undefined) {
        ctx.warnings.push(msg.stalePin(d, d.sid, successors));
        continue;
      }
      error = msg.planError('PINNED_SID_NOT_FOUND', d, `${d.name}: pinned sid ${d.sid} does not exist in the account`);
    } else if (!isSinkType(sink.sinkType)) {
      error = msg.planError('PINNED_SID_TYPE', d, `${d.name}: pinned sid ${d.sid} is a ${sink.sinkType} sink, which sinkops does not manage`);
    } else if (claims.has(d.sid)) {
      error = msg.planError('PINNED_SID_CONFLICT', d, `${d.name}: sid ${d.sid} is also pinned by ${claims.get(d.sid)}`);
    } else if (owner !== undefined && owner !== d.name && wantedNames.has(owner)) {
      error = msg.planError('PINNED_SID_CONFLICT', d, `${d.name}: pinned sid ${d.sid} is managed as ${owner}, which is still in the repository`);
    }
    if (error !== undefined) {
      ctx.errors.push(error);
      failed.add(d.name);
    } else {
      claims.set(d.sid, d.name);
    }
  }
  return { claims, failed };
}

/** The actions for one desired sink: keep, adopt, finish an interrupted adoption, or create. */
function planDesired(ctx: Ctx, d: DesiredSink, owned: Ownership, pins: Pins, lookalikes: ReadonlyMap<string, readonly RemoteSink[]>): void {
  for (const [key, value] of Object.entries(d.sinkConfiguration)) {
    if (value.value === undefined) ctx.warnings.push(msg.unknownSensitive(d, key));
  }
  if (pins.failed.has(d.name)) return; // shown as an error; its sinks are neither changed nor pruned
  const claimedByOther = (sink: RemoteSink): boolean => {
    const claimant = pins.claims.get(sink.sid);
    return claimant !== undefined && claimant !== d.name;
  };
  const own = (owned.managedByName.get(d.name) ?? []).filter((s) => !claimedByOther(s));
  const pinned = d.sid === undefined ? undefined : owned.bySid.get(d.sid);
  const finished = pinned === undefined || owned.markerOf.has(pinned.sid) ? undefined : interruptedAdopt(ctx, d, pinned, own);
  if (pinned !== undefined && finished !== undefined) {
    // An adopt that replaced its sink was stopped between create and delete: finish it.
    planDuplicates(ctx, d.name, own, finished, d);
    removeOrBlock(ctx, d.name, pinned, [{ kind: 'pinned', sid: pinned.sid }, { kind: 'duplicate-marker', keep: finished.sid }], d);
    planExisting(ctx, d, finished, undefined);
  } else if (pinned !== undefined) {
    const owner = owned.markerOf.get(pinned.sid);
    planDuplicates(ctx, d.name, [pinned, ...own.filter((s) => s.sid !== pinned.sid)], pinned, d);
    if (owner === undefined) planAdopt(ctx, d, pinned);
    else planExisting(ctx, d, pinned, owner === d.name ? undefined : owner);
  } else if (own.length === 0) {
    planCreate(ctx, d, lookalikes);
  } else {
    const keep = chooseKept(ctx, d, own);
    planDuplicates(ctx, d.name, own, keep, d);
    planExisting(ctx, d, keep, undefined);
  }
}

/** Prune: managed names that left the repository (sinks claimed by a rename excepted). */
function planPrunes(ctx: Ctx, wantedNames: ReadonlySet<string>, owned: Ownership, pins: Pins): void {
  const kept: { name: string; sink: RemoteSink }[] = [];
  for (const [name, group] of [...owned.managedByName].sort(([a], [b]) => compareText(a, b))) {
    if (wantedNames.has(name)) continue;
    for (const sink of group) {
      if (pins.claims.has(sink.sid)) continue;
      if (ctx.options.prune) removeOrBlock(ctx, name, sink, [{ kind: 'pruned' }], undefined);
      else kept.push({ name, sink });
    }
  }
  if (kept.length > 0) ctx.warnings.push(msg.pruneDisabled(kept));
}

function compareWarnings(a: PlanWarning, b: PlanWarning): number {
  return (
    compareText(a.name ?? '', b.name ?? '') ||
    compareText(a.code, b.code) ||
    compareText(a.sid ?? '', b.sid ?? '') ||
    compareText(a.message, b.message)
  );
}

/**
 * Whether a subscription keeps the sink from being removed: one that is not this stack's (SPEC
 * §13). This stack's own subscriptions move with a replaced sink, or go with a pruned one.
 */
function inUse(ctx: Ctx, sid: string): boolean {
  return ctx.holders(sid).held;
}

function subscriptionsOf(ctx: Ctx, sid: string): readonly string[] {
  return ctx.holders(sid).subscriptions;
}

/** Any subscription on it at all (this stack's included): a reason to prefer keeping the sink. */
function hasSubscriptions(ctx: Ctx, sid: string): boolean {
  return ctx.remote.inUse.has(sid) || (ctx.remote.subscriptionsBySink.get(sid)?.length ?? 0) > 0;
}

function specFor(ctx: Ctx, d: DesiredSink): SinkSpec {
  return {
    description: withMarker(d.description, d.name, ctx.options.stack),
    sinkType: d.sinkType,
    sinkConfiguration: d.sinkConfiguration,
  };
}

interface Diff {
  readonly changes: FieldChange[];
  /** A type or configuration difference: only a new sink can have it. */
  readonly forces: boolean;
  /** What Twilio alone added or hid when reading the sink back (never a change; see compare.ts). */
  readonly remoteOnlyKeys: readonly string[];
  readonly unverifiableKeys: readonly string[];
}

/** Type, configuration and description differences between a desired sink and a remote one. */
function diff(ctx: Ctx, d: DesiredSink, sink: RemoteSink): Diff {
  const description = compareDescription(sink.description, specFor(ctx, d).description);
  const immutable = compareImmutable(d, sink);
  return {
    changes: [...(description === undefined ? [] : [description]), ...immutable.changes],
    forces: immutable.changes.length > 0,
    remoteOnlyKeys: immutable.remoteOnlyKeys,
    unverifiableKeys: immutable.unverifiableKeys,
  };
}

/**
 * For a sink that is kept (not replaced): what its read-back hides from the comparison. A sink
 * that is replaced gets the repository's values whatever Twilio shows, so nothing is said of it.
 */
function noteReadBack(ctx: Ctx, d: DesiredSink, sink: RemoteSink, found: Diff): void {
  for (const key of found.remoteOnlyKeys) ctx.warnings.push(msg.remoteOnlyKey(d, sink, key));
  if (found.unverifiableKeys.length > 0) ctx.unverifiable.push({ name: d.name, keys: found.unverifiableKeys });
}

/** `--replace NAME`, as the reason it adds. */
function requested(ctx: Ctx, d: DesiredSink): ActionReason[] {
  return ctx.replace.has(d.name) ? [{ kind: 'replace-requested' }] : [];
}

/** Among sinks carrying one name's marker: the one matching the desired state, else in use, else oldest. */
function chooseKept(ctx: Ctx, d: DesiredSink, group: readonly RemoteSink[]): RemoteSink {
  const score = (s: RemoteSink): number => {
    const { changes, forces } = diff(ctx, d, s);
    return (changes.length === 0 ? 0 : forces ? 2 : 1) * 2 + (hasSubscriptions(ctx, s.sid) ? 0 : 1);
  };
  const sorted = [...group].sort((a, b) => score(a) - score(b) || byAge(a, b));
  return sorted[0] as RemoteSink;
}

function planDuplicates(ctx: Ctx, name: string, group: readonly RemoteSink[], keep: RemoteSink, d: DesiredSink): void {
  if (group.length < 2) return;
  ctx.warnings.push(msg.duplicateMarker(name, ctx.options.stack, group, keep));
  for (const sink of group) {
    if (sink.sid !== keep.sid) removeOrBlock(ctx, name, sink, [{ kind: 'duplicate-marker', keep: keep.sid }], d);
  }
}

/** A delete, or a blocked action in its place when a Subscription uses the sink. */
function removeOrBlock(ctx: Ctx, name: string, sink: RemoteSink, reasons: ActionReason[], d: DesiredSink | undefined): void {
  if (inUse(ctx, sink.sid)) {
    const subscriptions = subscriptionsOf(ctx, sink.sid);
    ctx.actions.push({
      action: 'blocked',
      intended: 'delete',
      name,
      sid: sink.sid,
      before: sink,
      reason: msg.heldReason(subscriptions, d !== undefined),
      subscriptions,
      reasons: [...reasons, { kind: 'in-use', subscriptions }],
      changes: [],
      ...(d === undefined ? {} : { source: d.source }),
    });
  } else {
    ctx.actions.push({ action: 'delete', name, sid: sink.sid, before: sink, reasons, changes: [] });
  }
}

/** Unmanaged sinks that could be adopted, by lookalike key; `''` holds those without a key. */
function indexLookalikes(unmanaged: readonly RemoteSink[]): Map<string, RemoteSink[]> {
  const index = new Map<string, RemoteSink[]>();
  for (const sink of unmanaged) {
    // Sinks marked by another stack are that stack's, not candidates for adoption.
    if (!isSinkType(sink.sinkType) || hasAnyMarker(sink.description)) continue;
    const key = remoteLookalikeKey(sink) ?? '';
    const bucket = index.get(key);
    if (bucket === undefined) index.set(key, [sink]);
    else bucket.push(sink);
  }
  return index;
}

function planCreate(ctx: Ctx, d: DesiredSink, lookalikes: ReadonlyMap<string, readonly RemoteSink[]>): void {
  ctx.actions.push({ action: 'create', name: d.name, source: d.source, after: specFor(ctx, d), reasons: [{ kind: 'new' }], changes: [] });
  if (ctx.replace.has(d.name)) ctx.warnings.push(msg.replaceNothing(d));
  const key = desiredLookalikeKey(d);
  const candidates = key === undefined ? [...lookalikes.values()].flat() : [...(lookalikes.get(key) ?? []), ...(lookalikes.get('') ?? [])];
  for (const sink of [...candidates].sort(bySid)) {
    if (compareImmutable(d, sink).changes.length === 0) ctx.warnings.push(msg.lookalike(d, sink));
  }
}

/**
 * After an adopt-with-replace created the new sink (with the marker) but died before deleting the
 * pinned one, the pinned sink (unmanaged: the caller checks) still differs, and a managed sink matches the desired
 * state exactly: that one is the adoption's result, to be kept, and the pinned sink is the old half.
 */
function interruptedAdopt(ctx: Ctx, d: DesiredSink, pinned: RemoteSink, own: readonly RemoteSink[]): RemoteSink | undefined {
  if (!diff(ctx, d, pinned).forces) return undefined;
  return own.find((s) => diff(ctx, d, s).changes.length === 0);
}

/** A pinned sink that carries no marker of ours: it gets the marker, and is replaced when it differs. */
function planAdopt(ctx: Ctx, d: DesiredSink, sink: RemoteSink): void {
  const found = diff(ctx, d, sink);
  const { changes, forces } = found;
  const replace = forces || ctx.replace.has(d.name);
  const reasons: ActionReason[] = [{ kind: 'pinned', sid: sink.sid }, ...(forces ? [{ kind: 'fields-changed' } as const] : []), ...requested(ctx, d)];
  if (replace && inUse(ctx, sink.sid)) {
    pushBlocked(ctx, d, sink, 'adopt', reasons, changes);
    return;
  }
  ctx.actions.push({ action: 'adopt', name: d.name, sid: sink.sid, source: d.source, before: sink, after: specFor(ctx, d), replace, reasons, changes });
  if (!replace) {
    noteReadBack(ctx, d, sink, found);
    warnIfNotActive(ctx, d.name, sink);
  }
}

/** A managed sink kept for `d` (its own, or one renamed to it by a pin from `renamedFrom`). */
function planExisting(ctx: Ctx, d: DesiredSink, sink: RemoteSink, renamedFrom: string | undefined): void {
  const found = diff(ctx, d, sink);
  const { changes, forces } = found;
  const reasons: ActionReason[] = [
    ...(renamedFrom === undefined ? [] : [{ kind: 'renamed', from: renamedFrom } as const]),
    ...(changes.length > 0 && (forces || renamedFrom === undefined) ? [{ kind: 'fields-changed' } as const] : []),
    ...requested(ctx, d),
  ];
  const base = { name: d.name, sid: sink.sid, source: d.source, before: sink, reasons, changes };
  if (forces || ctx.replace.has(d.name)) {
    if (inUse(ctx, sink.sid)) pushBlocked(ctx, d, sink, 'replace', reasons, changes);
    else ctx.actions.push({ ...base, action: 'replace', after: specFor(ctx, d) });
    return;
  }
  if (changes.length > 0) ctx.actions.push({ ...base, action: 'update', after: specFor(ctx, d) });
  else ctx.actions.push({ ...base, action: 'noop', reasons: [] });
  noteReadBack(ctx, d, sink, found);
  warnIfNotActive(ctx, d.name, sink);
}

/** A replace (or adopt-with-replace) whose old half is in use: nothing of it is planned. */
function pushBlocked(
  ctx: Ctx,
  d: DesiredSink,
  sink: RemoteSink,
  intended: 'replace' | 'adopt',
  reasons: ActionReason[],
  changes: FieldChange[],
): void {
  const subscriptions = subscriptionsOf(ctx, sink.sid);
  ctx.actions.push({
    action: 'blocked',
    intended,
    name: d.name,
    sid: sink.sid,
    before: sink,
    reason: msg.heldReason(subscriptions, true),
    subscriptions,
    reasons: [...reasons, { kind: 'in-use', subscriptions }],
    changes,
    source: d.source,
  });
  warnIfNotActive(ctx, d.name, sink);
}

function warnIfNotActive(ctx: Ctx, name: string, sink: RemoteSink): void {
  if (sink.status !== 'active') ctx.warnings.push(msg.notActive(name, sink));
}
