import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { lockFile } from '../../src/local/lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lockPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sinkops-lock-'));
  dirs.push(dir);
  return join(dir, 'local-account.json.lock');
}

function lockedBy(fn: () => unknown): SinkopsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SinkopsError && e.code === 'LOCKED') return e;
    throw e;
  }
  throw new Error('expected LOCKED');
}

describe('lockFile', () => {
  it('lets one holder in at a time, and names it to the next', () => {
    const path = lockPath();
    const first = lockFile(path, '.sinkops/local-account.json.lock');
    const e = lockedBy(() => lockFile(path, '.sinkops/local-account.json.lock'));
    expect(e.message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(e.details.join('\n')).toContain('delete .sinkops/local-account.json.lock');
    first.release();
    expect(existsSync(path)).toBe(false);
    lockFile(path, 'lock').release();
  });

  it('takes over the lock of a process on this host that is gone (kill -9 leaves it behind)', () => {
    const path = lockPath();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), since: '2026-01-01T00:00:00Z' }));
    const lock = lockFile(path, 'lock');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('never takes a lock held on another host, or one it cannot read', () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'another-host', since: 'x' }));
    expect(lockedBy(() => lockFile(path, 'lock')).message).toContain('on another-host');
    writeFileSync(path, 'half-written');
    lockedBy(() => lockFile(path, 'lock'));
  });

  it('releases only its own lock', () => {
    const path = lockPath();
    const lock = lockFile(path, 'lock');
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'another-host', since: 'x' }));
    lock.release();
    expect(existsSync(path)).toBe(true);
  });
});
