/**
 * Hostile or accidental bad input: every case is a located Diagnostic, never a crash, and big
 * inputs are refused without being read. Big and binary files are generated here, not committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { loadDesired } from '../../src/desired/load.js';
import { readSource } from '../../src/desired/read-source.js';
import { firstInvalidUtf8 } from '../../src/files.js';
import { bufferIo, removeTree, tempTree, WEBHOOK } from './helpers.js';

const made: string[] = [];
async function tree(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = await tempTree(files);
  made.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(made.splice(0).map(removeTree));
});

function located(state: Awaited<ReturnType<typeof loadDesired>>): string[] {
  return state.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`);
}

describe('hostile input', () => {
  it('refuses a 50 MB file quickly, from its size alone', async () => {
    const cwd = await tree({ 'sinks/ok.yaml': WEBHOOK('ok') });
    // A sparse file: 50 MB long without writing 50 MB; reading it all would still take time.
    const handle = await open(path.join(cwd, 'sinks/huge.yaml'), 'w');
    await handle.truncate(50 * 1024 * 1024);
    await handle.close();
    const started = performance.now();
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(state.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'FILE_TOO_LARGE',
        file: 'sinks/huge.yaml',
        line: 1,
        column: 1,
        message: 'file is 50 MiB; the limit is 256 KiB per sink file',
      },
    ]);
    expect(state.sinks.map((s) => s.name)).toEqual(['ok']);
  });

  it('accepts a file just under the limit and refuses one just over it', async () => {
    const body = WEBHOOK('pad');
    const cwd = await tree({
      'sinks/a.yaml': body + '#'.repeat(1000 - body.length),
      'sinks/b.yaml': body + '#'.repeat(1001 - body.length),
    });
    const state = await loadDesired('sinks', { cwd, env: {}, maxFileBytes: 1000 });
    expect(located(state)).toEqual(['sinks/b.yaml:1:1 error FILE_TOO_LARGE']);
  });

  it('stops a billion-laughs alias bomb', async () => {
    const levels = ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`l${i}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const cwd = await tree({ 'sinks/bomb.yaml': `name: bomb\n${levels.join('\n')}\n` });
    const started = performance.now();
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(state.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'ALIAS_LIMIT',
        file: 'sinks/bomb.yaml',
        line: 3,
        column: 9, // the first alias, *a in `l1: &b [*a,…`
        message: 'YAML aliases expand to too many nodes (more than 100); write the values out instead of using anchors',
      },
    ]);
  });

  it('refuses binary content, located at the first NUL byte', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const cwd = await tree({
      'sinks/image.yaml': png,
      'sinks/nul.yaml': Buffer.concat([Buffer.from('name: a\ndesc\u00e9: '), Buffer.from([0]), Buffer.from('x\n')]),
    });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(located(state)).toEqual(['sinks/image.yaml:3:1 error BINARY_FILE', 'sinks/nul.yaml:2:8 error BINARY_FILE']);
  });

  it('refuses bytes that are not UTF-8, located at the first bad byte', async () => {
    const latin1 = Buffer.from('name: caf\xe9\ndescription: x\n', 'latin1');
    const cwd = await tree({ 'sinks/latin1.yaml': latin1, 'sinks/utf16.yaml': Buffer.from('\ufeffname: a\n', 'utf16le') });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => [d.file, d.line, d.column, d.code, d.message])).toEqual([
      ['sinks/latin1.yaml', 1, 10, 'NOT_UTF8', 'file is not valid UTF-8 (byte 0xe9); save it as UTF-8'],
      // UTF-16 text has NUL bytes: reported as binary (the first is the 4th byte).
      ['sinks/utf16.yaml', 1, 4, 'BINARY_FILE', 'file contains a NUL byte: it is binary, not YAML text'],
    ]);
  });

  it('accepts a UTF-8 byte order mark and multi-byte text', async () => {
    const cwd = await tree({ 'sinks/bom.yaml': '\ufeff' + WEBHOOK('bom').replace('The bom sink', 'Café ✓ 🚀') });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks[0]?.description).toBe('Café ✓ 🚀');
  });

  it('refuses symbolic links that leave --dir, and follows the ones inside it once', async () => {
    const cwd = await tree({
      'secret/passwd.yaml': 'name: leaked\n',
      'secret/dir/x.yaml': WEBHOOK('outside'),
      'sinks/real/a.yaml': WEBHOOK('a'),
    });
    const sinks = path.join(cwd, 'sinks');
    await symlink(path.join(cwd, 'secret/passwd.yaml'), path.join(sinks, 'escape.yaml'));
    await symlink('../secret/dir', path.join(sinks, 'escape-dir'));
    await symlink('/etc/hostname', path.join(sinks, 'README')); // not a sink file name: ignored
    await symlink('real/a.yaml', path.join(sinks, 'alias.yaml')); // the same file twice: read once
    await symlink('real', path.join(sinks, 'zz-linked-dir')); // the same directory twice: walked once
    await symlink('..', path.join(sinks, 'real/loop')); // a loop back to the root
    await symlink('missing.yaml', path.join(sinks, 'dangling.yaml'));
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => [d.file, d.line, d.column, d.code, d.message])).toEqual([
      ['sinks/dangling.yaml', 1, 1, 'READ_ERROR', 'broken symbolic link (its target does not exist)'],
      ['sinks/escape-dir', 1, 1, 'SYMLINK_OUTSIDE', "symbolic link points outside 'sinks'; sinkops only reads files inside it"],
      ['sinks/escape.yaml', 1, 1, 'SYMLINK_OUTSIDE', "symbolic link points outside 'sinks'; sinkops only reads files inside it"],
    ]);
    expect(state.files).toEqual(['sinks/alias.yaml']);
    expect(state.sinks.map((s) => s.name)).toEqual(['a']);
  });

  it('accepts a --dir that is itself a symbolic link', async () => {
    const cwd = await tree({ 'real-sinks/a.yaml': WEBHOOK('a') });
    await symlink('real-sinks', path.join(cwd, 'sinks'));
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics).toEqual([]);
    expect(state.files).toEqual(['sinks/a.yaml']);
  });

  it('refuses a FIFO named like a sink file without blocking on it', async () => {
    const cwd = await tree({ 'sinks/a.yaml': WEBHOOK('a') });
    execFileSync('mkfifo', [path.join(cwd, 'sinks/pipe.yaml')]);
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(located(state)).toEqual(['sinks/pipe.yaml:1:1 error READ_ERROR']);
  });

  it('reports a missing directory, or a file given as --dir', async () => {
    const cwd = await tree({ 'file.yaml': WEBHOOK('a') });
    const missing = await loadDesired('nope', { cwd, env: {} });
    expect(missing.diagnostics).toEqual([
      { severity: 'error', code: 'NO_FILES', file: 'nope', line: 1, column: 1, message: "directory 'nope' does not exist" },
    ]);
    const notDir = await loadDesired('file.yaml', { cwd, env: {} });
    expect(notDir.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['READ_ERROR', "'file.yaml' is not a directory (--dir names the directory that holds the sink files)"],
    ]);
    const io = bufferIo(cwd);
    expect(await run(['validate', '--dir', 'nope'], io)).toBe(1);
    expect(io.out()).toBe("nope:1:1: error: directory 'nope' does not exist\n1 error, 0 warnings in 1 file\n");
  });

  it('reports absurdly deep nesting as a YAML error', async () => {
    const cwd = await tree({ 'sinks/deep.yaml': `name: ${'['.repeat(20000)}${']'.repeat(20000)}\n` });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => [d.code, d.line])).toContainEqual(['YAML_SYNTAX', 1]);
    expect(state.diagnostics.every((d) => d.code === 'YAML_SYNTAX')).toBe(true);
  });

  it('treats __proto__ and other odd keys as unknown keys, without touching prototypes', async () => {
    const cwd = await tree({ 'sinks/a.yaml': `${WEBHOOK('a')}__proto__: {polluted: true}\n"a\\nb": 1\n` });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [6, 1, "unknown key '__proto__'"],
      [7, 1, "unknown key 'a\\nb'"],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reads hundreds of files across directories (more than one batch between yields)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`sinks/g${i % 7}/s${i}.yaml`] = WEBHOOK(`s${i}`);
    const cwd = await tree(files);
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks).toHaveLength(300);
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0xc3, 0xa9], -1], // é
    [[0xf0, 0x9f, 0x9a, 0x80], -1], // 🚀
    [[0x61, 0xc0, 0xaf], 1], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0x62, 0xe2, 0x82], 2], // truncated
    [[0x80], 0], // lone continuation byte
  ])('%j → %i', (bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected);
  });
});

describe('symlinks created during the walk', () => {
  it('does not follow a link created in a nested directory to outside', async () => {
    const cwd = await tree({ 'outside/x.yaml': WEBHOOK('x') });
    await mkdir(path.join(cwd, 'sinks/deep/er'), { recursive: true });
    await writeFile(path.join(cwd, 'sinks/deep/ok.yaml'), WEBHOOK('ok'));
    await symlink(path.join(cwd, 'outside/x.yaml'), path.join(cwd, 'sinks/deep/er/x.yaml'));
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(located(state)).toEqual(['sinks/deep/er/x.yaml:1:1 error SYMLINK_OUTSIDE']);
  });
});

describe('pathological YAML', () => {
  /** Each of these used to exhaust the parser's stack (which can abort node) or take minutes. */
  const cases: Record<string, string> = {
    'deep flow sequences': '['.repeat(200_000),
    'deep flow mappings': 'a: ' + '{a: '.repeat(60_000),
    'deep compact sequences': '- '.repeat(100_000) + 'x',
    'deep block mappings': Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
    'closers hidden in quotes': '[ "]" '.repeat(40_000),
    'closers hidden in single quotes': "[ ']''' ".repeat(30_000),
  };

  it.each(Object.entries(cases))('%s: one located error, quickly', async (_name, text) => {
    const cwd = await tree({ 'sinks/deep.yaml': text });
    const started = performance.now();
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(state.diagnostics).toHaveLength(1);
    expect(state.diagnostics[0]).toMatchObject({ code: 'YAML_SYNTAX', message: 'invalid YAML: nested more than 50 levels deep' });
  });

  it('survives all of them in one process, one after another', async () => {
    const cwd = await tree(Object.fromEntries(Object.values(cases).map((text, i) => [`sinks/${i}.yaml`, text])));
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => d.code)).toEqual(Object.keys(cases).map(() => 'YAML_SYNTAX'));
  });

  it('checks 10,000 keys for duplicates in linear time and caps the messages', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}: v`).join('\n');
    const cwd = await tree({ 'sinks/wide.yaml': `${WEBHOOK('wide')}${keys}\nk7: again\n` });
    const started = performance.now();
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(performance.now() - started).toBeLessThan(4000); // quadratic checking took minutes
    expect(state.diagnostics.map(({ line, column, message }) => [line, column, message])).toEqual([
      [10_006, 1, "invalid YAML: key 'k7' appears twice in the same mapping (first on line 13)"],
    ]);
    await writeFile(path.join(cwd, 'sinks/wide.yaml'), `${WEBHOOK('wide')}${keys}\n`);
    const unknown = await loadDesired('sinks', { cwd, env: {} });
    expect(unknown.diagnostics).toHaveLength(21);
    expect(unknown.diagnostics[0]).toMatchObject({ line: 1, column: 1, message: '9980 more problems in this document not shown' });
    expect(unknown.diagnostics[1]).toMatchObject({ line: 6, column: 1, message: "unknown key 'k0'" });
  });

  it('caps the errors of a document full of mistakes', async () => {
    const cwd = await tree({ 'sinks/tags.yaml': '&a '.repeat(5000) + 'x\n' });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics).toHaveLength(11);
    expect(state.diagnostics.at(-1)?.message).toMatch(/^invalid YAML: \d+ more errors in this document$/);
  });
});

describe('readSource', () => {
  it('refuses a FIFO without blocking, even one that appeared after discovery', async () => {
    const cwd = await tree();
    const absolute = path.join(cwd, 'late.yaml');
    execFileSync('mkfifo', [absolute]);
    expect(readSource({ absolute, display: 'late.yaml' })).toEqual({
      ok: false,
      diagnostic: { severity: 'error', code: 'READ_ERROR', file: 'late.yaml', line: 1, column: 1, message: 'not a regular file' },
    });
  });

  it('reports a file that vanished as a read error', () => {
    expect(readSource({ absolute: '/nonexistent/sinkops/x.yaml', display: 'x.yaml' })).toMatchObject({
      ok: false,
      diagnostic: { code: 'READ_ERROR', message: 'cannot read file (ENOENT)' },
    });
  });
});
