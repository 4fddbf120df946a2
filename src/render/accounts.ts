/**
 * A plan over many accounts (SPEC §14): each account's plan as the one-account renderers draw it,
 * under the account's name, then what the accounts add up to. Accounts with nothing to do take one
 * line; one that could not be planned says why. The renderers stay pure: the CLI gives each
 * account's plan, or its error, and the hash of the whole.
 */
import { ACTION_KINDS, LEGEND, symbolOf } from '../plan/action.js';
import { encodePlan } from '../plan/codec.js';
import type { Plan, PlanSummary, SubscriptionSummary } from '../plan/model.js';
import { planHashComment } from '../plan/plan-hash.js';
import { hasChanges } from '../plan/safety.js';
import { PLAN_FORMAT_VERSION } from '../plan/plan-json.js';
import { toSaved } from '../plan/saved-plan.js';
import { terminalSafe } from '../terminal-safe.js';
import { printableContext } from './context.js';
import {
  destructiveWarning,
  isDestructive,
  isDestructiveSubscription,
  NO_CHANGES,
  subscriptionSummaryLine,
  subscriptionSymbol,
  summaryLine,
} from './describe.js';
import { codeSpan, escapeHtml, escapeMarkdown } from './markdown-escape.js';
import { MARKDOWN_LIMIT, renderMarkdown } from './markdown.js';
import type { RenderFormat, RenderOptions } from './options.js';
import { renderText } from './text.js';

/** Why an account has no plan: its error as the CLI would print it (credentials never in it). */
export interface AccountError {
  readonly code: string;
  readonly message: string;
  readonly details: readonly string[];
}

/** An error as an account's entry shows it: its code, message and details (never a credential). */
export function accountError(e: { readonly code: string; readonly message: string; readonly details: readonly string[] }): AccountError {
  return { code: e.code, message: e.message, details: e.details };
}

export interface AccountPlanView {
  readonly name: string;
  readonly plan?: Plan;
  readonly error?: AccountError;
}

export interface AccountsPlanView {
  readonly accounts: readonly AccountPlanView[];
  /** accountsPlanHash of the whole (src/plan/plan-hash.ts): what the apply on merge checks. */
  readonly hash: string;
}

export function renderAccountsPlan(view: AccountsPlanView, format: RenderFormat, options: RenderOptions): string {
  if (format === 'json') return renderAccountsJson(view, options);
  if (format === 'markdown') return renderAccountsMarkdown(view, options);
  return renderAccountsText(view, options);
}

/** Whether the plan does anything, or cannot be applied (errors): otherwise its account takes one line. */
export function planSaysSomething(plan: Plan): boolean {
  return hasChanges(plan) || plan.errors.length > 0;
}

function totals(view: AccountsPlanView): { summary: PlanSummary; subscriptions: SubscriptionSummary } {
  const summary = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<keyof PlanSummary, number>;
  const subscriptions: Record<keyof SubscriptionSummary, number> = { create: 0, update: 0, move: 0, delete: 0, noop: 0 };
  for (const { plan } of view.accounts) {
    if (plan === undefined) continue;
    for (const k of ACTION_KINDS) summary[k] += plan.summary[k];
    for (const k of Object.keys(subscriptions) as (keyof SubscriptionSummary)[]) subscriptions[k] += plan.subscriptionSummary[k];
  }
  return { summary, subscriptions };
}

/** `Plan: 3 to create, …` → `Plan (all accounts): 3 to create, …`; the same for `Subscriptions:`. */
function allAccounts(line: string): string {
  return line.replace(/^(Plan|Subscriptions):/, '$1 (all accounts):');
}

/** `8 accounts: 2 with changes, 5 without, 1 failed.` */
export function accountsLine(view: Pick<AccountsPlanView, 'accounts'>): string {
  const failed = view.accounts.filter((a) => a.plan === undefined).length;
  const changing = view.accounts.filter((a) => a.plan !== undefined && planSaysSomething(a.plan)).length;
  const unchanged = view.accounts.length - failed - changing;
  const n = view.accounts.length;
  return `${n} account${n === 1 ? '' : 's'}: ${changing} with changes, ${unchanged} without${failed > 0 ? `, ${failed} failed` : ''}.`;
}

