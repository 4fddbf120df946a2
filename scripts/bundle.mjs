#!/usr/bin/env node
/**
 * The two bundles of sinkops, built with esbuild from the TypeScript source:
 *
 *   node scripts/bundle.mjs action [--outfile PATH]   (`npm run bundle`)
 *   node scripts/bundle.mjs cli [--outdir PATH]       (part of `npm run build`)
 *
 * action: the GitHub Action's entry point (action/main.ts) with every dependency in one ESM file,
 * action/dist/main.mjs, which is committed: GitHub runs it as it is, without `npm install`
 * (action.yml `runs.main`). test/action/bundle.test.ts builds it again into a temporary folder and
 * fails when the committed file differs.
 *
 * cli: what bin/sinkops.js runs, dist/cli-bundle/ (built by `npm run build`, not committed, published
 * with dist/): src/cli/main.ts split into chunks, one per command (src/cli/commands/index.ts imports
 * each command when it is asked for), so that `sinkops validate` parses only the entry, the validate
 * chunk and what they share, not the 2.5 MB of every command: a single file, or tsc's hundreds of
 * small modules, cost most of a short command's start-up (SPEC §10 "Start-up"). The chunks are
 * CommonJS (see bundleCli). pino and pino-pretty stay outside, required from node_modules when the
 * first log line is written (src/log/load-pino.ts): inside, their code would be in the entry chunk,
 * parsed by every run.
 *
 * Both: files the source reads at run time through `new URL('<relative path>', import.meta.url)`
 * (the JSON schemas, package.json for the version) are embedded in the bundle: such a URL is
 * rewritten to a fixed `file:///sinkops-embedded/<path>` URL, and the importing file's
 * `readFileSync` (from node:fs) is a wrapper that serves those URLs from the embedded text and
 * passes any other path to the real one. The bundle therefore needs no file beside it. A URL to a
 * file not in EMBEDDED, or any other use of `import.meta` in the source, fails the build.
 *
 * The output is deterministic: paths in it are relative to the repository root (esbuild's
 * `absWorkingDir`), it holds no timestamp, chunks are named by a hash of their content, and the same
 * source and lockfile give the same bytes.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_ACTION_OUTFILE = 'action/dist/main.mjs';
export const DEFAULT_CLI_OUTDIR = 'dist/cli-bundle';

/** The base of embedded files' URLs: never a real path on a machine. */
const EMBED_BASE = 'file:///sinkops-embedded/';

/**
 * Files the source may read through `new URL(…, import.meta.url)`, repository-relative, and the
 * text the bundle holds for each. package.json is cut to its name and version (what version.ts
 * reads), so that a change of scripts or dependencies does not change the bundle.
 */
const EMBEDDED = {
  'schemas/sink.schema.json': (text) => text,
  'schemas/plan.schema.json': (text) => text,
  'package.json': (text) => {
    const { name, version } = JSON.parse(text);
    return `${JSON.stringify({ name, version })}\n`;
  },
};

/**
 * src/log/load-pino.ts requires pino through `createRequire(import.meta.url)`; in a bundle it is
 * this instead, a plain `require` that esbuild resolves: into the bundle for the action (a lazy
 * CommonJS wrapper, run on the first call), to node's own `require` for the CLI (pino is external).
 */
const LOAD_PINO = 'src/log/load-pino.ts';
const LOAD_PINO_BUNDLED = `
export function loadPino() {
  return require('pino');
}
export function loadPinoPretty() {
  return require('pino-pretty');
}
`;

/** The action's CommonJS dependencies (ajv, undici, yaml…) `require` Node's built-in modules. */
const REQUIRE_BANNER = [
  "import { createRequire as __sinkopsCreateRequire } from 'node:module';",
  'const require = __sinkopsCreateRequire(import.meta.url);',
];

const URL_OF_FILE = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

function toPosix(path) {
  return path.split(sep).join('/');
}

/**
 * Embeds EMBEDDED's files, and swaps src/log/load-pino.ts for LOAD_PINO_BUNDLED.
 * @param {string} what  the bundle's name, for error messages
 * @returns {import('esbuild').Plugin}
 */
