/**
 * What an apply over many accounts did (SPEC §14): each account's result as a run of one account
 * prints it, under its name; accounts with nothing to do in one line; failed and skipped accounts
 * named with the reason; then the accounts' totals. Results never hold configuration values.
 */
import { RESULT_STATUSES, type ResultStatus } from '../apply/model.js';
import { APPLY_RESULT_FORMAT_VERSION, renderApplyResult, summaryLine } from '../apply/render-result.js';
import type { RenderFormat } from '../render/options.js';
import { accountError } from '../render/accounts.js';
import { codeSpan, escapeMarkdown } from '../render/markdown-escape.js';
import { terminalSafe } from '../terminal-safe.js';
import type { AccountApplyOutcome } from './model.js';

/** `8 accounts: 3 applied, 4 unchanged, 1 failed.` (only the non-zero kinds after the first). */
export function accountsResultLine(outcomes: readonly AccountApplyOutcome[]): string {
  const count = (status: AccountApplyOutcome['status']): number => outcomes.filter((o) => o.status === status).length;
  const parts = [`${count('applied')} applied`, `${count('unchanged')} unchanged`];
  if (count('failed') > 0) parts.push(`${count('failed')} failed`);
  if (count('skipped') > 0) parts.push(`${count('skipped')} skipped`);
  return `${outcomes.length} account${outcomes.length === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}

/** A line per account as it finishes, for the CI log of a long run. */
export function accountDoneLine(outcome: AccountApplyOutcome, done: number, total: number): string {
  const name = terminalSafe(outcome.name);
  const what =
    outcome.status === 'applied'
      ? summaryLine(outcome.result)
      : outcome.status === 'failed'
        ? `failed: ${terminalSafe(outcome.error.message)}`
        : outcome.status;
  return `[${done}/${total}] ${name}: ${what}`;
}

function totals(outcomes: readonly AccountApplyOutcome[]): Record<ResultStatus, number> {
  const sum = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;
  for (const o of outcomes) {
    const result = o.status === 'applied' || o.status === 'failed' ? o.result : undefined;
    for (const s of RESULT_STATUSES) sum[s] += result?.counts[s] ?? 0;
  }
  return sum;
}

export function renderAccountsResult(outcomes: readonly AccountApplyOutcome[], format: RenderFormat, dryRun: boolean): string {
  if (format === 'json') {
    const accounts = outcomes.map((o) => {
      if (o.status === 'applied') return { name: o.name, status: o.status, ...JSON.parse(renderApplyResult(o.result, 'json')), ...(o.notes.length > 0 ? { notes: o.notes } : {}) };
      if (o.status === 'failed') return { name: o.name, status: o.status, error: accountError(o.error) };
      return { name: o.name, status: o.status };
    });
    return `${JSON.stringify({ format_version: APPLY_RESULT_FORMAT_VERSION, dry_run: dryRun, summary: totals(outcomes), accounts }, null, 2)}\n`;
  }
  const markdown = format === 'markdown';
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'applied') {
      lines.push(markdown ? `#### ${codeSpan(o.name)}\n` : `== ${terminalSafe(o.name)} ==`);
      lines.push(renderApplyResult(o.result, format).trimEnd());
      for (const note of o.notes) lines.push(markdown ? `\n> **Note:** ${escapeMarkdown(note)}` : `Note: ${note}`);
      lines.push('');
    } else if (o.status === 'failed') {
      const detail = [o.error.message, ...o.error.details];
      lines.push(
        markdown
          ? `#### ${codeSpan(o.name)}: failed\n\n${detail.map((d) => `> ${escapeMarkdown(d)}`).join('\n')}\n`
          : `${terminalSafe(o.name)}: failed: ${terminalSafe(o.error.message)} (${o.error.code})${o.error.details.map((d) => `\n  ${terminalSafe(d)}`).join('')}\n`,
      );
    } else {
      lines.push(markdown ? `- ${codeSpan(o.name)}: ${o.status}` : `${terminalSafe(o.name)}: ${o.status === 'unchanged' ? 'no changes' : 'skipped (not started)'}`);
    }
  }
  const head = `${dryRun ? 'Dry run over ' : ''}${accountsResultLine(outcomes)}`;
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n${markdown ? `\n**${head}**` : head}\n`;
}
