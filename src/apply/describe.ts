/**
 * The words and symbols for one result, shared by the final summary and the progress lines so the
 * two always agree. Symbols and verbs come from the action vocabulary (src/plan/action.ts).
 */
import { symbolOf as actionSymbol, traitsOf, verbOf, type ActionSymbol } from '../plan/action.js';
import { terminalSafe } from '../terminal-safe.js';
import type { ActionResult, ResultStatus, SubscriptionResult } from './model.js';

export function symbolOf(result: ActionResult): ActionSymbol {
  return result.status === 'blocked' ? '!' : actionSymbol(result.action);
}

/** `created`, `would delete`, `failed to replace`, `blocked delete of`, `skipped create of`. */
function outcomeWords(status: ResultStatus, verb: string, past: string): string {
  switch (status) {
    case 'applied':
      return past;
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

export function outcomeOf(result: ActionResult): string {
  return outcomeWords(result.status, verbOf(result.action), traitsOf(result.action).past);
}

/** The existing sink's SID, the new one, or `old → new` for a replace. */
export function sidsOf(result: ActionResult): string | undefined {
  const old = 'sid' in result.action ? result.action.sid : undefined;
  if (old !== undefined && result.newSid !== undefined) return `${old} → ${result.newSid}`;
  return result.newSid ?? old;
}

/** What a reader needs beyond the outcome: the error, the blocking reason, or a note. */
export function detailOf(result: Pick<ActionResult, 'error' | 'note' | 'status'>): string | undefined {
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

/** A subscription action's symbol: a move makes a new subscription and deletes the old, as a replace does. */
const SUBSCRIPTION_SYMBOLS: Readonly<Record<SubscriptionResult['action']['action'], ActionSymbol>> = { create: '+', update: '~', move: '+/-', delete: '-' };
const SUBSCRIPTION_VERBS: Readonly<Record<SubscriptionResult['action']['action'], readonly [string, string]>> = {
  create: ['create', 'created'],
  update: ['update', 'updated'],
  move: ['move', 'moved'],
  delete: ['delete', 'deleted'],
};

export function subscriptionSymbolOf(result: SubscriptionResult): ActionSymbol {
  return result.status === 'blocked' ? '!' : SUBSCRIPTION_SYMBOLS[result.action.action];
}

/** `created`, `would move`, `failed to update`, `skipped create of` — for a subscription. */
export function subscriptionOutcomeOf(result: SubscriptionResult): string {
  const [verb, past] = SUBSCRIPTION_VERBS[result.action.action];
  return outcomeWords(result.status, verb, past);
}

/** The subscription acted on, the new one, or `old → new` for a move. */
export function subscriptionSidsOf(result: SubscriptionResult): string | undefined {
  const old = result.action.before?.sid;
  if (old !== undefined && result.newSid !== undefined) return `${old} → ${result.newSid}`;
  return result.newSid ?? old;
}

/** `+ created subscription orders-webhook#order-status (DF…)`; remote text through terminalSafe. */
export function describeSubscriptionResult(result: SubscriptionResult): string {
  const sids = subscriptionSidsOf(result);
  const detail = detailOf(result);
  const name = terminalSafe(`${result.action.sink}#${result.action.name}`);
  return `${subscriptionSymbolOf(result)} ${subscriptionOutcomeOf(result)} subscription ${name}${sids ? ` (${terminalSafe(sids)})` : ''}${detail ? `: ${terminalSafe(detail)}` : ''}`;
}

/** A sink's or a subscription's result, as one terminal line. */
export function describeAnyResult(result: ActionResult | SubscriptionResult): string {
  return 'sink' in result.action ? describeSubscriptionResult(result as SubscriptionResult) : describeResult(result as ActionResult);
}
