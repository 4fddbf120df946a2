/**
 * The sink as a small YAML-like document, before and after an action, diffed line by line with the
 * `diff` package. The renderers show this diff under each action.
 *
 * Values come only from the plan's FieldChanges (already redacted by the planner) and from the
 * desired `after` spec (whose ConfigValues say what is sensitive). Remote configurations are never
 * read here: they hold secrets the planner has not redacted.
 */
import { diffLines } from 'diff';
import type { FieldChange, PlannedAction, SinkSpec } from '../plan/model.js';
import { displayDesired } from '../plan/sensitive.js';

export interface DocLine {
  readonly op: '+' | '-' | ' ';
  readonly text: string;
}

function fieldLine(path: string, value: string): string {
  const key = path.startsWith('sink_configuration.') ? `  ${path.slice('sink_configuration.'.length)}` : path;
  return `${key}: ${value}`;
}

/** Lines of one side; a field absent on that side is left out. */
function side(
  changes: readonly FieldChange[],
  after: SinkSpec | undefined,
  pick: (c: FieldChange) => string | undefined,
): string {
  const changed = new Map(changes.map((c) => [c.path, c]));
  const fields = new Map<string, string | undefined>();
  if (after !== undefined) {
    fields.set('description', JSON.stringify(after.description));
    fields.set('sink_type', JSON.stringify(after.sinkType));
    for (const key of Object.keys(after.sinkConfiguration).sort()) {
      const value = after.sinkConfiguration[key];
      if (value !== undefined) fields.set(`sink_configuration.${key}`, displayDesired(key, value));
    }
  }
  for (const c of changes) if (!fields.has(c.path)) fields.set(c.path, undefined);
  const ordered = [...fields.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const lines: string[] = [];
  let configHeader = false;
  for (const path of ordered) {
    const c = changed.get(path);
    const value = c === undefined ? fields.get(path) : pick(c);
    if (value === undefined) continue;
    if (path.startsWith('sink_configuration.') && !configHeader) {
      lines.push('sink_configuration:');
      configHeader = true;
    }
    lines.push(fieldLine(path, value));
  }
  return lines.map((l) => `${l}\n`).join('');
}

function rank(path: string): number {
  return path === 'description' ? 0 : path === 'sink_type' ? 1 : 2;
}

/**
 * The before/after diff of the sink an action touches. Creates are all additions; deletes show the
 * description and type being removed; noops have no diff.
 */
export function documentDiff(action: PlannedAction): DocLine[] {
  if (action.action === 'noop') return [];
  if (action.action === 'delete') {
    return [
      { op: '-', text: `description: ${JSON.stringify(action.before.description)}` },
      { op: '-', text: `sink_type: ${JSON.stringify(action.before.sinkType)}` },
    ];
  }
  const after = action.action === 'blocked' ? undefined : action.after;
  const before = action.action === 'create' ? '' : side(action.changes, after, (c) => c.before);
  const next = side(action.changes, after, (c) => c.after);
  const lines: DocLine[] = [];
  for (const part of diffLines(before, next)) {
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of part.value.split('\n')) if (text !== '') lines.push({ op, text });
  }
  return lines;
}
