/**
 * The one documented order of actions, used by the planner, every renderer and apply.
 *
 * Precedence (lowest first):
 *   create < update < adopt < replace < blocked < delete < noop
 * then by name, then by SID (plain code-unit comparison, never locale-dependent).
 *
 * Why: creates go first and deletes last (as gitops-engine prunes last), so a failure halfway
 * leaves extra sinks rather than missing ones; in-place updates and adoptions come before
 * replacements, whose delete half is the riskiest step before the prunes; blocked actions sit
 * next to the deletes they stand in for; noops change nothing and are listed last.
 */
import type { ActionKind } from './model.js';

const RANK: Readonly<Record<ActionKind, number>> = {
  create: 0,
  update: 1,
  adopt: 2,
  replace: 3,
  blocked: 4,
  delete: 5,
  noop: 6,
};

/** Anything ordered like an action: planned actions, and the actions of a saved plan. */
export interface Orderable {
  readonly action: ActionKind;
  readonly name: string;
  readonly sid?: string;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareActions(a: Orderable, b: Orderable): number {
  return RANK[a.action] - RANK[b.action] || compareText(a.name, b.name) || compareText(a.sid ?? '', b.sid ?? '');
}

/** A sorted copy. */
export function sortActions<T extends Orderable>(actions: readonly T[]): T[] {
  return [...actions].sort(compareActions);
}
