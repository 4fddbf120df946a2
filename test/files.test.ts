/**
 * src/files.ts, the reader every user-named file goes through. The paths that use it are tested
 * from the command line in test/cli/hostile-paths.test.ts and test/desired/hostile-input.test.ts;
 * this file holds what is easier to see on the function itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes, readTextFile, tryReadTextFile } from '../src/files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sinkops-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const OPTIONS = { what: 'a test file', maxBytes: 16, code: 'CONFIG' } as const;

describe('readTextFile', () => {
  it('returns the text of a regular UTF-8 file within the limit, the limit included', async () => {
    const path = join(dir, 'ok.txt');
    await writeFile(path, 'héllo, wörld 123');
    expect(Buffer.byteLength('héllo, wörld 123')).toBe(18);
    expect(readTextFile(path, { ...OPTIONS, maxBytes: 18 })).toBe('héllo, wörld 123');
    expect(() => readTextFile(path, { ...OPTIONS, maxBytes: 17 })).toThrow('it is 18 bytes, over the limit of 17 bytes for a test file');
  });

  it('a missing file is NOT_FOUND; every other problem has the code it is given, and the path as displayed', async () => {
    expect(() => readTextFile(join(dir, 'missing'), { ...OPTIONS, display: 'missing' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'Cannot read missing: ENOENT (no such file)' }),
    );
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readTextFile(fifo, { ...OPTIONS, display: 'the-fifo', details: ['How to fix it.'] })).toThrow(
      expect.objectContaining({
        code: 'CONFIG',
        message: 'Cannot read the-fifo: it is a FIFO (named pipe), not a regular file; a test file must be a regular file',
        details: ['How to fix it.'],
      }),
    );
  });

  it('reports where binary and non-UTF-8 content starts', async () => {
    const path = join(dir, 'mixed.txt');
    await writeFile(path, Buffer.concat([Buffer.from('ab\ncé'), Buffer.from([0xc3, 0x28])]));
    expect(tryReadTextFile(path, 1024)).toEqual({ ok: false, problem: { kind: 'not-utf8', byte: 0xc3, line: 2, column: 3 } });
    await writeFile(path, Buffer.from('ab\n\0'));
    expect(tryReadTextFile(path, 1024)).toEqual({ ok: false, problem: { kind: 'binary', line: 2, column: 1 } });
  });

  it('formats sizes the way messages show them', () => {
    expect([formatBytes(12), formatBytes(256 * 1024), formatBytes(1.5 * 1024 * 1024)]).toEqual(['12 bytes', '256 KiB', '1.5 MiB']);
  });
});
