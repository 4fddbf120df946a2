import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { plan } from '../../src/plan/plan.js';
import { MARKDOWN_LIMIT, RENDER_FORMATS, renderPlan } from '../../src/render/index.js';
import { escapeMarkdown } from '../../src/render/markdown-escape.js';
import { PLAN, desired, lit, remote, sid, state } from '../plan/helpers.js';
import { HOSTILE, SECRETS, fixturePlan } from './fixture.js';

const expectedDir = new URL('./__expected__/', import.meta.url);

/** Compares with the saved file; SINKOPS_UPDATE_EXPECTED=1 rewrites it (review the diff!). */
function expectMatchesFile(actual: string, name: string): void {
  const url = new URL(name, expectedDir);
  if (process.env['SINKOPS_UPDATE_EXPECTED'] === '1') writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, 'utf8'));
}

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

describe('renderers against saved expected files', () => {
  const p = fixturePlan();

  it('the fixture has every action kind', () => {
    expect(p.summary).toEqual({ create: 1, update: 1, adopt: 2, replace: 2, delete: 1, blocked: 2, noop: 1 });
    expect(p.subscriptionSummary).toEqual({ create: 1, update: 1, move: 1, delete: 1, noop: 0 });
    expect(p.warnings.map((w) => w.code)).toEqual(['UNKNOWN_SENSITIVE', 'NOT_ACTIVE']);
    expect(p.actions.some((a) => a.action === 'adopt' && a.replace)).toBe(true);
  });

  it('text (no colour)', () => {
    expectMatchesFile(renderPlan(p, 'text', { color: false, verbose: false }), 'plan.txt');
  });

  it('text, verbose, lists noops; colour only when asked', () => {
    const verbose = renderPlan(p, 'text', { color: false, verbose: true });
    expect(verbose).toContain('analytics');
    expect(verbose).toContain('is up to date');
    expect(verbose).not.toContain('\u001b[');
    expect(renderPlan(p, 'text', { color: true, verbose: false })).toContain('\u001b[');
  });

  it('markdown', () => {
    expectMatchesFile(renderPlan(p, 'markdown', { color: false, verbose: false }), 'plan.md');
  });

  it('json, valid against schemas/plan.schema.json', () => {
    const json = renderPlan(p, 'json', { color: false, verbose: false });
    expectMatchesFile(json, 'plan.json');
    const data: unknown = JSON.parse(json);
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    const verbose: unknown = JSON.parse(renderPlan(p, 'json', { color: false, verbose: true }));
    expect(validate(verbose), JSON.stringify(validate.errors)).toBe(true);
  });

  it('puts no secret in any output', () => {
    for (const format of RENDER_FORMATS) {
      for (const verbose of [false, true]) {
        const out = renderPlan(p, format, { color: verbose, verbose });
        for (const secret of SECRETS) expect(out, `${format} verbose=${verbose}`).not.toContain(secret);
      }
    }
  });

  it('prints no changes, and the summary line', () => {
    const none = plan([desired('a')], state([remote(1, { name: 'a' })]), PLAN);
    expect(renderPlan(none, 'text', { color: false, verbose: false })).toContain('No changes. Twilio sinks match the repository.');
    expect(renderPlan(none, 'markdown', { color: false, verbose: false })).toContain('No changes. Twilio sinks match the repository.');
    expect(renderPlan(p, 'text', { color: false, verbose: false })).toContain(
      'Plan: 1 to create, 1 to update, 2 to adopt, 2 to replace, 1 to delete, 2 blocked.\nSubscriptions: 1 to create, 1 to update, 1 to move, 1 to delete.',
    );
    const simple = plan([desired('a')], state([]), PLAN);
    expect(renderPlan(simple, 'text', { color: false, verbose: false })).toContain(
      'Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.',
    );
  });

  it('shows plan errors and says the plan cannot be applied', () => {
    const failed = plan([desired('a', { sid: sid(99) })], state([]), PLAN);
    for (const format of ['text', 'markdown'] as const) {
      const out = renderPlan(failed, format, { color: false, verbose: false });
      expect(out).toContain('PINNED');
      expect(out).toContain('cannot be applied');
    }
    const json = JSON.parse(renderPlan(failed, 'json', { color: false, verbose: false })) as { errors: { code: string }[] };
    expect(json.errors.map((e) => e.code)).toEqual(['PINNED_SID_NOT_FOUND']);
  });
});

describe('markdown safety', () => {
  it('escapes a hostile description everywhere it appears outside code', () => {
    const md = renderPlan(fixturePlan(), 'markdown', { color: false, verbose: false });
    // Inside a fenced diff block text is literal (GitHub shows it verbatim; entities would show as
    // `&lt;`), so the fence is its escaping; everywhere else the text must be escaped.
    const fences = md.match(/^(`{3,})diff\n[\s\S]*?\n\1$/gm) ?? [];
    expect(fences.some((f) => f.includes('<script>'))).toBe(true);
    const outside = fences.reduce((text, f) => text.replace(f, ''), md);
    expect(outside).not.toContain('<script>');
    expect(outside).not.toContain('@admins');
    expect(outside).not.toContain('[x](http://evil)');
    expect(outside).toContain(escapeMarkdown(HOSTILE));
    // In the fence the description is one JSON string: its newline cannot start a line of its own.
    expect(md).not.toMatch(/^# heading/m);
    // Table rows stay one line each: no raw newline or pipe from the description.
    const row = md.split('\n').find((l) => l.includes(sid(0xf1)));
    expect(row?.split('|').length).toBe(6);
  });

  it('escapes each character class', () => {
    expect(escapeMarkdown('a<b>&|`*_[]\n@x\\')).toBe('a&lt;b&gt;&amp;&#124;&#96;\\*\\_\\[\\] &#64;&#8203;x\\\\');
  });

  it('cannot close a diff fence from inside', () => {
    const evil = remote(1, { name: 'a', description: 'x ```` y' });
    const p = plan([desired('a', { description: 'z' })], state([evil]), PLAN);
    const md = renderPlan(p, 'markdown', { color: false, verbose: false });
    expect(md).toContain('`````diff');
  });
});

describe('markdown truncation', () => {
  function bigPlan(n: number): Plan {
    const long = 'x'.repeat(300);
    const wanted = Array.from({ length: n }, (_, i) => desired(`sink-${i}`, { description: `${long} ${i}`, config: { destination: lit(`https://example.org/${i}/${long}`) } }));
    return plan(wanted, state([]), PLAN);
  }

  it('stays within 65,000 characters and says how much was left out', () => {
    const md = renderPlan(bigPlan(400), 'markdown', { color: false, verbose: false });
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/truncated to 65000 characters, to fit GitHub's limit: \d+ action details \(\d+ characters\) left out/);
    expect(md).toContain('**Plan: 400 to create');
    expect(md).toContain('basis `sha256:');
  });

  it('drops table rows too when even the table does not fit', () => {
    const md = renderPlan(bigPlan(2000), 'markdown', { color: false, verbose: false });
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/\d+ table rows, 2000 action details/);
  });

  it('does not truncate a small plan', () => {
    expect(renderPlan(bigPlan(3), 'markdown', { color: false, verbose: false })).not.toContain('truncated');
  });
});
