/**
 * Words and symbols shared by the renderers, so text, Markdown and JSON describe an action the
 * same way. Everything here reads the plan; nothing compares values.
 */
import type { PlanSummary, PlannedAction, SinkSpec } from '../plan/model.js';
import { summaryParts } from '../plan/action.js';
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

