/**
 * The Markdown renderer: the pull-request comment and the job summary (SPEC §9). A warning line
 * when anything is deleted or replaced, a summary line, errors, the actions that delete, replace or
 * are blocked (sinks, then subscriptions), the other actions, a collapsible diff per action,
 * warnings and the unmanaged sinks; a footer with the plan hash and where the plan was computed.
 *
 * Text that does not come from sinkops (every field of a remote sink, SIDs and names included: a
 * saved plan or an API answer can carry anything) goes through src/render/markdown-escape.ts in the
 * form its place needs; the context (commit, run URL) is printed only in its one plain shape
 * (src/render/context.ts).
 *
 * The whole document stays within `maxChars` (MARKDOWN_LIMIT for a comment). When it would not,
 * parts give way in a fixed order, and what is destructive goes last: other rows and every action
 * detail are left out before one delete, replacement or blocked action is (issue 12: a comment of
 * 1,000 creates once showed none of its 5 deletes). A note at the end says what was left out; when
 * even destructive rows are, a second warning at the top says exactly how many.
 */
import type { Plan, PlannedAction, SubscriptionAction } from '../plan/model.js';
import { planHash, planHashComment } from '../plan/plan-hash.js';
import { labelOf, symbolOf } from '../plan/action.js';
import {
  NO_CHANGES,
  changesSubscriptions,
  destructiveWarning,
  eventLine,
  headline,
  isDestructive,
  isDestructiveSubscription,
  specFields,
  subscriptionHeadline,
  subscriptionSummaryLine,
  subscriptionSymbol,
  summaryLine,
} from './describe.js';
import { printableContext } from './context.js';
import { documentDiff } from './document.js';
import { codeSpan, escapeHtml, escapeMarkdown, fencedBlock } from './markdown-escape.js';
import type { RenderOptions } from './options.js';

/** Below GitHub's 65,536-character comment limit, with room for the sticky comment's hidden marker. */
export const MARKDOWN_LIMIT = 65_000;
/** What GitHub keeps of a step's job summary: 1 MiB (of UTF-8; a character is at least a byte). */
export const JOB_SUMMARY_LIMIT = 1_048_576;
/**
 * The least `maxChars` the renderer honours: the parts always printed (title, warnings, summary,
 * footer, the notes) take a few hundred characters, and a plan shorter than this says little.
 */
export const MARKDOWN_MIN_CHARS = 10_000;

interface Section {
  /** How the note counts its left-out items: `3 table rows`. */
  readonly label: string;
  readonly header: string;
  readonly items: readonly string[];
  readonly footer: string;
}

interface LeftOut {
  readonly section: Section;
  readonly label: string;
  readonly count: number;
  readonly chars: number;
}

const ACTION_TABLE = '| | Action | Name | SID | What |\n|---|---|---|---|---|\n';
const SUBSCRIPTION_TABLE = '| | Action | Sink | Subscription | SID | What |\n|---|---|---|---|---|---|\n';

