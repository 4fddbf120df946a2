#!/usr/bin/env node
/**
 * Bundles the GitHub Action's entry point (action/main.ts) with every dependency into one ESM file,
 * action/dist/main.mjs, which is committed: GitHub runs it as it is, without `npm install`
 * (action.yml `runs.main`). `npm run bundle` runs this; test/action/bundle.test.ts builds it again
 * into a temporary folder and fails when the committed file differs.
 *
 *   node scripts/bundle-action.mjs [--outfile PATH]
 *
 * Files the source reads at run time through `new URL('<relative path>', import.meta.url)` (the
 * JSON schemas, package.json for the version) are embedded in the bundle: such a URL is rewritten
 * to a fixed `file:///sinkops-embedded/<path>` URL, and the importing file's `readFileSync` (from
 * node:fs) is a wrapper that serves those URLs from the embedded text and passes any other path
 * to the real one. The bundle therefore needs no file beside it. A URL to a file not in EMBEDDED,
 * or any other use of `import.meta` in the source, fails the build.
 *
 * The output is deterministic: paths in it are relative to the repository root (esbuild's
 * `absWorkingDir`), it holds no timestamp, and the same source and lockfile give the same bytes.
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'action/main.ts';
export const DEFAULT_OUTFILE = 'action/dist/main.mjs';

/** The base of embedded files' URLs: never a real path on a runner. */
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

const URL_OF_FILE = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

function toPosix(path) {
  return path.split(sep).join('/');
}

/** @type {import('esbuild').Plugin} */
const embedFiles = {
  name: 'sinkops-embed-files',
  setup(b) {
    /** Source files whose `readFileSync` must serve embedded URLs. */
    const readers = new Set();

    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const file = toPosix(relative(ROOT, args.path));
      const contents = source.replace(URL_OF_FILE, (_, _quote, rel) => {
        const target = toPosix(relative(ROOT, resolve(dirname(args.path), rel)));
        if (!Object.hasOwn(EMBEDDED, target)) {
          throw new Error(`${file} reads ${target} at run time: add it to EMBEDDED in scripts/bundle-action.mjs, or the action cannot find it`);
        }
        return `new URL(${JSON.stringify(EMBED_BASE + target)})`;
      });
      const left = contents.indexOf('import.meta');
      if (left >= 0) {
        const line = contents.slice(0, left).split('\n').length;
        throw new Error(`${file}:${line}: import.meta other than new URL('<file>', import.meta.url) cannot be bundled into the action`);
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
  if (text === undefined) throw Object.assign(new Error('ENOENT: ' + href + ' is not embedded in the sinkops action bundle'), { code: 'ENOENT' });
  const encoding = typeof options === 'string' ? options : options?.encoding;
  return encoding ? text : Buffer.from(text, 'utf8');
}
`,
      };
    });
  },
};

/** Builds the bundle into `outfile` (absolute, or relative to the repository root). */
export async function bundleAction(outfile = DEFAULT_OUTFILE) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: resolve(ROOT, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    format: 'esm',
    // The CommonJS dependencies (ajv, pino, undici…) `require` Node's built-in modules.
    banner: {
      js: [
        '// sinkops GitHub Action: generated by scripts/bundle-action.mjs from action/main.ts. Do not edit; run `npm run bundle`.',
        "import { createRequire as __sinkopsCreateRequire } from 'node:module';",
        'const require = __sinkopsCreateRequire(import.meta.url);',
      ].join('\n'),
    },
    legalComments: 'eof',
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
    plugins: [embedFiles],
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outfile');
  await bundleAction(i >= 0 ? process.argv[i + 1] : undefined);
}
