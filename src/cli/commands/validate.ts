/**
 * `sinkops validate`: checks the sink files without contacting Twilio. Exit 0 when there are no
 * errors (warnings allowed), 1 otherwise.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_CONFIG_FILE } from '../../accounts/file-name.js';
import { loadDesired } from '../../desired/load.js';
import type { Io } from '../../io.js';
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

/**
 * Without `--dir`: the repository's sink files — `sinks/`, or with `sinkops.yaml` every directory it
 * names (a fleet's may use `${account.…}`), checked together. sinkops.yaml is looked for first and
 * its loader imported only when there is one: validate is the command that must start fastest.
 */
async function loadRepository(cwd: string, env: Io['env']): Promise<DesiredState> {
  if (!existsSync(join(cwd, REPO_CONFIG_FILE))) return loadDesired('sinks', { cwd, env });
  const { checkRepoConfig } = await import('../../accounts/config.js');
  const checked = await checkRepoConfig(cwd);
  if (checked === undefined) return loadDesired('sinks', { cwd, env });
  // Its problems are reported like the sink files': located, all at once. The folders it names are
  // read only once it is valid.
  if (!checked.ok) return { sinks: [], files: [REPO_CONFIG_FILE], diagnostics: checked.diagnostics };
  const { config } = checked;
  const dirs = new Map<string, boolean>();
  for (const account of config.accounts) dirs.set(account.dir, dirs.get(account.dir) ?? false);
  for (const fleet of config.fleets) dirs.set(fleet.dir, true);
  const states = await Promise.all([...dirs].map(([dir, accountRefs]) => loadDesired(dir, { cwd, env, accountRefs })));
  return {
    sinks: states.flatMap((s) => s.sinks),
    files: [REPO_CONFIG_FILE, ...states.flatMap((s) => s.files)],
    diagnostics: [...checked.warnings, ...states.flatMap((s) => s.diagnostics)],
  };
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check the sink YAML files (schema, names, ${ENV} references) without contacting Twilio',
  usage: 'validate [--dir sinks] [--format text|json|github] [--no-env-check]',
  help: {
    '--dir DIR': 'folder of sink YAML files (default: sinks, or with sinkops.yaml every folder it names)',
    '--format F': 'text (default), json, or github (workflow-command annotations for GitHub Actions)',
    '--no-env-check': 'do not warn about ${VAR} references whose variable is not set (for CI without secrets, e.g. a fork\'s pull request)',
  },
  options: {
    dir: { type: 'string' },
    format: { type: 'string' },
    'no-env-check': { type: 'boolean' },
  },
  async run({ values, io, logger }) {
    const format = choiceOption(values, 'format', FORMATS);
    const dir = stringOption(values, 'dir');
    const loaded = dir === undefined ? await loadRepository(io.cwd, io.env) : await loadDesired(dir, { cwd: io.cwd, env: io.env });
    // A step that validates without the secrets by design would only be told, for every reference,
    // what it already knows. Everything else, literal secrets included, is checked as before.
    const state = flag(values, 'no-env-check') ? { ...loaded, diagnostics: loaded.diagnostics.filter((d) => d.code !== 'ENV_MISSING') } : loaded;
    logger.debug({ dir: dir ?? 'repository', files: state.files.length, diagnostics: state.diagnostics.length }, 'validated');
    io.stdout.write(render(state, format));
    return hasErrors(state.diagnostics) ? EXIT.ERROR : EXIT.OK;
  },
};
