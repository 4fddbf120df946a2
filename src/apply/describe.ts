/**
 * The words and symbols for one result, shared by the final summary and the progress lines so the
 * two always agree. Symbols follow Terraform: `+` create, `~` update, `+/-` replace, `-` delete,
 * `!` blocked.
 */
import type { ActionResult, ExecutableAction } from './model.js';

type Verb = 'create' | 'update' | 'adopt' | 'replace' | 'delete';

function verbOf(action: ExecutableAction): Verb {
  if (action.action === 'blocked') return action.intended === 'adopt' ? 'replace' : action.intended;
  if (action.action === 'adopt' && action.replace) return 'replace';
  return action.action;
}

const SYMBOL: Readonly<Record<Verb, string>> = { create: '+', update: '~', adopt: '~', replace: '+/-', delete: '-' };

const PAST: Readonly<Record<Verb, string>> = {
  create: 'created',
  update: 'updated',
  adopt: 'adopted',
  replace: 'replaced',
  delete: 'deleted',
};

export function symbolOf(result: ActionResult): string {
  return result.status === 'blocked' ? '!' : SYMBOL[verbOf(result.action)];
}

/** `created`, `would delete`, `failed to replace`, `blocked`, `skipped create`. */
export function outcomeOf(result: ActionResult): string {
  const verb = verbOf(result.action);
  switch (result.status) {
    case 'applied':
      return result.action.action === 'adopt' && result.action.replace ? 'adopted and replaced' : PAST[verb];
    case 'planned':
      return `would ${verb}`;
    case 'failed':
      return `failed to ${verb}`;
    case 'blocked':
      return `blocked ${verb} of`;
    case 'skipped':
      return `skipped ${verb} of`;
  }
}

/** The existing sink's SID, the new one, or `old → new` for a replace. */
export function sidsOf(result: ActionResult): string | undefined {
  const old = 'sid' in result.action ? result.action.sid : undefined;
  if (old !== undefined && result.newSid !== undefined) return `${old} → ${result.newSid}`;
  return result.newSid ?? old;
}

/** What a reader needs beyond the outcome: the error, the blocking reason, or a note. */
export function detailOf(result: ActionResult): string | undefined {
  return result.error ?? result.note ?? (result.status === 'skipped' ? 'the apply was interrupted' : undefined);
}

/** `+ created orders-webhook (DG…)`, `! blocked delete of legacy (DG…): in use by subscription DF…`. */
export function describeResult(result: ActionResult): string {
  const sids = sidsOf(result);
  const detail = detailOf(result);
  return `${symbolOf(result)} ${outcomeOf(result)} ${result.action.name}${sids ? ` (${sids})` : ''}${detail ? `: ${detail}` : ''}`;
}
