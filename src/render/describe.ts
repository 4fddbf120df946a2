/**
 * Words and symbols shared by the renderers, so text, Markdown and JSON describe an action the
 * same way. Everything here reads the plan; nothing compares values.
 */
import type { ActionSymbol } from '../plan/action.js';
import type { EventChange, Plan, PlanSummary, PlannedAction, SinkSpec, SubscriptionAction, SubscriptionSummary } from '../plan/model.js';
import { effectOf, removesSink, summaryParts } from '../plan/action.js';
import { displayDesired } from '../plan/sensitive.js';

export const NO_CHANGES = 'No changes. Twilio sinks match the repository.';

/**
 * `Plan: 1 to create, 1 to update, 1 to replace, 1 to delete.` Like Terraform, the four common kinds
 * are always printed (a reader scans for the same words each time); `adopt` and `blocked` are
 * rarer and appear only when non-zero (src/plan/action.ts says which). Noops are not counted here.
 */
export function summaryLine(summary: PlanSummary): string {
  return `Plan: ${summaryParts(summary).join(', ')}.`;
}

/**
 * What a reviewer must not miss (SPEC §9, from 0.2): an action that removes a sink (a delete, or
 * the old half of a replacement, adoptions that replace included) and an action the planner
 * blocked (a delete or replacement that will not happen). The Markdown plan lists these first and
 * cuts them last.
 */
export function isDestructive(action: PlannedAction): boolean {
  return removesSink(action) || action.action === 'blocked';
}

/** A subscription that goes away: deleted, or moved (created on its sink, then the old one deleted). */
export function isDestructiveSubscription(action: SubscriptionAction): boolean {
  return action.action === 'delete' || action.action === 'move';
}

/** `1 sink`, `2 sinks`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/**
 * `this plan deletes 5 sinks and replaces 2 sinks; 1 blocked action will not run.` when the plan
 * deletes or replaces anything (sinks or subscriptions), else undefined. Counts only: no remote
 * text, so it needs no escaping.
 */
export function destructiveWarning(plan: Pick<Plan, 'actions' | 'subscriptions'>): string | undefined {
  const effects = plan.actions.map(effectOf);
  const deletes = effects.filter((e) => e === 'delete').length;
  const adoptReplaces = effects.filter((e) => e === 'adopt-replace').length;
  const replaces = effects.filter((e) => e === 'replace').length + adoptReplaces;
  const blocked = effects.filter((e) => e === 'blocked').length;
  const subscriptionDeletes = plan.subscriptions.filter((a) => a.action === 'delete').length;
  const moves = plan.subscriptions.filter((a) => a.action === 'move').length;
  // The summary line counts adoptions that replace under `adopt`: said here, so the numbers add up.
  const adopted = adoptReplaces > 0 ? ` (${adoptReplaces} adopted)` : '';
  const parts = [
    ...(deletes > 0 ? [`deletes ${count(deletes, 'sink')}`] : []),
    ...(replaces > 0 ? [`replaces ${count(replaces, 'sink')}${adopted}`] : []),
    ...(subscriptionDeletes > 0 ? [`deletes ${count(subscriptionDeletes, 'subscription')}`] : []),
    ...(moves > 0 ? [`moves ${count(moves, 'subscription')} (the old one is deleted)`] : []),
  ];
  if (parts.length === 0) return undefined;
  const held = blocked > 0 ? `; ${count(blocked, 'blocked action')} will not run` : '';
  return `this plan ${listed(parts)}${held}.`;
}

/** One line saying what happens to the sink and why. */
export function headline(action: PlannedAction): string {
  const { name } = action;
  switch (action.action) {
    case 'create':
      return `${name} will be created`;
    case 'update': {
      const renamed = action.reasons.find((r) => r.kind === 'renamed');
      return renamed?.kind === 'renamed'
        ? `${name} will be renamed from ${renamed.from} (${action.sid}), updated in place`
        : `${name} will be updated in place (${action.sid})`;
    }
    case 'adopt':
      return action.replace
        ? `${name} will adopt ${action.sid} and replace it${requested(action)}: ${replaceOrder(action, action.sid)}`
        : `${name} will adopt ${action.sid}: its description gets the sinkops marker`;
    case 'replace': {
      const renamed = action.reasons.find((r) => r.kind === 'renamed');
      const from = renamed?.kind === 'renamed' ? `, renamed from ${renamed.from}` : '';
      const why = requested(action) === '' ? 'must be replaced' : 'will be replaced';
      return `${name} ${why} (${action.sid}${from})${requested(action)}: ${replaceOrder(action, 'the old one')}`;
    }
    case 'delete': {
      const dup = action.reasons.find((r) => r.kind === 'duplicate-marker');
      const first = action.beforeCreates === true ? ', before the creates (sink limit)' : '';
      return dup?.kind === 'duplicate-marker'
        ? `${name} (${action.sid}) will be deleted${first}: a duplicate of ${dup.keep}, which is kept`
        : `${name} (${action.sid}) will be deleted${first}: no longer in the repository`;
    }
    case 'blocked': {
      const verb = action.intended === 'delete' ? 'deleted' : action.intended === 'replace' ? 'replaced' : 'adopted (it would be replaced)';
      return `${name} (${action.sid}) cannot be ${verb}: ${action.reason}`;
    }
    case 'noop':
      return `${name} (${action.sid}) is up to date`;
  }
}

