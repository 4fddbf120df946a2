/**
 * The committed action bundle (action/dist/main.mjs, what action.yml runs) is the bundle of the
 * current source: built again here into a temporary folder, it must be the same bytes. Any change
 * to src/, action/, the schemas or the locked dependencies needs `npm run bundle` and a commit of
 * the result, or GitHub would run old code under the new tag.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../e2e/helpers/index.js';

const exec = promisify(execFile);
const COMMITTED = join(REPO_ROOT, 'action', 'dist', 'main.mjs');

let dir: string;
let built: Buffer;

beforeAll(async () => {
  dir = await tempDir('sinkops-bundle-');
  await exec(process.execPath, [join(REPO_ROOT, 'scripts', 'bundle.mjs'), 'action', '--outfile', join(dir, 'main.mjs')], { cwd: dir });
  built = await readFile(join(dir, 'main.mjs'));
}, 60_000);

describe('the action bundle', () => {
  it('is committed as the bundle of the current source', async () => {
    const committed = await readFile(COMMITTED).catch(() => undefined);
    if (committed === undefined) expect.fail('action/dist/main.mjs is missing: run npm run bundle and commit the result');
    if (!committed.equals(built)) {
      const at = committed.findIndex((byte, i) => byte !== built[i]);
      const line = committed.subarray(0, at < 0 ? committed.length : at).toString('utf8').split('\n').length;
      expect.fail(
        `action/dist/main.mjs is not the bundle of the current source (first difference at line ${line}; ` +
          `${committed.length} bytes committed, ${built.length} built): run npm run bundle and commit the result`,
      );
    }
  });

  it('holds no path of the machine that built it', () => {
    const text = built.toString('utf8');
    for (const path of [REPO_ROOT.replace(/\/$/, ''), dir]) expect(text.includes(path), path).toBe(false);
  });
});
