/**
 * The words and symbols for one result, shared by the final summary and the progress lines so the
 * two always agree. Symbols and verbs come from the action vocabulary (src/plan/action.ts).
 */
import { symbolOf as actionSymbol, traitsOf, verbOf, type ActionSymbol } from '../plan/action.js';
import { terminalSafe } from '../terminal-safe.js';
import type { ActionResult } from './model.js';

export function symbolOf(result: ActionResult): ActionSymbol {
  return result.status === 'blocked' ? '!' : actionSymbol(result.action);
}

/** `created`, `would delete`, `failed to replace`, `blocked delete of`, `skipped create of`. */
export function outcomeOf(result: ActionResult): string {
  const verb = verbOf(result.action);
  switch (result.status) {
    case 'applied':
      return traitsOf(result.action).past;
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

/**
 * `+ created orders-webhook (DG…)`, `! blocked delete of legacy (DG…): in use by subscription DF…`.
 * A terminal line (the text summary and the progress lines): the name, SIDs and detail (Twilio's
 * error text, subscription SIDs) are not sinkops's words, so each goes through terminalSafe.
 */
export function describeResult(result: ActionResult): string {
  const sids = sidsOf(result);
  const detail = detailOf(result);
  const name = terminalSafe(result.action.name);
  return `${symbolOf(result)} ${outcomeOf(result)} ${name}${sids ? ` (${terminalSafe(sids)})` : ''}${detail ? `: ${terminalSafe(detail)}` : ''}`;
}
