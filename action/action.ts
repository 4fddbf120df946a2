/**
 * sinkops as a GitHub Action (action.yml at the repository root). GitHub passes each input as an
 * `INPUT_<NAME>` environment variable; they become the CLI's arguments, the CLI runs in this process
 * (`run(argv, io)`, as bin/sinkops.js does), and its exit code and a few outputs go back to the
 * workflow through `$GITHUB_OUTPUT`. `npm run bundle` bundles this file with every dependency into
 * action/dist/main.mjs, which is committed: GitHub runs it as it is, without `npm install`.
 */
import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_CONFIG_FILE } from '../src/accounts/file-name.js';
import { EXIT } from '../src/cli/command.js';
import { COMMANDS } from '../src/cli/commands/index.js';
import { run } from '../src/cli/main.js';
import type { Io } from '../src/io.js';
import { parsePlanHashComment, PLAN_HASH_PATTERN } from '../src/plan/plan-hash.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A problem with the action's inputs: reported like a usage error (exit 1), before sinkops runs. */
export class ActionInputError extends Error {}

/**
 * An input as GitHub sets it: `INPUT_` and the name upper-cased, spaces as underscores (hyphens
 * stay), trimmed as `@actions/core`'s getInput trims; '' when unset.
 */
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/**
 * What one token of `args` may hold. No shell runs these arguments: quotes, `$VAR`, globs, `~`,
 * redirections and `;` would reach sinkops literally (a file named `$RUNNER_TEMP/plan.json`, a
 * quoted value split in two), so rather than do something the workflow's author did not mean, the
 * action refuses them. `${{ … }}` expressions are fine: GitHub substitutes them before the action runs.
 */
const PLAIN_TOKEN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A value passed as one argument (`--stack=<value>`): anything on one line, never split or read by a shell. */
function oneLine(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new ActionInputError(`input '${name}' must be one line`);
  return value;
}

/**
 * The CLI's argv from the inputs: `<command> [--dir=D | --out-dir=D] [--stack=S] [--account=A]...
 * [--format=F] <args>...`. Values are passed as `--option=value`, one argument each, so a value
 * that starts with '-' stays a value. `dir` goes to the commands that read sink files (`--dir`:
 * validate, plan, apply; not when the repository has a sinkops.yaml, which names them) or write them
 * (`--out-dir`: import), and to no other. `account` may name
 * several accounts, separated by spaces or commas (globs are sinkops's, not a shell's). `args` come
 * last, so an option there wins over the same option set by an input.
 */
export async function actionArgv(env: Env, repository: { readonly hasRepoConfig?: boolean } = {}): Promise<string[]> {
  const command = input(env, 'command') || 'plan';
  if (!/^[a-z][a-z0-9-]*$/.test(command)) {
    throw new ActionInputError(`input 'command' must be a sinkops command such as validate, plan or apply, not '${oneLine('command', command)}'`);
  }
  const argv = [command];
  const options = (await COMMANDS.find((c) => c.name === command)?.load())?.options ?? {};
  const dir = oneLine('dir', input(env, 'dir') || 'sinks');
  // With sinkops.yaml, the folders are the ones it names for each account (SPEC §14): no --dir.
  if ('dir' in options) {
    if (repository.hasRepoConfig !== true) argv.push(`--dir=${dir}`);
  }
  else if ('out-dir' in options) argv.push(`--out-dir=${dir}`);
  const stack = oneLine('stack', input(env, 'stack'));
  if (stack !== '') argv.push(`--stack=${stack}`);
  for (const account of input(env, 'account').split(/[\s,]+/).filter(Boolean)) argv.push(`--account=${account}`);
  const format = oneLine('format', input(env, 'format'));
  if (format !== '') argv.push(`--format=${format}`);
  for (const token of input(env, 'args').split(/\s+/).filter(Boolean)) {
    if (!PLAIN_TOKEN.test(token)) {
      throw new ActionInputError(
        `input 'args': '${token}' is not a plain argument. No shell runs the arguments, so quotes, $variables, globs, ~, ` +
          'redirections and ; would reach sinkops as they are written: give one plain argument per word ' +
          '(letters, digits and _ @ % + = : , . / -), and use ${{ }} expressions, which GitHub fills in before the action runs',
      );
    }
    argv.push(token);
  }
  return argv;
}

