import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SinkopsError } from '../../errors.js';
import { tryReadTextFile } from '../../files.js';
import {
  mergeVscodeSettings,
  STARTER_SECRETS,
  starterFiles,
  starterSchemaUrl,
  VSCODE_SETTINGS,
  vscodeSettingsSnippet,
} from '../../init/templates.js';
import { EXIT, flag, stackOption, stringOption, type Command } from '../command.js';

/** An existing settings file larger than this is left alone, not read. */
const SETTINGS_MAX_BYTES = 1024 * 1024;

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Refuses a path under `root` that a symbolic link (any part of it, the file itself included) leads
 * out of `rootReal`, or that goes through a broken link; parts that do not exist yet are made by
 * init itself, as plain folders. Returns whether the file exists.
 */
async function checkPath(root: string, rootReal: string, rel: string, display: string): Promise<boolean> {
  let current = root;
  const parts = rel.split('/');
  for (const [i, part] of parts.entries()) {
    current = join(current, part);
    let st;
    try {
      st = await lstat(current);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return false;
      throw new SinkopsError('REFUSED', `Cannot check ${display}: ${errnoOf(e) ?? 'unknown error'}; nothing was written`);
    }
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = await realpath(current);
      } catch {
        throw new SinkopsError('REFUSED', `${display}: ${relative(root, current)} is a broken symbolic link; nothing was written`);
      }
      if (!isInside(rootReal, real)) {
        throw new SinkopsError('REFUSED', `${display}: ${relative(root, current)} is a symbolic link that points outside the --dir folder; nothing was written`);
      }
    }
    if (i === parts.length - 1) return true;
  }
  return true;
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Write a starter repository: an example sink, GitHub workflows using the sinkops action, editor schema settings',
  usage: 'init [--dir .] [--stack S] [--force]',
  help: {
    '--dir DIR': 'the repository to write into (default: the current folder); created when missing',
    '--stack S': 'the stack the workflows plan and apply (--stack of every step)',
    '--force': 'overwrite files that exist (without it they are skipped and listed)',
  },
  options: {
    dir: { type: 'string' },
    stack: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run({ values, io }) {
    const dir = stringOption(values, 'dir', '.');
    const stack = stackOption(values);
    const force = flag(values, 'force');
    const root = resolve(io.cwd, dir);
    await mkdir(root, { recursive: true });
    const rootReal = await realpath(root);
    const show = (rel: string): string => relative(io.cwd, join(root, rel)).split(sep).join('/') || '.';

    const files = starterFiles(stack === undefined ? {} : { stack });
    // Every path is checked before anything is written: a refusal leaves the folder as it was.
    const exists = new Map<string, boolean>();
    for (const f of [...files.map((f) => f.path), VSCODE_SETTINGS]) exists.set(f, await checkPath(root, rootReal, f, show(f)));

    const written: string[] = [];
    const skipped: string[] = [];
    const notes: string[] = [];
    const write = async (rel: string, content: string, overwrite: boolean): Promise<boolean> => {
      const abs = join(root, rel);
      await mkdir(dirname(abs), { recursive: true });
      try {
        await writeFile(abs, content, { encoding: 'utf8', flag: overwrite ? 'w' : 'wx' });
        return true;
      } catch (e) {
        if (errnoOf(e) === 'EEXIST') return false;
        throw e;
      }
    };
    for (const f of files) {
      const existed = exists.get(f.path) === true;
      if (existed && !force) skipped.push(show(f.path));
      else if (await write(f.path, f.content, force)) written.push(`${show(f.path)}${existed ? ' (overwritten)' : ''}`);
      else skipped.push(show(f.path));
    }

    // Editor settings: merged into an existing JSON file (other settings kept), else left alone.
    const schemaUrl = starterSchemaUrl();
    const settingsShown = show(VSCODE_SETTINGS);
    let merge;
    if (exists.get(VSCODE_SETTINGS) === true) {
      const read = tryReadTextFile(join(root, VSCODE_SETTINGS), SETTINGS_MAX_BYTES);
      merge = read.ok ? mergeVscodeSettings(read.text, schemaUrl) : ({ kind: 'invalid', reason: `it could not be read (${read.problem.kind})` } as const);
    } else merge = mergeVscodeSettings(undefined, schemaUrl);
    if (merge.kind === 'write') {
      const existed = exists.get(VSCODE_SETTINGS) === true;
      await write(VSCODE_SETTINGS, merge.content, existed);
      written.push(`${settingsShown}${existed ? ' (yaml.schemas added, other settings kept)' : ''}`);
    } else if (merge.kind === 'unchanged') {
      notes.push(`${settingsShown} already maps the sink schema; left as it is.`);
    } else {
      notes.push(`${settingsShown} was left alone: ${merge.reason}. Add this to it by hand:`, ...vscodeSettingsSnippet(schemaUrl).split('\n').map((l) => `    ${l}`));
    }

    const out = io.stdout;
    out.write(written.length > 0 ? `Wrote ${written.length} file${written.length === 1 ? '' : 's'}:\n` : 'Wrote nothing.\n');
    for (const w of written) out.write(`  + ${w}\n`);
    if (skipped.length > 0) {
      out.write(`Skipped ${skipped.length} that already exist${skipped.length === 1 ? 's' : ''} (--force overwrites):\n`);
      for (const s of skipped) out.write(`  = ${s}\n`);
    }
    for (const n of notes) out.write(`${n}\n`);
    out.write('\nCreate these secrets in the GitHub repository (Settings → Secrets and variables → Actions):\n');
    const width = Math.max(...STARTER_SECRETS.map((s) => s.name.length));
    for (const s of STARTER_SECRETS) out.write(`  ${s.name.padEnd(width)}  ${s.where}: ${s.holds}\n`);
    out.write(
      "and an environment named 'production' (Settings → Environments) for the apply secrets.\n" +
        'Add every variable your sinks reference with ${…} to the env of the Plan and Apply steps alike.\n' +
        `\nNext: edit ${show('sinks/example-webhook.yaml')}, then run sinkops validate${dir === '.' ? '' : ` --dir ${show('sinks')}`} and open a pull request.\n`,
    );
    return EXIT.OK;
  },
};