/** `, replacement requested (--replace)` when the user asked for it. */
function requested(action: PlannedAction): string {
  return action.reasons.some((r) => r.kind === 'replace-requested') ? ', replacement requested (--replace)' : '';
}

/** Which sink goes first: the new one, unless the sink limit leaves no room for both (SPEC §12). */
function replaceOrder(action: { readonly deleteFirst?: boolean }, old: string): string {
  return action.deleteFirst === true
    ? `${old} is deleted first (the sink limit leaves no room for both; no subscription uses it), then a new sink is created`
    : `a new sink is created, then ${old} is deleted`;
}

/** The SID and status part of an action's title, e.g. `(adopt DG…, active)`. */
export function sinkRef(action: PlannedAction): string {
  if (action.action === 'create') return '';
  const sid = action.action === 'adopt' ? `adopt ${action.sid}` : action.sid;
  return `(${sid}, ${action.before.status})`;
}

/** The fields of a sink to be created, as `[path, displayed value]`, configuration keys sorted. */
export function specFields(spec: SinkSpec): [string, string][] {
  const fields: [string, string][] = [
    ['description', JSON.stringify(spec.description)],
    ['sink_type', JSON.stringify(spec.sinkType)],
  ];
  for (const key of Object.keys(spec.sinkConfiguration).sort()) {
    const value = spec.sinkConfiguration[key];
    if (value !== undefined) fields.push([`sink_configuration.${key}`, displayDesired(key, value)]);
  }
  return fields;
}


/** `Subscriptions: 1 to create, 1 to update, 1 to move, 1 to delete.` */
export function subscriptionSummaryLine(summary: SubscriptionSummary): string {
  return `Subscriptions: ${summary.create} to create, ${summary.update} to update, ${summary.move} to move, ${summary.delete} to delete.`;
}

/** Whether the plan changes any subscription (noops aside). */
export function changesSubscriptions(subscriptions: readonly SubscriptionAction[]): boolean {
  return subscriptions.some((a) => a.action !== 'noop');
}

const SUBSCRIPTION_SYMBOLS: Readonly<Record<SubscriptionAction['action'], ActionSymbol>> = { create: '+', update: '~', move: '+/-', delete: '-', noop: '=' };

export function subscriptionSymbol(action: SubscriptionAction): ActionSymbol {
  return SUBSCRIPTION_SYMBOLS[action.action];
}

/** One line saying what happens to the subscription and why. */
export function subscriptionHeadline(action: SubscriptionAction): string {
  const label = `${action.sink}#${action.name}`;
  const sid = action.before === undefined ? '' : ` (${action.before.sid})`;
  switch (action.action) {
    case 'create':
      return `${label} will be created${action.sinkSid === undefined ? ` on the new sink ${action.sink}` : ''}`;
    case 'update':
      return action.reason === 'pinned'
        ? `${label}${sid} will be adopted: its description gets the sinkops marker`
        : `${label}${sid} will be updated in place`;
    case 'move':
      return action.reason === 'sink-replaced'
        ? `${label}${sid} moves to the new sink: created there, then the old one is deleted (Twilio cannot change a subscription's sink; events may arrive twice meanwhile)`
        : `${label}${sid} moves to its sink ${action.sink}: created there, then the old one is deleted`;
    case 'delete':
      return action.reason === 'duplicate'
        ? `${label}${sid} will be deleted: another subscription with its marker is kept`
        : `${label}${sid} will be deleted: no longer in the repository`;
    case 'noop':
      return `${label}${sid} is up to date`;
  }
}

/** `~ com.twilio.messaging.message.delivered = 1 -> 2`, `+ … = 2`, `- … = 1`. */
export function eventLine(change: EventChange): [ActionSymbol, string] {
  if (change.before === undefined) return ['+', `${change.type} = ${change.after ?? ''}`];
  if (change.after === undefined) return ['-', `${change.type} = ${change.before}`];
  return ['~', `${change.type} = ${change.before} -> ${change.after}`];
}
