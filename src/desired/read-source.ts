/**
 * Reads one sink file defensively, through the reader every user-named file goes through
 * (src/files.ts): size is checked before reading (a 50 MB file is refused without being read), a
 * FIFO or device is refused without blocking, and binary or non-UTF-8 content is refused with the
 * place it starts. Problems become diagnostics, so that validate reports them beside all the others.
 */
import { formatBytes, tryReadTextFile, type FileProblem } from '../files.js';
import type { Diagnostic } from './model.js';
import type { SourceFile } from './discover.js';

/**
 * A sink is a few hundred bytes, so 256 KiB holds a thousand of them in one file. Anything larger
 * is a mistake or an attack, and the YAML parser needs about a second per 256 KiB of
 * pathological input (thousands of errors), so the limit also bounds the time spent on it.
 */
export const MAX_FILE_BYTES = 256 * 1024;

export type ReadOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

/**
 * A file that could not be read as a located diagnostic. `limitPhrase` finishes "the limit is
 * 256 KiB …": `per sink file` for sink files, `for sinkops.yaml` for that one.
 */
export function fileProblemDiagnostic(problem: FileProblem, file: string, limitPhrase = 'per sink file'): Diagnostic {
  const at = (code: Diagnostic['code'], message: string, line = 1, column = 1): Diagnostic => ({ severity: 'error', code, file, line, column, message });
  switch (problem.kind) {
    case 'unreadable':
      return at('READ_ERROR', `cannot read file (${problem.errno})`);
    case 'not-a-file':
      return at('READ_ERROR', 'not a regular file');
    case 'too-large':
      return at('FILE_TOO_LARGE', `file is ${formatBytes(problem.size)}; the limit is ${formatBytes(problem.maxBytes)} ${limitPhrase}`);
    case 'changed':
      return at('READ_ERROR', 'file changed while it was being read; try again');
    case 'binary':
      return at('BINARY_FILE', 'file contains a NUL byte: it is binary, not YAML text', problem.line, problem.column);
    case 'not-utf8':
      return at('NOT_UTF8', `file is not valid UTF-8 (byte 0x${problem.byte.toString(16).padStart(2, '0')}); save it as UTF-8`, problem.line, problem.column);
  }
}

/** Synchronous, like the reader under it; the caller yields to the event loop between batches. */
export function readSource(file: SourceFile, maxBytes: number = MAX_FILE_BYTES): ReadOutcome {
  const read = tryReadTextFile(file.absolute, maxBytes);
  return read.ok ? read : { ok: false, diagnostic: fileProblemDiagnostic(read.problem, file.display) };
}