function sourcePlugin(what) {
  return {
    name: 'sinkops-source',
    setup(b) {
      /** Source files whose `readFileSync` must serve embedded URLs. */
      const readers = new Set();

      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const file = toPosix(relative(ROOT, args.path));
        if (file === LOAD_PINO) return { contents: LOAD_PINO_BUNDLED, loader: 'js', resolveDir: dirname(args.path) };
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const contents = source.replace(URL_OF_FILE, (_, _quote, rel) => {
          const target = toPosix(relative(ROOT, resolve(dirname(args.path), rel)));
          if (!Object.hasOwn(EMBEDDED, target)) {
            throw new Error(`${file} reads ${target} at run time: add it to EMBEDDED in scripts/bundle.mjs, or the ${what} cannot find it`);
          }
          return `new URL(${JSON.stringify(EMBED_BASE + target)})`;
        });
        const left = contents.indexOf('import.meta');
        if (left >= 0) {
          const line = contents.slice(0, left).split('\n').length;
          throw new Error(`${file}:${line}: import.meta other than new URL('<file>', import.meta.url) cannot be bundled into the ${what}`);
        }
        readers.add(args.path);
        return { contents, loader: 'ts' };
      });

      b.onResolve({ filter: /^(node:)?fs$/ }, (args) => (readers.has(args.importer) ? { path: 'node:fs', namespace: 'sinkops-embedded' } : undefined));

      b.onLoad({ filter: /.*/, namespace: 'sinkops-embedded' }, async () => {
        const files = [];
        for (const [path, transform] of Object.entries(EMBEDDED)) {
          files.push([EMBED_BASE + path, transform(await readFile(resolve(ROOT, path), 'utf8'))]);
        }
        return {
          resolveDir: ROOT,
          loader: 'js',
          contents: `
import { readFileSync as readRealFile } from 'node:fs';
const EMBEDDED = new Map(${JSON.stringify(files)});
/** node:fs readFileSync, except that the files embedded in the bundle are read from it. */
export function readFileSync(path, options) {
  const href = path instanceof URL ? path.href : undefined;
  if (href === undefined || !href.startsWith(${JSON.stringify(EMBED_BASE)})) return readRealFile(path, options);
  const text = EMBEDDED.get(href);
  if (text === undefined) throw Object.assign(new Error('ENOENT: ' + href + ' is not embedded in the sinkops ${what} bundle'), { code: 'ENOENT' });
  const encoding = typeof options === 'string' ? options : options?.encoding;
  return encoding ? text : Buffer.from(text, 'utf8');
}
`,
        };
      });
    },
  };
}

/** Options both bundles share. */
const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'esm',
  legalComments: 'eof',
  sourcemap: false,
  logLevel: 'warning',
};

/** Builds the action bundle into `outfile` (absolute, or relative to the repository root). */
export async function bundleAction(outfile = DEFAULT_ACTION_OUTFILE) {
  await build({
    ...COMMON,
    entryPoints: ['action/main.ts'],
    outfile: resolve(ROOT, outfile),
    banner: {
      js: ['// sinkops GitHub Action: generated by scripts/bundle.mjs from action/main.ts. Do not edit; run `npm run bundle`.', ...REQUIRE_BANNER].join('\n'),
    },
    minify: false,
    plugins: [sourcePlugin('action')],
  });
}

/**
 * Builds the CLI bundle into `outdir` (absolute, or relative to the repository root), emptied first:
 * `main.cjs` (exports `run` and `main`, as src/cli/main.ts does) and its chunks.
 *
 * esbuild splits ESM only; each ESM chunk is then turned into CommonJS (esbuild's own transform,
 * which keeps live bindings as getters and turns `import('./chunk.cjs')` into a `require`). Node
 * loads CommonJS with less machinery than ES modules: no asynchronous reads, no module jobs, no
 * link phase, which is a few milliseconds of a 10-file `sinkops validate`.
 */
export async function bundleCli(outdir = DEFAULT_CLI_OUTDIR) {
  const out = resolve(ROOT, outdir);
  await rm(out, { recursive: true, force: true });
  const split = await build({
    ...COMMON,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: out,
    splitting: true,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    external: ['pino', 'pino-pretty'],
    write: false,
    plugins: [sourcePlugin('CLI')],
  });
  await mkdir(out, { recursive: true });
  for (const file of split.outputFiles) {
    const { code } = await transform(file.text, {
      format: 'cjs',
      platform: 'node',
      target: COMMON.target,
      // `import('./validate-….cjs')` becomes a require: the chunks are CommonJS now.
      supported: { 'dynamic-import': false },
      // ES modules are strict; so stays their code here (esbuild dropped the directives ESM implies).
      banner: "// sinkops CLI: generated by scripts/bundle.mjs from src/cli/main.ts (npm run build). Do not edit.\n'use strict';",
      legalComments: 'eof',
      // Less to read and parse at each start; names stay, for the stack of an internal error.
      minifyWhitespace: true,
      minifySyntax: true,
    });
    await writeFile(file.path, code);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [what, ...args] = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (what === 'action') await bundleAction(option('--outfile'));
  else if (what === 'cli') await bundleCli(option('--outdir'));
  else {
    process.stderr.write('usage: node scripts/bundle.mjs action [--outfile PATH] | cli [--outdir PATH]\n');
    process.exitCode = 2;
  }
}
