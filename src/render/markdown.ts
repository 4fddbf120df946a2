/**
 * The Markdown renderer: the pull-request comment (SPEC §9). A summary line, errors, a table of
 * actions, a collapsible diff per action, warnings and the unmanaged sinks. Text that does not come
 * from sinkops (every field of a remote sink, SIDs and names included: a saved plan or an API
 * answer can carry anything) goes through src/render/markdown-escape.ts in the form its place
 * needs. The whole comment stays within MARKDOWN_LIMIT characters: when it would not, the least
 * important parts (action details first) are left out and a note says how much.
 */
import type { Plan, PlannedAction, SubscriptionAction } from '../plan/model.js';
import { planHash, planHashComment } from '../plan/plan-hash.js';
import { labelOf, symbolOf } from '../plan/action.js';
import {
  NO_CHANGES,
  changesSubscriptions,
  eventLine,
  headline,
  specFields,
  subscriptionHeadline,
  subscriptionSummaryLine,
  subscriptionSymbol,
  summaryLine,
} from './describe.js';
import { documentDiff } from './document.js';
import { codeSpan, escapeHtml, escapeMarkdown, fencedBlock } from './markdown-escape.js';
import type { RenderOptions } from './options.js';

/** Below GitHub's 65,536-character comment limit, with room for the sticky comment's hidden marker. */
export const MARKDOWN_LIMIT = 65_000;
/** Room kept for the truncation note. */
const NOTE_ROOM = 400;

interface Section {
  readonly label: string;
  readonly header: string;
  readonly items: readonly string[];
  readonly footer: string;
}

export function renderMarkdown(plan: Plan, options: RenderOptions): string {
  const changing = plan.actions.filter((a) => a.action !== 'noop');
  const listed = plan.actions.filter((a) => a.action !== 'noop' || options.verbose);
  const stack = plan.options.stack === undefined ? '' : ` (stack ${escapeMarkdown(plan.options.stack)})`;
  // First line, hidden: the hash of what apply would do, which the apply on merge checks (SPEC §9).
  // It leads so that no remote text can precede it and a cut comment still carries it.
  const hash = planHash(plan);
  const title = `${planHashComment(hash)}\n### sinkops plan${stack}\n\n`;
  const subscriptionsChange = changesSubscriptions(plan.subscriptions);
  const subscriptionLine = subscriptionsChange ? ` ${subscriptionSummaryLine(plan.subscriptionSummary)}` : '';
  const summary =
    changing.length === 0 && !subscriptionsChange && plan.errors.length === 0
      ? `**${NO_CHANGES}**\n\n`
      : `**${summaryLine(plan.summary)}${subscriptionLine}**${plan.errors.length > 0 ? ` The plan has ${plan.errors.length} error(s) and cannot be applied.` : ''}\n\n`;
  const footer = `<sub>plan \`${hash}\` · basis ${codeSpan(plan.basis)}</sub>\n`;

  const errors: Section = {
    label: 'errors',
    header: '**Errors**\n\n',
    items: plan.errors.map(
      (e) => `- \`${e.code}\` ${escapeMarkdown(`${e.source.file}:${e.source.line}:${e.source.column}: ${e.message}`)}\n`,
    ),
    footer: '\n',
  };
  const table: Section = {
    label: 'table rows',
    header: '| | Action | Name | SID | What |\n|---|---|---|---|---|\n',
    items: listed.map(tableRow),
    footer: '\n',
  };
  const details: Section = { label: 'action details', header: '', items: listed.map(detailsBlock), footer: '' };
  const subscriptions: Section = {
    label: 'subscription rows',
    header: '**Subscriptions**, under their sink\n\n| | Action | Sink | Subscription | SID | What |\n|---|---|---|---|---|---|\n',
    items: plan.subscriptions.filter((a) => a.action !== 'noop' || options.verbose).map(subscriptionRow),
    footer: '\n',
  };
  const warnings: Section = {
    label: 'warnings',
    header: '**Warnings**\n\n',
    items: plan.warnings.map((w) => `- \`${w.code}\` ${escapeMarkdown(w.message)}\n`),
    footer: '\n',
  };
  const unmanaged: Section = {
    label: 'unmanaged sinks',
    header: `<details><summary>Unmanaged sinks (${plan.unmanaged.length}), never changed by sinkops</summary>\n\n| SID | Type | Status | Description |\n|---|---|---|---|\n`,
    items: plan.unmanaged.map(
      (s) => `| ${codeSpan(s.sid)} | ${escapeMarkdown(s.sinkType)} | ${escapeMarkdown(s.status)} | ${escapeMarkdown(s.description)} |\n`,
    ),
    footer: '\n</details>\n\n',
  };

  // Display order, and the order in which parts give way when the comment is too long (last first).
  const display = [errors, table, subscriptions, details, warnings, unmanaged];
  const priority = [errors, table, subscriptions, warnings, unmanaged, details];
  let used = title.length + summary.length + footer.length;
  const kept = new Map<Section, number>();
  const left: { label: string; count: number; chars: number }[] = [];
  for (const section of priority) {
    let n = 0;
    let chars = 0;
    for (const item of section.items) {
      const cost = item.length + (n === 0 ? section.header.length + section.footer.length : 0);
      if (chars === 0 && used + cost <= MARKDOWN_LIMIT - NOTE_ROOM) {
        used += cost;
        n += 1;
      } else {
        chars += item.length;
      }
    }
    kept.set(section, n);
    if (n < section.items.length) left.push({ label: section.label, count: section.items.length - n, chars });
  }

  let body = title + summary;
  for (const section of display) {
    const n = kept.get(section) ?? 0;
    if (n > 0) body += section.header + section.items.slice(0, n).join('') + section.footer;
  }
  if (left.length > 0) {
    const what = left.map((l) => `${l.count} ${l.label}`).join(', ');
    const chars = left.reduce((sum, l) => sum + l.chars, 0);
    body += `> **Note:** this comment was truncated to fit GitHub's limit: ${what} (${chars} characters) left out. Run \`sinkops plan\` for the full plan.\n\n`;
  }
  return body + footer;
}

