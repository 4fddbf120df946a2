/** Test helpers for the desired-state and validate tests: buffer streams and temp directories. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach } from 'vitest';
import type { Io } from '../../src/io.js';

export interface BufferIo extends Io {
  out(): string;
  err(): string;
}

export function bufferIo(cwd: string, env: Record<string, string | undefined> = {}): BufferIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => void (out += s) },
    stderr: { write: (s: string) => void (err += s) },
    stdin: Readable.from([]),
    env,
    cwd,
    out: () => out,
    err: () => err,
  };
}

/** A fresh temporary directory holding `files` (path → content); returns its path. */
export async function tempTree(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'sinkops-desired-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return root;
}

export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export const WEBHOOK = (name: string, extra = ''): string =>
  `name: ${name}\ndescription: The ${name} sink\nsink_type: webhook\nsink_configuration:\n  destination: https://example.org/${name}\n${extra}`;

/**
 * `tree(files)` for a test file: each call makes a temporary tree (see tempTree), removed after the
 * test that made it.
 */
export function tempTrees(): (files: Record<string, string>) => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map(removeTree));
  });
  return async (files) => {
    const dir = await tempTree(files);
    made.push(dir);
    return dir;
  };
}