/**
 * The plan hash a run printed: the hidden first line of a Markdown plan, `plan_hash` of a JSON one,
 * or the one line of `github reviewed-hash`.
 */
export function planHashOf(stdout: string): string | undefined {
  if (PLAN_HASH_PATTERN.test(stdout.trimEnd())) return stdout.trimEnd();
  const fromMarkdown = parsePlanHashComment(stdout.split('\n', 1)[0] ?? '');
  if (fromMarkdown !== undefined) return fromMarkdown;
  if (!stdout.trimStart().startsWith('{')) return undefined;
  try {
    const hash = (JSON.parse(stdout) as { plan_hash?: unknown }).plan_hash;
    return typeof hash === 'string' && PLAN_HASH_PATTERN.test(hash) ? hash : undefined;
  } catch {
    return undefined;
  }
}

/** Appends `name=value` lines to `$GITHUB_OUTPUT` (nothing when unset: run outside GitHub). */
export function writeOutputs(env: Env, outputs: Readonly<Record<string, string>>): void {
  const file = env['GITHUB_OUTPUT'];
  if (file === undefined || file === '') return;
  const lines = Object.entries(outputs).map(([name, value]) => {
    if (/[\r\n]/.test(value)) throw new Error(`output ${name} must be one line`);
    return `${name}=${value}\n`;
  });
  appendFileSync(file, lines.join(''), 'utf8');
}

/** A workflow command's message, escaped as GitHub reads them (% and line breaks). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The last value given to `--name` in argv, as `--name=value` or `--name value`; '' when none. */
function lastValue(argv: readonly string[], name: string): string {
  let value = '';
  argv.forEach((arg, i) => {
    if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
    else if (arg === `--${name}`) value = argv[i + 1] ?? '';
  });
  return value;
}

/** The stdout file's extension, by format, so that an artifact of it opens as what it is. */
const EXTENSIONS: Readonly<Record<string, string>> = { markdown: 'md', json: 'json' };

/**
 * Runs the action: inputs → argv → `run(argv, io)` in this process, its stdout to the log and to a
 * file (output `stdout-file`, under RUNNER_TEMP), then the outputs `exit-code`, `stdout-file` and,
 * when the run printed one, `plan-hash`. Resolves to the exit code for the process.
 */
export async function runAction(env: Env, io: Io): Promise<number> {
  let argv: string[];
  try {
    argv = await actionArgv(env, { hasRepoConfig: existsSync(join(io.cwd, REPO_CONFIG_FILE)) });
  } catch (e) {
    if (!(e instanceof ActionInputError)) throw e;
    io.stderr.write(`Error: ${e.message}\n`);
    if (env['GITHUB_ACTIONS'] === 'true') io.stdout.write(`::error title=sinkops action::${escapeData(e.message)}\n`);
    writeOutputs(env, { 'exit-code': String(EXIT.ERROR) });
    return EXIT.ERROR;
  }
  const format = lastValue(argv, 'format');
  const stdoutFile = join(mkdtempSync(join(env['RUNNER_TEMP'] || tmpdir(), 'sinkops-')), `${argv[0]}.${EXTENSIONS[format] ?? 'txt'}`);
  const fd = openSync(stdoutFile, 'w');
  let code: number;
  try {
    code = await run(argv, {
      ...io,
      stdout: {
        isTTY: io.stdout.isTTY === true,
        write(chunk: string) {
          writeSync(fd, chunk);
          return io.stdout.write(chunk);
        },
      },
    });
  } finally {
    closeSync(fd);
  }
  const hash = planHashOf(readFileSync(stdoutFile, 'utf8'));
  writeOutputs(env, { 'exit-code': String(code), 'stdout-file': stdoutFile, ...(hash === undefined ? {} : { 'plan-hash': hash }) });
  return code;
}