function tableRow(action: PlannedAction): string {
  const sid = action.action === 'create' ? '' : codeSpan(action.sid);
  const what = action.action === 'create' ? action.after.sinkType : `${action.before.sinkType}, ${action.before.status}`;
  return `| \`${symbolOf(action)}\` | ${labelOf(action)} | ${codeSpan(action.name)} | ${sid} | ${escapeMarkdown(`${what}: ${headline(action)}`)} |\n`;
}

/** One row per subscription action: the event changes in the last cell, `+ type = 2; ~ type = 1 -> 2`. */
function subscriptionRow(action: SubscriptionAction): string {
  const sid = action.before === undefined ? '' : codeSpan(action.before.sid);
  const events = action.events.map((e) => eventLine(e).join(' ')).join('; ');
  const what = `${subscriptionHeadline(action)}${events === '' ? '' : ` — events: ${events}`}`;
  return `| \`${subscriptionSymbol(action)}\` | ${action.action} | ${codeSpan(action.sink)} | ${codeSpan(action.name)} | ${sid} | ${escapeMarkdown(what)} |\n`;
}

function detailsBlock(action: PlannedAction): string {
  const lines =
    action.action === 'create'
      ? specFields(action.after).map(([path, value]) => `+ ${path}: ${value}`)
      : documentDiff(action).map(({ op, text }) => `${op} ${text}`);
  const forcing = action.changes.filter((c) => c.forcesReplacement).map((c) => c.path);
  const note = forcing.length > 0 ? `Forces replacement: ${forcing.map(codeSpan).join(', ')}\n\n` : '';
  // The summary line opens an HTML block, where Markdown escapes are not read: HTML escaping there.
  const summary = `<code>${symbolOf(action)}</code> ${action.action} <code>${escapeHtml(action.name)}</code>`;
  const diff = lines.length > 0 ? fencedBlock('diff', lines) : '_No field changes._\n';
  return `<details><summary>${summary}</summary>\n\n${escapeMarkdown(headline(action))}\n\n${note}${diff}\n</details>\n\n`;
}
