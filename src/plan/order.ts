/**
 * The one documented order of actions, used by the planner, every renderer, the plan hash and
 * apply: by rank (src/plan/action.ts says which and why), then by name, then by SID — plain
 * code-unit comparison, never locale-dependent.
 */
import { effectOf, rankOf, type ActionShape } from './action.js';
import type { SubscriptionAction, SubscriptionActionKind } from './model.js';

/** Anything ordered like an action: planned actions, and the actions of a saved plan. */
export interface Orderable extends ActionShape {
  readonly name: string;
  readonly sid?: string;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareActions(a: Orderable, b: Orderable): number {
  return rankOf(a) - rankOf(b) || compareText(a.name, b.name) || compareText(a.sid ?? '', b.sid ?? '');
}

/** A sorted copy. */
export function sortActions<T extends Orderable>(actions: readonly T[]): T[] {
  return [...actions].sort(compareActions);
}

/** What decides an action's phase besides its rank: the sink limit's order flags (src/plan/sink-limit.ts). */
export interface Phased extends ActionShape {
  readonly beforeCreates?: boolean;
  readonly deleteFirst?: boolean;
}

/**
 * The executor's phase (lowest runs first): the rank, except where the sink limit moved an action
 * ahead of the creates — prunes first, then the replacements that delete their old sink first.
 * The plan is still shown in the one order; the SINK_LIMIT_ORDER warning says what moves.
 */
export function applyPhase(action: Phased): number {
  if (action.action === 'delete' && action.beforeCreates === true) return -2;
  const effect = effectOf(action);
  if ((effect === 'replace' || effect === 'adopt-replace') && action.deleteFirst === true) return -1;
  return rankOf(action);
}

/**
 * Where subscription actions sit among the sink phases (SPEC §13): after the sinks are created,
 * updated, adopted and replaced (a move needs its new sink), creates and moves first, then updates,
 * then deletes — so a subscription never loses its last event, and a sink is deleted only once
 * the subscriptions on it have gone. Replacements delete their old sink with the sink deletes.
 */
const SUBSCRIPTION_PHASE: Readonly<Record<SubscriptionActionKind, number>> = { create: 3.25, move: 3.25, update: 3.5, delete: 3.75, noop: 7 };

export function subscriptionPhase(action: { readonly action: SubscriptionActionKind }): number {
  return SUBSCRIPTION_PHASE[action.action];
}

/** Subscription actions in the one order: by phase, then sink, name and SID. */
export function sortSubscriptionActions<T extends Pick<SubscriptionAction, 'action' | 'sink' | 'name'> & { readonly before?: { readonly sid: string } }>(actions: readonly T[]): T[] {
  return [...actions].sort(
    (a, b) =>
      subscriptionPhase(a) - subscriptionPhase(b) ||
      compareText(a.sink, b.sink) ||
      compareText(a.name, b.name) ||
      compareText(a.before?.sid ?? '', b.before?.sid ?? ''),
  );
}