function renderAccountsText(view: AccountsPlanView, options: RenderOptions): string {
  const bold = (text: string): string => (options.color ? `\u001b[1m${text}\u001b[0m` : text);
  const red = (text: string): string => (options.color ? `\u001b[31m${text}\u001b[0m` : text);
  const stack = view.accounts.find((a) => a.plan?.options.stack !== undefined)?.plan?.options.stack;
  const out: string[] = [bold(`sinkops plan: ${view.accounts.length} account${view.accounts.length === 1 ? '' : 's'}${stack === undefined ? '' : ` (stack ${terminalSafe(JSON.stringify(stack))})`}`), ''];
  // One legend for every account's plan (each is drawn without its own).
  const used = new Set(view.accounts.flatMap((a) => (a.plan === undefined ? [] : [...a.plan.actions.filter((x) => x.action !== 'noop').map(symbolOf), ...a.plan.subscriptions.filter((x) => x.action !== 'noop').map(subscriptionSymbol)])));
  if (used.size > 0) {
    out.push('Actions are shown with the following symbols:');
    for (const [symbol, meaning] of LEGEND) if (used.has(symbol)) out.push(`  ${symbol} ${meaning}`);
    out.push('');
  }
  for (const account of view.accounts) {
    const name = terminalSafe(account.name);
    if (account.plan === undefined) {
      const error = account.error ?? { code: 'UNKNOWN', message: 'no plan', details: [] };
      out.push(`${red(`${name}: failed`)}: ${terminalSafe(error.message)} (${error.code})`, ...error.details.map((d) => `  ${terminalSafe(d)}`), '');
    } else if (!planSaysSomething(account.plan) && !options.verbose) {
      out.push(`${name}: ${NO_CHANGES}`);
    } else {
      out.push('', bold(`== ${name} ==`), renderText(account.plan, { ...options, embedded: true }).trimEnd(), '');
    }
  }
  const { summary, subscriptions } = totals(view);
  out.push('', bold(accountsLine(view)), bold(allAccounts(summaryLine(summary))));
  if (subscriptions.create + subscriptions.update + subscriptions.move + subscriptions.delete > 0) out.push(bold(allAccounts(subscriptionSummaryLine(subscriptions))));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

function renderAccountsJson(view: AccountsPlanView, options: RenderOptions): string {
  const { summary, subscriptions } = totals(view);
  const accounts = view.accounts.map((a) => {
    if (a.plan === undefined) return { name: a.name, error: a.error ?? { code: 'UNKNOWN', message: 'no plan', details: [] } };
    const { format_version: _version, ...plan } = encodePlan(toSaved(a.plan, options));
    return { name: a.name, ...plan };
  });
  return `${JSON.stringify({ format_version: PLAN_FORMAT_VERSION, summary, subscription_summary: subscriptions, plan_hash: view.hash, accounts }, null, 2)}\n`;
}

/** An account's destructive actions (deletes, replacements, blocked; subscription deletes and moves) count first. */
function destructiveCount(plan: Plan): number {
  return plan.actions.filter((a) => a.action !== 'noop' && isDestructive(a)).length + plan.subscriptions.filter(isDestructiveSubscription).length;
}

function renderAccountsMarkdown(view: AccountsPlanView, options: RenderOptions): string {
  const limit = options.maxChars ?? MARKDOWN_LIMIT;
  const context = printableContext(options.context);
  const failed = view.accounts.filter((a) => a.plan === undefined);
  const changing = view.accounts.filter((a): a is AccountPlanView & { plan: Plan } => a.plan !== undefined && planSaysSomething(a.plan));
  const unchanged = view.accounts.filter((a) => a.plan !== undefined && !planSaysSomething(a.plan));
  // Destructive accounts first, then failed ones, then the rest: the order rows and details are kept in.
  const ordered = [...changing].sort((a, b) => destructiveCount(b.plan) - destructiveCount(a.plan));
  const dangerous = ordered.filter((a) => destructiveCount(a.plan) > 0);

  const { summary, subscriptions } = totals(view);
  const title = `${planHashComment(view.hash)}\n### sinkops plan: ${view.accounts.length} account${view.accounts.length === 1 ? '' : 's'}\n\n`;
  const warning =
    dangerous.length === 0
      ? ''
      : `> **Warning:** ${dangerous.length} account${dangerous.length === 1 ? '' : 's'} ${dangerous.length === 1 ? 'has' : 'have'} deletions, replacements or blocked actions: ${dangerous
          .slice(0, 20)
          .map((a) => `${codeSpan(a.name)} (${(destructiveWarning(a.plan) ?? '').replace(/\.$/, '')})`)
          .join('; ')}${dangerous.length > 20 ? `; and ${dangerous.length - 20} more (see the table)` : ''}.\n\n`;
  const subscriptionLine = subscriptions.create + subscriptions.update + subscriptions.move + subscriptions.delete > 0 ? ` ${subscriptionSummaryLine(subscriptions)}` : '';
  const totalsLine = changing.length > 0 ? ` ${allAccounts(summaryLine(summary))}${subscriptionLine === '' ? '' : ` ${allAccounts(subscriptionLine.trim())}`}` : ` ${NO_CHANGES}`;
  const headline = `**${escapeMarkdown(accountsLine(view))}${totalsLine}**${failed.length > 0 ? ` ${failed.length} account${failed.length === 1 ? '' : 's'} could not be planned.` : ''}\n\n`;
  const computed = context.commit === undefined ? '' : ` · computed at ${context.commit}`;
  const run = context.runUrl === undefined ? '' : ` · [run](${context.runUrl})`;
  const footer = `<sub>plan \`${view.hash}\` · ${view.accounts.length} accounts${computed}${run}</sub>\n`;

  const row = (a: AccountPlanView & { plan: Plan }): string =>
    `| ${codeSpan(a.name)} | ${a.plan.summary.create} | ${a.plan.summary.update} | ${a.plan.summary.replace} | ${a.plan.summary.delete} | ${a.plan.summary.blocked} | ${a.plan.errors.length > 0 ? `${a.plan.errors.length} error(s)` : ''} |\n`;
  const failedRow = (a: AccountPlanView): string => `| ${codeSpan(a.name)} | | | | | | failed: ${escapeMarkdown(a.error?.message ?? '')} |\n`;
  const tableHead = '| Account | Create | Update | Replace | Delete | Blocked | |\n|---|---|---|---|---|---|---|\n';
  const quiet =
    unchanged.length === 0
      ? ''
      : `${unchanged.length} account${unchanged.length === 1 ? '' : 's'} without changes: ${unchanged
          .slice(0, 50)
          .map((a) => codeSpan(a.name))
          .join(', ')}${unchanged.length > 50 ? `, and ${unchanged.length - 50} more` : ''}.\n\n`;
  const fullPlan = `Run \`sinkops plan\` for the full plan${context.runUrl === undefined ? '' : `, or see the job summary and artifacts of [the workflow run](${context.runUrl})`}.`;
  const reserve = 400;

  // What is kept when the document is too long, in this order: the destructive accounts' rows,
  // the failed ones', the destructive accounts' details, then the others' rows and details.
  // Displayed in the table's order, then the details in theirs.
  const safe = ordered.filter((a) => destructiveCount(a.plan) === 0);
  const rowItems = [...dangerous.map(row), ...failed.map(failedRow), ...safe.map(row)];
  const detailItems = ordered.map((account) => ({ account, open: `<details><summary><code>${escapeHtml(account.name)}</code>: ${escapeHtml(summaryLine(account.plan.summary))}</summary>\n\n` }));
  const keptRows = new Set<number>();
  const keptDetails = new Map<number, string>();
  let used = title.length + warning.length + headline.length + footer.length + quiet.length + reserve + tableHead.length + 1;
  const keepRow = (i: number): void => {
    const cost = rowItems[i]?.length ?? 0;
    if (used + cost <= limit) {
      keptRows.add(i);
      used += cost;
    }
  };
  const keepDetails = (i: number): void => {
    const item = detailItems[i];
    if (item === undefined) return;
    const close = '</details>\n\n';
    const room = limit - used;
    const block = item.open + renderMarkdown(item.account.plan, { ...options, embedded: true, maxChars: Math.max(0, room - item.open.length - close.length) }) + close;
    if (block.length <= room) {
      keptDetails.set(i, block);
      used += block.length;
    }
  };
  const firstSafeRow = dangerous.length + failed.length;
  for (let i = 0; i < firstSafeRow; i++) keepRow(i);
  for (let i = 0; i < dangerous.length; i++) keepDetails(i);
  for (let i = firstSafeRow; i < rowItems.length; i++) keepRow(i);
  for (let i = dangerous.length; i < detailItems.length; i++) keepDetails(i);

  const table = keptRows.size === 0 ? '' : `${tableHead}${rowItems.filter((_, i) => keptRows.has(i)).join('')}\n`;
  const details = detailItems.map((_, i) => keptDetails.get(i) ?? '').join('');
  const rowsLeft = rowItems.length - keptRows.size;
  const detailsLeft = detailItems.length - keptDetails.size;
  const note =
    rowsLeft + detailsLeft === 0
      ? ''
      : `> **Note:** this plan was shortened to ${limit} characters, to fit GitHub's limit: ${rowsLeft > 0 ? `${rowsLeft} table rows and ` : ''}the details of ${detailsLeft} account${detailsLeft === 1 ? '' : 's'} left out. ${fullPlan}\n\n`;
  return title + warning + headline + table + quiet + note + details + footer;
}