export function renderMarkdown(plan: Plan, options: RenderOptions): string {
  const limit = Math.max(options.maxChars ?? MARKDOWN_LIMIT, MARKDOWN_MIN_CHARS);
  const context = printableContext(options.context);
  const changing = plan.actions.filter((a) => a.action !== 'noop');
  const listed = plan.actions.filter((a) => a.action !== 'noop' || options.verbose);
  const removing = listed.filter(isDestructive);
  const keeping = listed.filter((a) => !isDestructive(a));
  const subscriptionsListed = plan.subscriptions.filter((a) => a.action !== 'noop' || options.verbose);
  const subscriptionsRemoving = subscriptionsListed.filter(isDestructiveSubscription);
  const subscriptionsKeeping = subscriptionsListed.filter((a) => !isDestructiveSubscription(a));
  const stack = plan.options.stack === undefined ? '' : ` (stack ${escapeMarkdown(plan.options.stack)})`;
  // First line, hidden: the hash of what apply would do, which the apply on merge checks (SPEC §9).
  // It leads so that no remote text can precede it and a cut comment still carries it.
  const hash = planHash(plan);
  const title = options.embedded === true ? '' : `${planHashComment(hash)}\n### sinkops plan${stack}\n\n`;
  const danger = destructiveWarning(plan);
  const warning = danger === undefined ? '' : `> **Warning:** ${danger}\n\n`;
  const subscriptionsChange = changesSubscriptions(plan.subscriptions);
  const subscriptionLine = subscriptionsChange ? ` ${subscriptionSummaryLine(plan.subscriptionSummary)}` : '';
  const summary =
    changing.length === 0 && !subscriptionsChange && plan.errors.length === 0
      ? `**${NO_CHANGES}**\n\n`
      : `**${summaryLine(plan.summary)}${subscriptionLine}**${plan.errors.length > 0 ? ` The plan has ${plan.errors.length} error(s) and cannot be applied.` : ''}\n\n`;
  const computed = context.commit === undefined ? '' : ` · computed at ${context.commit}`;
  const run = context.runUrl === undefined ? '' : ` · [run](${context.runUrl})`;
  const footer = options.embedded === true ? '' : `<sub>plan \`${hash}\` · basis ${codeSpan(plan.basis)}${computed}${run}</sub>\n`;
  const fullPlan = `Run \`sinkops plan\` for the full plan${context.runUrl === undefined ? '' : `, or see the job summary and artifacts of [the workflow run](${context.runUrl})`}.`;

  const errors: Section = {
    label: 'errors',
    header: '**Errors**\n\n',
    items: plan.errors.map(
      (e) => `- \`${e.code}\` ${escapeMarkdown(`${e.source.file}:${e.source.line}:${e.source.column}: ${e.message}`)}\n`,
    ),
    footer: '\n',
  };
  const removals: Section = {
    label: 'destructive rows (deletes, replacements, blocked)',
    header: `**Deletes, replacements and blocked actions** (${removing.length})\n\n${ACTION_TABLE}`,
    items: removing.map(tableRow),
    footer: '\n',
  };
  const subscriptionRemovals: Section = {
    label: 'subscription deletes and moves',
    header: `**Subscriptions deleted or moved** (${subscriptionsRemoving.length}), under their sink\n\n${SUBSCRIPTION_TABLE}`,
    items: subscriptionsRemoving.map(subscriptionRow),
    footer: '\n',
  };
  const table: Section = {
    label: 'table rows',
    // Headed only beside the destructive table: alone, it is the plan's one table, as it always was.
    header: removing.length > 0 ? `**Other actions**\n\n${ACTION_TABLE}` : ACTION_TABLE,
    items: keeping.map(tableRow),
    footer: '\n',
  };
  const subscriptions: Section = {
    label: 'subscription rows',
    header: `**${subscriptionsRemoving.length > 0 ? 'Other subscription changes' : 'Subscriptions'}**, under their sink\n\n${SUBSCRIPTION_TABLE}`,
    items: subscriptionsKeeping.map(subscriptionRow),
    footer: '\n',
  };
  // In the order of the tables: what is destructive first.
  const details: Section = { label: 'action details', header: '', items: [...removing, ...keeping].map(detailsBlock), footer: '' };
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

  // Display order, and the order in which parts are kept when the document is too long: what is
  // destructive first, the action details (the longest part, and each action is in a table) last.
  const display = [errors, removals, subscriptionRemovals, table, subscriptions, details, warnings, unmanaged];
  const priority = [removals, subscriptionRemovals, errors, table, subscriptions, warnings, unmanaged, details];
  const destructive: readonly Section[] = [removals, subscriptionRemovals];

  const truncationNote = (left: readonly LeftOut[]): string => {
    if (left.length === 0) return '';
    const what = left.map((l) => `${l.count} ${l.label}`).join(', ');
    const chars = left.reduce((sum, l) => sum + l.chars, 0);
    return `> **Note:** this plan was truncated to ${limit} characters, to fit GitHub's limit: ${what} (${chars} characters) left out. ${fullPlan}\n\n`;
  };
  // Never silent: destructive rows left out are also counted at the top, beside the warning.
  const cutWarning = (left: readonly LeftOut[]): string => {
    const cut = left.filter((l) => destructive.includes(l.section));
    if (cut.length === 0) return '';
    const what = cut.map((l) => `${l.count} ${l.label}`).join(' and ');
    return `> **Warning:** ${what} are not listed here: even they do not fit in ${limit} characters. ${fullPlan}\n\n`;
  };
  // Room is kept for the notes at their longest (everything left out), so they always fit.
  const everything = priority
    .filter((s) => s.items.length > 0)
    .map((s) => ({ section: s, label: s.label, count: s.items.length, chars: s.items.reduce((sum, item) => sum + item.length, 0) }));
  const reserve = truncationNote(everything).length + cutWarning(everything).length;

  let used = title.length + warning.length + summary.length + footer.length + reserve;
  const kept = new Map<Section, number>();
  const left: LeftOut[] = [];
  for (const section of priority) {
    let n = 0;
    let chars = 0;
    for (const item of section.items) {
      const cost = item.length + (n === 0 ? section.header.length + section.footer.length : 0);
      if (chars === 0 && used + cost <= limit) {
        used += cost;
        n += 1;
      } else {
        chars += item.length;
      }
    }
    kept.set(section, n);
    if (n < section.items.length) left.push({ section, label: section.label, count: section.items.length - n, chars });
  }

  let body = title + warning + cutWarning(left) + summary;
  for (const section of display) {
    const n = kept.get(section) ?? 0;
    if (n > 0) body += section.header + section.items.slice(0, n).join('') + section.footer;
  }
  return body + truncationNote(left) + footer;
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
