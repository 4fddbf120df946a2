/**
 * Reads one sink file defensively: size is checked before reading (a 50 MB file is refused
 * without being read), and binary or non-UTF-8 content is refused with the place it starts.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Diagnostic } from './model.js';
import type { SourceFile } from './discover.js';

/**
 * A sink is a few hundred bytes, so 256 KiB holds a thousand of them in one file. Anything larger
 * is a mistake or an attack, and the YAML parser needs about a second per 256 KiB of
 * pathological input (thousands of errors), so the limit also bounds the time spent on it.
 */
export const MAX_FILE_BYTES = 256 * 1024;

export type ReadOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

function formatBytes(n: number): string {
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

/** 1-based line and column (in UTF-16 units, as the YAML parser counts) of a byte offset. */
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

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Synchronous on purpose: sink files are small and local, and for 10,000 of them blocking
 * open/fstat/read/close take about 0.1 s where the promise-based calls take 0.4 s (each one a
 * round trip through libuv's thread pool). The caller yields to the event loop between batches.
 */
export function readSource(file: SourceFile, maxBytes: number = MAX_FILE_BYTES): ReadOutcome {
  const refuse = (code: Diagnostic['code'], message: string, line = 1, column = 1): ReadOutcome => ({
    ok: false,
    diagnostic: { severity: 'error', code, file: file.display, line, column, message },
  });
  let bytes: Buffer;
  try {
    // Non-blocking, so that a FIFO swapped in after discovery cannot hang the read.
    const fd = openSync(file.absolute, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return refuse('READ_ERROR', 'not a regular file');
      const size = stat.size;
      if (size > maxBytes) {
        return refuse('FILE_TOO_LARGE', `file is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)} per sink file`);
      }
      // Ask for one byte more than stat reported: getting it means the file grew meanwhile.
      // (A regular file reads short only at its end, so one read is enough.)
      const buffer = Buffer.allocUnsafe(size + 1);
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      if (length === buffer.length) return refuse('READ_ERROR', 'file changed while it was being read; try again');
      bytes = buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'unknown error';
    return refuse('READ_ERROR', `cannot read file (${code})`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const at = bytePosition(bytes, nul);
    return refuse('BINARY_FILE', 'file contains a NUL byte: it is binary, not YAML text', at.line, at.column);
  }
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    const at = bytePosition(bytes, bad);
    return refuse('NOT_UTF8', `file is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}); save it as UTF-8`, at.line, at.column);
  }
}
