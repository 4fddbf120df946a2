/**
 * The terminal renderer, following Terraform's conventions (SPEC §5): a legend, one block per action
 * (`# headline`, a symbol line, field lines with `# forces replacement`, the configuration diff),
 * unmanaged sinks, warnings, errors, and the summary line. ANSI colour only when asked.
 *
 * Every value that sinkops did not write (SIDs, types, statuses, descriptions, names, configuration
 * keys, file names, messages quoting them) goes through terminalSafe before colour is added.
 * JSON.stringify alone is not enough: it leaves DEL, C1 controls, bidi overrides and zero-width
 * characters raw, and SIDs, types and statuses are printed unquoted.
 */
import type { FieldChange, Plan, PlannedAction, SubscriptionAction } from '../plan/model.js';
import { documentDiff } from './document.js';
import { LEGEND, symbolOf, type ActionSymbol } from '../plan/action.js';
import {
  NO_CHANGES,
  changesSubscriptions,
  eventLine,
  headline,
  sinkRef,
  specFields,
  subscriptionHeadline,
  subscriptionSummaryLine,
  subscriptionSymbol,
  summaryLine,
} from './describe.js';
import { terminalSafe } from '../terminal-safe.js';
import type { RenderOptions } from './options.js';

const CODES = { green: 32, yellow: 33, red: 31, magenta: 35, cyan: 36, bold: 1, dim: 2 } as const;
type Colour = keyof typeof CODES;

