import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { onCleanup } from './cleanup.js';

/** A fresh temp directory, removed after the file's last test. */
export async function tempDir(prefix = 'sinkops-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes a temp repository: `files` maps paths relative to its root (`sinks/orders.yaml`) to
 * content (a string, or a sink object that is turned into YAML). Returns the root, to use as cwd.
 */
export async function writeRepo(files: Readonly<Record<string, string | SinkDoc | readonly SinkDoc[]>>): Promise<string> {
  const root = await tempDir();
  await writeFiles(root, files);
  return root;
}

/** Adds or overwrites files in an existing repo (same forms as `writeRepo`). */
export async function writeFiles(root: string, files: Readonly<Record<string, string | SinkDoc | readonly SinkDoc[]>>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, typeof content === 'string' ? content : sinkYaml(content), 'utf8');
  }
}

/** Copies a folder (for example the project's own `sinks/`) into a fresh temp repo. */
export async function copyIntoRepo(from: string, to = 'sinks'): Promise<string> {
  const root = await tempDir();
  await cp(from, join(root, to), { recursive: true });
  return root;
}

/** One sink as written in `sinks/*.yaml` (SPEC §2). */
export interface SinkDoc {
  readonly name: string;
  readonly description: string;
  readonly sink_type: string;
  readonly sink_configuration: Readonly<Record<string, unknown>>;
  readonly sid?: string;
}

/** YAML for one sink, or several as a multi-document file (`---` between them). */
export function sinkYaml(docs: SinkDoc | readonly SinkDoc[]): string {
  const list: readonly SinkDoc[] = Array.isArray(docs) ? docs : [docs as SinkDoc];
  return list.map((d) => stringify(d)).join('---\n');
}
