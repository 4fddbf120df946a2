/**
 * The local account's lock: one sinkops process at a time uses `.sinkops/local-account.json`. Each
 * process loads the whole state when it starts and writes it back as it goes, so two at once would
 * lose each other's changes (the last writer wins). The lock file is created exclusively and names
 * its holder; a lock whose process is gone (killed, crashed) on this host is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { SinkopsError } from '../errors.js';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Whether a process with this id runs on this host. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof data.pid === 'number' && typeof data.host === 'string' ? { pid: data.pid, host: data.host, since: String(data.since ?? '') } : undefined;
  } catch {
    return undefined; // being written, or not ours: treated as held
  }
}

export interface FileLock {
  release(): void;
}

/** Takes the lock at `path`, or throws LOCKED naming the process that holds it. */
export function lockFile(path: string, displayPath: string): FileLock {
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          if (readHolder(path)?.pid === me.pid) unlinkSync(path);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(path);
    if (holder !== undefined && holder.host === me.host && !isRunning(holder.pid)) {
      unlinkSync(path); // its process is gone: take the lock over
      continue;
    }
    throw new SinkopsError('LOCKED', `the local account is in use by another sinkops (${holder === undefined ? 'unknown process' : `pid ${holder.pid} on ${holder.host} since ${holder.since}`}); nothing was done`, {
      details: [`Wait for it to finish. If no sinkops is running, delete ${displayPath}.`],
    });
  }
  throw new SinkopsError('LOCKED', `the local account's lock ${displayPath} could not be taken; nothing was done`);
}