export function renderText(plan: Plan, options: RenderOptions): string {
  const paint = (colour: Colour, text: string): string =>
    options.color ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
  const out: string[] = [];
  const stack = plan.options.stack === undefined ? '' : ` (stack ${terminalSafe(JSON.stringify(plan.options.stack))})`;
  // Embedded in a run over many accounts, the document around it has the title.
  if (options.embedded !== true) out.push(paint('bold', `sinkops plan${stack}`), `Remote basis: ${terminalSafe(plan.basis)}`, '');

  const shown = plan.actions.filter((a) => a.action !== 'noop' || options.verbose);
  const changing = plan.actions.filter((a) => a.action !== 'noop');
  const subscriptionsChange = changesSubscriptions(plan.subscriptions);
  // Embedded, the legend is the document's, once for every account.
  if ((changing.length > 0 || subscriptionsChange) && options.embedded !== true) {
    out.push('Actions are shown with the following symbols:');
    const used = new Set([...changing.map(symbolOf), ...plan.subscriptions.filter((a) => a.action !== 'noop').map(subscriptionSymbol)]);
    for (const [symbol, meaning] of LEGEND) if (used.has(symbol)) out.push(`  ${colourSymbol(symbol, paint)} ${meaning}`);
    out.push('', 'sinkops will perform the following actions:', '');
  }
  // Subscriptions are shown under their sink: inside its block, or under a heading of their own
  // when the sink itself does not change (or is not in the repository any more).
  const bySink = new Map<string, SubscriptionAction[]>();
  for (const a of plan.subscriptions) {
    if (a.action !== 'noop' || options.verbose) bySink.set(a.sink, [...(bySink.get(a.sink) ?? []), a]);
  }
  for (const action of shown) {
    const subscriptions = action.action === 'delete' ? undefined : bySink.get(action.name);
    bySink.delete(action.name);
    out.push(...actionBlock(action, paint), ...(subscriptions ?? []).flatMap((a) => subscriptionLines(a, paint)), '');
  }
  for (const [sink, subscriptions] of bySink) {
    out.push(`  ${paint('bold', `# subscriptions of sink ${terminalSafe(JSON.stringify(sink))}`)}`, ...subscriptions.flatMap((a) => subscriptionLines(a, paint)), '');
  }

  if (plan.unmanaged.length > 0) {
    out.push(`Unmanaged sinks (${plan.unmanaged.length}, never changed by sinkops):`);
    const rows = plan.unmanaged.map((s) => ({
      sid: terminalSafe(s.sid),
      type: terminalSafe(s.sinkType),
      status: terminalSafe(s.status),
      description: terminalSafe(JSON.stringify(s.description)),
    }));
    const typeWidth = Math.max(...rows.map((r) => r.type.length));
    for (const r of rows) out.push(`  ${r.sid}  ${r.type.padEnd(typeWidth)}  ${r.status.padEnd(12)}  ${r.description}`);
    out.push('');
  }
  for (const w of plan.warnings) out.push(`${paint('yellow', 'Warning:')} ${terminalSafe(w.message)}`);
  if (plan.warnings.length > 0) out.push('');
  for (const e of plan.errors) {
    out.push(`${paint('red', 'Error:')} ${terminalSafe(`${e.source.file}:${e.source.line}:${e.source.column}: ${e.message}`)} (${e.code})`);
  }
  if (plan.errors.length > 0) out.push('');

  if (changing.length === 0 && !subscriptionsChange && plan.errors.length === 0) {
    out.push(paint('green', NO_CHANGES));
  } else {
    out.push(paint('bold', summaryLine(plan.summary)));
    if (subscriptionsChange) out.push(paint('bold', subscriptionSummaryLine(plan.subscriptionSummary)));
  }
  if (plan.errors.length > 0) {
    out.push(paint('red', `The plan has ${plan.errors.length} error(s) and cannot be applied.`));
  }
  return `${out.join('\n')}\n`;
}

const SYMBOL_COLOUR: Readonly<Record<ActionSymbol, Colour>> = { '+': 'green', '~': 'yellow', '+/-': 'magenta', '-': 'red', '!': 'red', '=': 'dim' };

function colourSymbol(symbol: ActionSymbol, paint: (c: Colour, t: string) => string): string {
  return paint(SYMBOL_COLOUR[symbol], symbol);
}

function actionBlock(action: PlannedAction, paint: (c: Colour, t: string) => string): string[] {
  const symbol = colourSymbol(symbolOf(action), paint);
  const ref = terminalSafe(sinkRef(action));
  const source =
    'source' in action && action.source !== undefined ? `  ${paint('dim', terminalSafe(`${action.source.file}:${action.source.line}`))}` : '';
  const lines = [
    `  ${paint('bold', `# ${terminalSafe(headline(action))}`)}`,
    `  ${symbol} sink "${terminalSafe(action.name)}"${ref === '' ? '' : ` ${ref}`}${source}`,
  ];
  if (action.action === 'create') {
    const fields = specFields(action.after).map(([path, value]) => [terminalSafe(path), terminalSafe(value)] as const);
    const width = Math.max(...fields.map(([path]) => path.length));
    for (const [path, value] of fields) lines.push(`      ${paint('green', '+')} ${path.padEnd(width)} = ${value}`);
    return lines;
  }
  if (action.action === 'delete') {
    lines.push(`      ${paint('red', '-')} description = ${terminalSafe(JSON.stringify(action.before.description))}`);
    lines.push(`      ${paint('red', '-')} sink_type   = ${terminalSafe(JSON.stringify(action.before.sinkType))}`);
    return lines;
  }
  if (action.changes.length === 0) return lines;
  const width = Math.max(...action.changes.map((c) => terminalSafe(c.path).length));
  for (const change of action.changes) lines.push(`      ${fieldLine(change, width, paint)}`);
  const diff = documentDiff(action);
  if (action.changes.some((c) => c.path.startsWith('sink_configuration.')) && diff.length > 0) {
    lines.push('', '      configuration diff:');
    for (const { op, text } of diff) {
      const rendered = `${op} ${terminalSafe(text)}`;
      lines.push(`        ${op === '+' ? paint('green', rendered) : op === '-' ? paint('red', rendered) : rendered}`);
    }
  }
  return lines;
}

/**
 * A subscription under its sink: its headline as a comment, then the description change and each
 * event with `+`, `~ 1 -> 2` or `-`. Names, SIDs and event types are remote text, escaped.
 */
function subscriptionLines(action: SubscriptionAction, paint: (c: Colour, t: string) => string): string[] {
  const sid = action.before === undefined ? '' : ` (${terminalSafe(action.before.sid)})`;
  const source = action.source === undefined ? '' : `  ${paint('dim', terminalSafe(`${action.source.file}:${action.source.line}`))}`;
  const lines = [
    `      ${paint('dim', `# ${terminalSafe(subscriptionHeadline(action))}`)}`,
    `      ${colourSymbol(subscriptionSymbol(action), paint)} subscription "${terminalSafe(action.name)}"${sid}${source}`,
  ];
  const width = Math.max(0, ...action.changes.map((c) => c.path.length));
  for (const change of action.changes) lines.push(`          ${fieldLine(change, width, paint)}`);
  for (const change of action.events) {
    const [symbol, text] = eventLine(change);
    lines.push(`          ${colourSymbol(symbol, paint)} ${terminalSafe(text)}`);
  }
  return lines;
}

/**
 * `~ path = before -> after # forces replacement`; `+`/`-` when the field is added or removed. The
 * path can hold a remote configuration key and the values remote text, so all three are escaped.
 */
function fieldLine(change: FieldChange, width: number, paint: (c: Colour, t: string) => string): string {
  const path = terminalSafe(change.path).padEnd(width);
  const before = change.before === undefined ? undefined : terminalSafe(change.before);
  const after = change.after === undefined ? undefined : terminalSafe(change.after);
  const forces = change.forcesReplacement ? paint('red', ' # forces replacement') : '';
  if (before === undefined) return `${paint('green', '+')} ${path} = ${after ?? 'null'}${forces}`;
  if (after === undefined) return `${paint('red', '-')} ${path} = ${before}${forces}`;
  return `${paint('yellow', '~')} ${path} = ${before} -> ${after}${forces}`;
}
