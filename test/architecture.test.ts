/**
 * The folders of src/ are the stages of the pipeline, and imports run one way only: a stage may
 * import from the stages below it, never from one above it or from a peer on its own level. A new
 * folder must be placed in STAGES before anything may import it; an import against the direction
 * fails here with the file, the line and both stages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Lowest first. Stages on one line are peers: neither imports the other. */
const STAGES: readonly (readonly string[])[] = [
  ['errors.ts', 'version.ts', 'io.ts', 'secrets.ts', 'terminal-safe.ts', 'bounded-map.ts'], // foundations: typed errors, the version, the streams a run has, finding echoed secrets, text safe for a terminal, a bounded window of concurrent calls
  ['files.ts'], // the guarded reader of user-named files, which throws those typed errors
  ['desired'], // load desired state: YAML → validated, positioned sinks
  ['log'], // pino with redaction (of the secret keys desired/ defines)
  ['remote'], // the account as plain data, and the SinksApi seam every client implements
  ['plan'], // the pure planner, the action vocabulary, the plan and its codec
  ['render'], // plan → text, Markdown, JSON
  ['apply'], // the executor
  ['pipeline'], // read the remote state through the seam, then plan
  ['twilio', 'emulator'], // the seam over HTTP; the API it speaks to, served locally
  ['import', 'github', 'local', 'init', 'accounts'], // around the pipeline: YAML from an account, pull requests, the local account, a starter repository, sinkops.yaml's accounts and fleets
  ['fleet'], // many accounts: each one through the pipeline, concurrently, failures isolated
  ['cli'], // argument parsing, commands, exit codes
  ['index.ts'], // the library's one public surface
];

function stageOf(file: string): string {
  const [first = ''] = relative(SRC, file).split(sep);
  return first;
}

function rankOf(stage: string): number {
  return STAGES.findIndex((line) => line.includes(stage));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Static imports and re-exports, side-effect imports, and dynamic `import('…')` of relative paths. */
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

interface Edge {
  readonly file: string;
  readonly line: number;
  readonly from: string;
  readonly to: string;
}

function edges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(IMPORT)].map((m) => ({
      file: relative(SRC, file),
      line: text.slice(0, m.index).split('\n').length,
      from: stageOf(file),
      to: stageOf(resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts'))),
    }));
  });
}

describe('the pipeline direction of src/', () => {
  const all = edges();

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all).toContainEqual(expect.objectContaining({ file: join('plan', 'plan.ts'), to: 'desired' }));
  });

  it('places every stage', () => {
    const unplaced = [...new Set(all.flatMap((e) => [e.from, e.to]))].filter((stage) => rankOf(stage) < 0);
    expect(unplaced, 'add these to STAGES in test/architecture.test.ts, at their place in the pipeline').toEqual([]);
  });

  it('has no import against the pipeline direction, nor between peers', () => {
    const against = all
      .filter((e) => e.from !== e.to && rankOf(e.to) >= rankOf(e.from))
      .map((e) => `src/${e.file}:${e.line}: ${e.from} imports ${e.to}, which is ${rankOf(e.to) === rankOf(e.from) ? 'its peer' : 'above it'}`);
    expect(against).toEqual([]);
  });
});
