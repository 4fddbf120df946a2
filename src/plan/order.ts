/**
 * The one documented order of actions, used by the planner, every renderer, the plan hash and
 * apply: by rank (src/plan/action.ts says which and why), then by name, then by SID — plain
 * code-unit comparison, never locale-dependent.
 */
import { rankOf, type ActionShape } from './action.js';

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
