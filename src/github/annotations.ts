/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), which GitHub shows
 * as annotations on the pull request's changed lines.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import { formatDiagnostic, type Diagnostic } from '../desired/model.js';

/** GitHub shows at most this many error (and, separately, warning) annotations per step. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  readonly level: AnnotationLevel;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly title?: string;
}

/** Escapes a command's message (the part after `::`), as the Actions runner's toolkit does. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: also `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatAnnotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  if (a.title !== undefined) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(a.message)}`;
}

/** What an annotation is made from: a diagnostic, or a plan error placed in its file (planErrorsAsWorkflowCommands). */
export type Located = Pick<Diagnostic, 'severity' | 'message' | 'file' | 'line' | 'column'>;

export function diagnosticAnnotation(d: Located): Annotation {
  return { level: d.severity, file: d.file, line: d.line, col: d.column, message: d.message };
}

/**
 * One line per diagnostic: the first MAX_ANNOTATIONS_PER_LEVEL errors and warnings as workflow
 * commands, the rest as plain `file:line:column:` lines (still in the log, which GitHub would
 * otherwise drop silently), followed by a line saying how many were not annotated.
 */
export function diagnosticsAsWorkflowCommands(
  diagnostics: readonly Located[],
  limit: number = MAX_ANNOTATIONS_PER_LEVEL,
): string[] {
  const used = { error: 0, warning: 0 };
  const overflow = { error: 0, warning: 0 };
  const lines: string[] = [];
  for (const d of diagnostics) {
    if (used[d.severity] < limit) {
      used[d.severity]++;
      lines.push(formatAnnotation(diagnosticAnnotation(d)));
    } else {
      overflow[d.severity]++;
      lines.push(formatDiagnostic(d));
    }
  }
  for (const level of ['error', 'warning'] as const) {
    const n = overflow[level];
    if (n > 0) {
      lines.push(
        `${n} more ${level}${n === 1 ? '' : 's'} not shown as annotations (GitHub shows at most ${limit} ${level} annotations per step); see the lines above`,
      );
    }
  }
  return lines;
}

/**
 * `plan --annotations`: each plan error (a pinned SID that does not exist, the sink limit, an
 * unknown event type…) as an error annotation at the file, line and column it comes from, under
 * the same limit and summary as validate's.
 */
export function planErrorsAsWorkflowCommands(
  errors: readonly { readonly message: string; readonly source: { readonly file: string; readonly line: number; readonly column: number } }[],
  limit: number = MAX_ANNOTATIONS_PER_LEVEL,
): string[] {
  return diagnosticsAsWorkflowCommands(
    errors.map((e) => ({ severity: 'error', message: e.message, file: e.source.file, line: e.source.line, column: e.source.column })),
    limit,
  );
}
