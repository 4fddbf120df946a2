/**
 * The package as a user gets it: `npm pack`, the tarball installed into a fresh folder, then the
 * library imported by its name (package.json `exports`), its types checked by tsc against a user's
 * file, and its `bin` run. Nothing is fetched: the package's dependencies are linked from this
 * checkout's node_modules, as an install would have placed them.
 *
 * It packs the built dist/ (`npm test` builds first) without running `prepack`, so it never
 * rebuilds dist/ under the feet of other test files.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './e2e/helpers/index.js';

const exec = promisify(execFile);
const TIMEOUT = 120_000;

interface PackageJson {
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

let home: string;
let installed: string;
let pkg: PackageJson;

beforeAll(async () => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).');
  pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  home = await tempDir('sinkops-pack-');
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', home], { cwd: REPO_ROOT });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  installed = join(home, 'node_modules', 'sinkops');
  await mkdir(installed, { recursive: true });
  await exec('tar', ['-xzf', join(home, filename), '-C', installed, '--strip-components=1']);
  // What `npm install` would add beside it: the runtime dependencies, and @types/node for a TS user.
  for (const dep of [...Object.keys(pkg.dependencies), '@types/node']) {
    await mkdir(join(home, 'node_modules', dep, '..'), { recursive: true });
    await symlink(join(REPO_ROOT, 'node_modules', dep), join(home, 'node_modules', dep), 'dir');
  }
}, TIMEOUT);

describe('the packed package', () => {
  it('ships the built library, the bin and the schemas, and nothing from the source tree', async () => {
    const { stdout } = await exec('tar', ['-tzf', join(home, `sinkops-${pkg.version}.tgz`)]);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts', 'package/bin/sinkops.js', 'package/schemas/sink.schema.json', 'package/schemas/plan.schema.json']));
    expect(files.filter((f) => /^package\/(src|test|sinks|bench)\//.test(f))).toEqual([]);
  });

  it(
    'imports by name and runs the pipeline: emulator, client, plan, render',
    async () => {
      const script = `
        import * as sinkops from 'sinkops';
        const emulator = await sinkops.startEmulator({ host: '127.0.0.1', port: 0 });
        const client = new sinkops.TwilioClient({
          baseUrl: emulator.url, username: emulator.accountSid, password: emulator.authToken, accountSid: emulator.accountSid,
          timeoutMs: 10000, maxRetries: 0, pageSize: 1000,
        });
        const desired = { sinks: [{
          name: 'orders', description: 'Orders', sinkType: 'webhook',
          sinkConfiguration: { destination: { value: 'https://example.org/in', sensitive: false, envRefs: [] } },
          subscriptions: [],
          source: { file: 'sinks/orders.yaml', line: 1, column: 1 },
        }], diagnostics: [], files: [] };
        const { plan } = await sinkops.computePlan(desired, client, { prune: true });
        console.log(sinkops.renderPlan(plan, 'text', { color: false, verbose: false }));
        await client.close();
        await emulator.close();
      `;
      const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: home });
      expect(stdout).toContain('Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.');
    },
    TIMEOUT,
  );

  it(
    'gives a TypeScript user the types of the library surface',
    async () => {
      await writeFile(
        join(home, 'consumer.ts'),
        `import { plan, renderPlan, type Plan, type SinksApi, type PlanOptions, TwilioClient, ACTION_KINDS } from 'sinkops';
         const options: PlanOptions = { prune: true };
         const p: Plan = plan([], { sinks: [], inUse: new Set(), subscriptionsBySink: new Map(), subscriptions: [], subscribedEvents: new Map(), schemaVersions: new Map() }, options);
         const text: string = renderPlan(p, 'text', { color: false, verbose: false });
         const api: SinksApi | undefined = undefined as unknown as TwilioClient;
         // @ts-expect-error a format the library does not have
         renderPlan(p, 'yaml', { color: false, verbose: false });
         export const used = [text, api, ACTION_KINDS.length];
        `,
      );
      await writeFile(
        join(home, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
          files: ['consumer.ts'],
        }),
      );
      const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: home }).catch((e: { stdout: string }) => e);
      expect(result.stdout).toBe('');
    },
    TIMEOUT,
  );

  it('runs its bin', async () => {
    const { stdout } = await exec(process.execPath, [join(installed, 'bin', 'sinkops.js'), '--version'], { cwd: home });
    expect(stdout.trim()).toBe(pkg.version);
  });
});
