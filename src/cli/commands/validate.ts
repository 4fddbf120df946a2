/**
 * `sinkops validate`: checks the sink files without contacting Twilio. Exit 0 when there are no
 * errors (warnings allowed), 1 otherwise.
 */
import { loadDesired } from '../../desired/load.js';
import { formatDiagnostic, hasErrors, type DesiredState } from '../../desired/model.js';
import { diagnosticsAsWorkflowCommands } from '../../github/annotations.js';
import { choiceOption, EXIT, flag, stringOption, type Command } from '../command.js';

const FORMATS = ['text', 'json', 'github'] as const;
type Format = (typeof FORMATS)[number];

/**
 * The `--format json` document (stable; tools may parse it):
 * `{"valid": boolean, "sinks": number, "files": number,
 *   "diagnostics": [{"severity", "code", "file", "line", "column", "message"}]}`
 * `valid` is false when any diagnostic is an error; `sinks` counts the sinks that validated.
 */
export interface ValidateReport {
  readonly valid: boolean;
  readonly sinks: number;
  readonly files: number;
  readonly diagnostics: readonly {
    readonly severity: string;
    readonly code: string;
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly message: string;
  }[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 errors, 1 warning in 2 files` or `OK: 3 sinks in 3 files` (plus warnings, if any). */
export function summaryLine(state: DesiredState): string {
  const errors = state.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = state.diagnostics.length - errors;
  if (errors > 0) {
    const files = new Set(state.diagnostics.map((d) => d.file)).size;
    return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
  }
  const ok = `OK: ${plural(state.sinks.length, 'sink')} in ${plural(state.files.length, 'file')}`;
  return warnings > 0 ? `${ok}, ${plural(warnings, 'warning')}` : ok;
}

export function validateReport(state: DesiredState): ValidateReport {
  return {
    valid: !hasErrors(state.diagnostics),
    sinks: state.sinks.length,
    files: state.files.length,
    diagnostics: state.diagnostics.map(({ severity, code, file, line, column, message }) => ({
      severity,
      code,
      file,
      line,
      column,
      message,
    })),
  };
}

function render(state: DesiredState, format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(validateReport(state), null, 2)}\n`;
    case 'github':
      return [...diagnosticsAsWorkflowCommands(state.diagnostics), summaryLine(state)].join('\n') + '\n';
    case 'text':
      return [...state.diagnostics.map(formatDiagnostic), summaryLine(state)].join('\n') + '\n';
  }
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check the sink YAML files (schema, names, ${ENV} references) without contacting Twilio',
  usage: 'validate [--dir sinks] [--format text|json|github] [--no-env-check]',
  help: {
    '--dir DIR': 'folder of sink YAML files (default sinks)',
    '--format F': 'text (default), json, or github (workflow-command annotations for GitHub Actions)',
    '--no-env-check': 'do not warn about ${VAR} references whose variable is not set (for CI without secrets, e.g. a fork\'s pull request)',
  },
  options: {
    dir: { type: 'string' },
    format: { type: 'string' },
    'no-env-check': { type: 'boolean' },
  },
  async run({ values, io, logger }) {
    const dir = stringOption(values, 'dir', 'sinks');
    const format = choiceOption(values, 'format', FORMATS);
    const loaded = await loadDesired(dir, { cwd: io.cwd, env: io.env });
    // A step that validates without the secrets by design would only be told, for every reference,
    // what it already knows. Everything else, literal secrets included, is checked as before.
    const state = flag(values, 'no-env-check') ? { ...loaded, diagnostics: loaded.diagnostics.filter((d) => d.code !== 'ENV_MISSING') } : loaded;
    logger.debug({ dir, files: state.files.length, diagnostics: state.diagnostics.length }, 'validated');
    io.stdout.write(render(state, format));
    return hasErrors(state.diagnostics) ? EXIT.ERROR : EXIT.OK;
  },
};
