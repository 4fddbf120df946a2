/**
 * Reads a local text file that a user named (a sink file, a saved plan, a seed, a state file, a
 * comment) without trusting what the path points to: a FIFO, a device such as /dev/zero, a
 * directory, a huge file, a binary or a non-UTF-8 file is refused with what is wrong, and nothing
 * ever blocks or reads more than the limit.
 *
 * - The path is opened once, non-blocking (opening a FIFO for reading would otherwise wait for a
 *   writer), and the open handle is checked with fstat: a second stat of the path could be raced by
 *   a swap between the check and the read.
 * - Only a regular file is read, and only when its size is within the limit; at most limit + 1
 *   bytes are read, so a file that grows meanwhile is caught without reading it all.
 *
 * Synchronous on purpose: these files are local and bounded, and for 10,000 sink files blocking
 * open/fstat/read/close take about 0.1 s where the promise-based calls take 0.4 s (each one a
 * round trip through libuv's thread pool).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { SinkopsError, type ErrorCode } from './errors.js';

/** What was wrong with a file; `readTextFile` turns it into a message, `validate` into a diagnostic. */
export type FileProblem =
  /** open, fstat or read failed; `errno` is the system's code (ENOENT, EACCES, …). */
  | { readonly kind: 'unreadable'; readonly errno: string }
  /** Not a regular file: `type` says what it is (a FIFO, a character device, a directory, …). */
  | { readonly kind: 'not-a-file'; readonly type: string }
  | { readonly kind: 'too-large'; readonly size: number; readonly maxBytes: number }
  /** It grew while it was being read. */
  | { readonly kind: 'changed' }
  /** A NUL byte, at this 1-based line and column. */
  | { readonly kind: 'binary'; readonly line: number; readonly column: number }
  /** The first byte that is not well-formed UTF-8, and where it is. */
  | { readonly kind: 'not-utf8'; readonly byte: number; readonly line: number; readonly column: number };

export type TextFileRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: FileProblem };

/** `1.5 MiB`, `256 KiB`, `12 bytes`. */
export function formatBytes(n: number): string {
  const one = (x: number): string => x.toFixed(1).replace(/\.0$/, '');
  if (n >= 1024 * 1024) return `${one(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${one(n / 1024)} KiB`;
  return `${n} bytes`;
}

/** Offset of the first byte that is not well-formed UTF-8 (RFC 3629), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // overlong
      if (c === 0xed) hi = 0x9f; // UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90; // overlong
      if (c === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in UTF-16 units, as editors and the YAML parser count) of a byte offset. */
function bytePosition(b: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = new TextDecoder('utf-8').decode(b.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

function fileType(stat: Stats): string {
  if (stat.isDirectory()) return 'directory';
  if (stat.isFIFO()) return 'FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  if (stat.isSocket()) return 'socket';
  return 'special file';
}

function errnoOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'unknown error';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

// O_NONBLOCK: a FIFO opens at once instead of waiting for a writer. O_NOCTTY: a terminal named as
// a file must not become this process's controlling terminal. (Both are 0 where they do not exist.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** The bytes of a regular file of at most `maxBytes`, or what is wrong with it. */
function readBytes(path: string, maxBytes: number): { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly problem: FileProblem } {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    return { ok: false, problem: { kind: 'unreadable', errno: errnoOf(e) } };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, problem: { kind: 'not-a-file', type: fileType(stat) } };
    if (stat.size > maxBytes) return { ok: false, problem: { kind: 'too-large', size: stat.size, maxBytes } };
    // One byte more than stat reported: getting it means the file grew meanwhile.
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    if (length === buffer.length) return { ok: false, problem: { kind: 'changed' } };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (e) {
    return { ok: false, problem: { kind: 'unreadable', errno: errnoOf(e) } };
  } finally {
    closeSync(fd);
  }
}

/** Reads `path` as UTF-8 text under the rules above; never throws. */
export function tryReadTextFile(path: string, maxBytes: number): TextFileRead {
  const read = readBytes(path, maxBytes);
  if (!read.ok) return read;
  const bytes = read.bytes;
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, problem: { kind: 'binary', ...bytePosition(bytes, nul) } };
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    return { ok: false, problem: { kind: 'not-utf8', byte: bytes[bad] ?? 0, ...bytePosition(bytes, bad) } };
  }
}

export interface ReadTextFileOptions {
  /** What the file is, as a noun phrase for messages: `a saved plan`, `the --seed file`. */
  readonly what: string;
  readonly maxBytes: number;
  /** The error code of every problem except a file that does not exist (NOT_FOUND). */
  readonly code: ErrorCode;
  /** The path as the user typed it (default: `path`). */
  readonly display?: string;
  /** Extra lines for the error, for example how to start again. */
  readonly details?: readonly string[];
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENXIO: 'it is a socket or a device with nothing behind it',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

/** The error for `problem`, naming the file as `display`: `Cannot read plan.json: it is a FIFO …`. */
export function fileProblemError(display: string, problem: FileProblem, options: Omit<ReadTextFileOptions, 'display'>): SinkopsError {
  const { what } = options;
  let reason: string;
  switch (problem.kind) {
    case 'unreadable': {
      const text = ERRNO_TEXT[problem.errno];
      reason = `${problem.errno}${text === undefined ? '' : ` (${text})`}`;
      break;
    }
    case 'not-a-file':
      reason = `it is a ${problem.type}, not a regular file; ${what} must be a regular file`;
      break;
    case 'too-large':
      reason = `it is ${formatBytes(problem.size)}, over the limit of ${formatBytes(problem.maxBytes)} for ${what}; it was not read`;
      break;
    case 'changed':
      reason = 'it changed while it was being read; try again';
      break;
    case 'binary':
      reason = `it contains a NUL byte (line ${problem.line}, column ${problem.column}): ${what} is text, not binary`;
      break;
    case 'not-utf8':
      reason = `it is not valid UTF-8 (byte 0x${problem.byte.toString(16).padStart(2, '0')} at line ${problem.line}, column ${problem.column}); save it as UTF-8`;
      break;
  }
  const code = problem.kind === 'unreadable' && problem.errno === 'ENOENT' ? 'NOT_FOUND' : options.code;
  return new SinkopsError(code, `Cannot read ${display}: ${reason}`, { details: options.details ?? [] });
}

/**
 * The text of `path`, or a SinkopsError that names the file (as `options.display`) and what was
 * wrong with it: missing (NOT_FOUND), unreadable, not a regular file, over `maxBytes`, binary, or
 * not UTF-8 (`options.code`).
 */
export function readTextFile(path: string, options: ReadTextFileOptions): string {
  const read = tryReadTextFile(path, options.maxBytes);
  if (read.ok) return read.text;
  throw fileProblemError(options.display ?? path, read.problem, options);
}
