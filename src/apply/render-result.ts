/**
 * The final apply summary, in the formats `--format` offers. Renderers read results only; results
 * never hold configuration values, so nothing sensitive can be rendered. Names, SIDs and details
 * (Twilio's error text) are escaped for where they go: terminalSafe in the text lines (via
 * describeResult), escapeMarkdown in every Markdown cell; JSON.stringify escapes for JSON.
 */
import type { RenderFormat, Renderers } from '../render/index.js';
import { escapeMarkdown } from '../render/markdown-escape.js';
import {
  describeResult,
  describeSubscriptionResult,
  detailOf,
  outcomeOf,
  sidsOf,
  subscriptionOutcomeOf,
  subscriptionSidsOf,
  subscriptionSymbolOf,
  symbolOf,
} from './describe.js';
import type { ActionResult, ApplyResult, SubscriptionResult } from './model.js';

/** 2 from sinkops 0.2: subscription results (SPEC §13). */
export const APPLY_RESULT_FORMAT_VERSION = 2;

/**
 * `Apply complete: 3 applied, 1 blocked, 0 failed.`, or for a dry run
 * `Dry run: 4 planned, 1 blocked, 0 failed. Nothing was changed.`
 */
export function summaryLine(result: ApplyResult): string {
  const { counts } = result;
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  if (result.dryRun) {
    return `Dry run: ${counts.planned} planned, ${counts.blocked} blocked, ${counts.failed} failed${skipped}. Nothing was changed.`;
  }
  return `Apply complete: ${counts.applied} applied, ${counts.blocked} blocked, ${counts.failed} failed${skipped}.`;
}

export function renderText(result: ApplyResult): string {
  const lines = [summaryLine(result)];
  if (result.results.length > 0) lines.push('');
  for (const r of result.results) lines.push(`  ${describeResult(r)}`);
  for (const r of result.subscriptions) lines.push(`  ${describeSubscriptionResult(r)}`);
  return `${lines.join('\n')}\n`;
}

/** For the job summary and the merged pull request's comment: API error text is escaped, never rendered. */
export function renderMarkdown(result: ApplyResult): string {
  const lines = [`**${summaryLine(result)}**`];
  if (result.results.length > 0) {
    lines.push('', '| | Sink | Result | SID | Detail |', '|---|---|---|---|---|');
    for (const r of result.results) {
      const sids = sidsOf(r) ?? '';
      const cells = [r.action.name, outcomeOf(r), sids, detailOf(r) ?? ''].map(escapeMarkdown);
      lines.push(`| \`${symbolOf(r)}\` | ${cells.join(' | ')} |`);
    }
  }
  if (result.subscriptions.length > 0) {
    lines.push('', '| | Subscription | Result | SID | Detail |', '|---|---|---|---|---|');
    for (const r of result.subscriptions) {
      const cells = [`${r.action.sink}#${r.action.name}`, subscriptionOutcomeOf(r), subscriptionSidsOf(r) ?? '', detailOf(r) ?? ''].map(escapeMarkdown);
      lines.push(`| \`${subscriptionSymbolOf(r)}\` | ${cells.join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function jsonResult(r: ActionResult): Record<string, unknown> {
  const a = r.action;
  return {
    action: a.action,
    ...(a.action === 'adopt' ? { replace: a.replace } : {}),
    ...(a.action === 'blocked' ? { intended: a.intended } : {}),
    name: a.name,
    status: r.status,
    ...('sid' in a ? { sid: a.sid } : {}),
    ...(r.newSid !== undefined ? { new_sid: r.newSid } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.subscriptions !== undefined ? { subscriptions: r.subscriptions } : {}),
    ...(r.note !== undefined ? { note: r.note } : {}),
  };
}

function jsonSubscriptionResult(r: SubscriptionResult): Record<string, unknown> {
  return {
    action: r.action.action,
    sink: r.action.sink,
    name: r.action.name,
    status: r.status,
    ...(r.action.before !== undefined ? { sid: r.action.before.sid } : {}),
    ...(r.newSid !== undefined ? { new_sid: r.newSid } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.note !== undefined ? { note: r.note } : {}),
  };
}

export function renderJson(result: ApplyResult): string {
  const doc = {
    format_version: APPLY_RESULT_FORMAT_VERSION,
    dry_run: result.dryRun,
    summary: result.counts,
    results: result.results.map(jsonResult),
    subscription_results: result.subscriptions.map(jsonSubscriptionResult),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const RENDERERS: Renderers<ApplyResult> = {
  text: renderText,
  markdown: renderMarkdown,
  json: renderJson,
};

export function renderApplyResult(result: ApplyResult, format: RenderFormat): string {
  return RENDERERS[format](result, { color: false, verbose: false });
}
