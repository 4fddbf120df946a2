/**
 * Finds the sink files under `--dir`: `**\/*.yaml` and `**\/*.yml`, sorted, each file once.
 * Symbolic links are followed only while they stay inside the directory (a link out of `sinks/`
 * could make sinkops read any file on the machine); directory loops are walked once.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, DiagnosticCode } from './model.js';

export interface SourceFile {
  /** Absolute path as reached through the directory (links not resolved). */
  readonly absolute: string;
  /** Relative to the working directory, with `/` separators: how users type it. */
  readonly display: string;
}

export interface Discovery {
  readonly files: readonly SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
}

const SINK_FILE = /\.ya?ml$/;

export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export async function discoverFiles(dir: string, cwd: string): Promise<Discovery> {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const root = path.resolve(cwd, dir);
  const rootDisplay = displayPath(cwd, root);
  const fail = (code: DiagnosticCode, file: string, message: string): void => {
    diagnostics.push({ severity: 'error', code, file, line: 1, column: 1, message });
  };

  let rootReal: string;
  try {
    rootReal = await realpath(root);
    if (!(await stat(rootReal)).isDirectory()) {
      fail('READ_ERROR', rootDisplay, `'${rootDisplay}' is not a directory (--dir names the directory that holds the sink files)`);
      return { files, diagnostics };
    }
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') fail('NO_FILES', rootDisplay, `directory '${rootDisplay}' does not exist`);
    else fail('READ_ERROR', rootDisplay, `cannot read directory '${rootDisplay}' (${errnoCode(e) ?? 'unknown error'})`);
    return { files, diagnostics };
  }

  const visitedDirs = new Set<string>([rootReal]);
  const seenFiles = new Set<string>();
  const addFile = (absolute: string, real: string): void => {
    // A link to a file that is also reached directly is the same file: read it once.
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push({ absolute, display: displayPath(cwd, absolute) });
  };

  const walk = async (current: string, currentReal: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (e) {
      const shown = displayPath(cwd, current);
      fail('READ_ERROR', shown, `cannot read directory '${shown}' (${errnoCode(e) ?? 'unknown error'})`);
      return;
    }
    entries.sort((a, b) => byCodePoint(a.name, b.name));
    for (const entry of entries) {
      // Dot-files and dot-directories (.git, editor swap files) are not sink declarations.
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      const shown = displayPath(cwd, full);
      const named = SINK_FILE.test(entry.name);
      let real = path.join(currentReal, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          real = await realpath(full);
          const st = await stat(real);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          if (named) fail('READ_ERROR', shown, 'broken symbolic link (its target does not exist)');
          continue;
        }
        if (!isInside(rootReal, real)) {
          if (named || isDir) {
            fail('SYMLINK_OUTSIDE', shown, `symbolic link points outside '${rootDisplay}'; sinkops only reads files inside it`);
          }
          continue;
        }
      }
      if (isDir) {
        if (visitedDirs.has(real)) continue;
        visitedDirs.add(real);
        await walk(full, real);
      } else if (named) {
        if (isFile) addFile(full, real);
        else fail('READ_ERROR', shown, 'not a regular file');
      }
    }
  };
  await walk(root, rootReal);
  files.sort((a, b) => byCodePoint(a.display, b.display));
  return { files, diagnostics };
}
