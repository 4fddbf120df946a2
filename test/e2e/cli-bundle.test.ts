/**
 * The CLI bundle (dist/cli-bundle/, what bin/sinkops.js runs; scripts/bundle.mjs): built twice here
 * into temporary folders, it must be the same bytes both times (the build is reproducible), hold no
 * path of the machine that built it, have a chunk of its own for each command (so that a command
 * loads only what it needs: SPEC §10 "Start-up"), and leave pino outside, required from
 * node_modules when a line is logged. bin-smoke.test.ts runs the built one.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/index.js';

const exec = promisify(execFile);
const COMMANDS = ['validate', 'plan', 'apply', 'activate', 'import', 'emulator', 'github', 'init'];

let dirs: string[];
let builds: Map<string, Buffer>[];

async function files(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name))] as const)));
}

beforeAll(async () => {
  dirs = [await tempDir('sinkops-cli-bundle-'), await tempDir('sinkops-cli-bundle-')];
  for (const dir of dirs) {
    await exec(process.execPath, [join(REPO_ROOT, 'scripts', 'bundle.mjs'), 'cli', '--outdir', join(dir, 'out')], { cwd: dir });
  }
  builds = await Promise.all(dirs.map((dir) => files(join(dir, 'out'))));
}, 120_000);

describe('the CLI bundle', () => {
  it('is the same bytes each time it is built', () => {
    const [a, b] = builds as [Map<string, Buffer>, Map<string, Buffer>];
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name) ?? Buffer.alloc(0)), name).toBe(true);
  });

  it('is an entry and CommonJS chunks, one for each command', () => {
    const names = [...(builds[0] ?? new Map()).keys()];
    expect(names).toContain('main.cjs');
    expect(names.every((n) => n.endsWith('.cjs'))).toBe(true);
    for (const command of COMMANDS) expect(names.filter((n) => n.startsWith(`${command}-`)), command).toHaveLength(1);
  });

  it('holds no path of the machine that built it, and leaves pino out', () => {
    const texts = [...(builds[0] ?? new Map<string, Buffer>())].map(([name, bytes]) => [name, bytes.toString('utf8')] as const);
    for (const [name, text] of texts) {
      for (const path of [REPO_ROOT.replace(/\/$/, ''), ...dirs]) expect(text.includes(path), `${name} holds ${path}`).toBe(false);
      // pino's own dependencies, which a bundled pino would bring along.
      expect(text, name).not.toMatch(/sonic-boom|thread-stream|fast-redact|SonicBoom/);
    }
    // `require("pino")`, or esbuild's `(0, __require)("pino")`.
    const requiring = (id: string) => texts.filter(([, text]) => new RegExp(`require\\)?\\("${id}"\\)`).test(text)).map(([name]) => name);
    expect(requiring('pino').length).toBeGreaterThan(0);
    expect(requiring('pino-pretty').length).toBeGreaterThan(0);
  });
});
