/**
 * The Markdown footer names the commit and links the run (RenderOptions.context), printing each
 * only in its one plain shape: the values come from a CI environment, which anyone who can open a
 * pull request may influence, and a library caller may pass anything.
 */
import { describe, expect, it } from 'vitest';
import { renderPlan, type RenderContext } from '../../src/render/index.js';
import { fixturePlan } from './fixture.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const RUN = 'https://github.com/acme/sinks/actions/runs/42';
const p = fixturePlan();
const md = (context?: RenderContext) => renderPlan(p, 'markdown', { color: false, verbose: false, ...(context === undefined ? {} : { context }) });
const footer = (text: string) => text.split('\n').filter((l) => l.startsWith('<sub>'));

describe('the footer context', () => {
  it('names the commit (abbreviated: GitHub links it) and links the run', () => {
    expect(footer(md({ commit: SHA, runUrl: RUN }))).toEqual([
      expect.stringMatching(new RegExp(`^<sub>plan \`sha256:[0-9a-f]{64}\` · basis \`sha256:[0-9a-f]{64}\` · computed at 0123456 · \\[run\\]\\(${RUN}\\)</sub>$`)),
    ]);
    expect(footer(md({ commit: 'abc1234' }))[0]).toMatch(/ · computed at abc1234<\/sub>$/);
    expect(footer(md({ runUrl: 'http://ghe.example.com:8080/acme/sinks/actions/runs/7' }))[0]).toMatch(/`sha256:[0-9a-f]{64}` · \[run\]\(http:\/\/ghe\.example\.com:8080\/acme\/sinks\/actions\/runs\/7\)<\/sub>$/);
  });

  it('is absent without a context, and changes nothing else', () => {
    const plain = md();
    expect(plain).not.toContain('computed at');
    expect(plain).not.toContain('[run]');
    expect(md({})).toBe(plain);
    const withContext = md({ commit: SHA, runUrl: RUN });
    expect(withContext.replace(' · computed at 0123456 · [run](https://github.com/acme/sinks/actions/runs/42)', '')).toBe(plain);
  });

  const HOSTILE_COMMITS = [
    'abc123', // too short
    `${SHA}0`, // too long
    'ABCDEF1234567', // upper case: not how git or GitHub write it
    'abc1234 <img src=x onerror=alert(1)>',
    'abc1234)[x](https://evil.example',
    'abc1234\n# heading',
    'abc1234@admins',
    'g123456',
    ' abc1234',
  ];
  it.each(HOSTILE_COMMITS)('leaves out the commit %j', (commit) => {
    expect(md({ commit })).toBe(md());
  });

  const HOSTILE_URLS = [
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://github.com/acme/sinks/actions/runs/42)[click](https://evil.example',
    'https://github.com/acme/sinks/actions/runs/42 "title"',
    'https://github.com/acme/sinks/actions/runs/42?token=x',
    'https://github.com/acme/sinks/actions/runs/42#frag',
    'https://user:pass@github.com/acme/sinks/actions/runs/42',
    'https://github.com/acme/../../evil/actions/runs/42',
    'https://github.com/acme/sinks/actions/runs/<script>',
    'https://github.com/acme/sinks/actions/runs/42\n<script>',
    'https://github.com/@admins/runs/42',
    '//github.com/acme/sinks/actions/runs/42',
    'ftp://github.com/acme/sinks/actions/runs/42',
    'https://-bad-.example/a',
    `https://github.com/${'a/'.repeat(2000)}42`,
    'https://github.com/acme/sinks/actions/runs/4\u202e2',
  ];
  it.each(HOSTILE_URLS)('leaves out the run URL %j', (runUrl) => {
    expect(md({ runUrl })).toBe(md());
    // A valid commit beside it is still printed.
    expect(md({ runUrl, commit: SHA })).toBe(md({ commit: SHA }));
  });

  it('is printed by the Markdown renderer only', () => {
    for (const format of ['text', 'json'] as const) {
      expect(renderPlan(p, format, { color: false, verbose: false, context: { commit: SHA, runUrl: RUN } })).toBe(renderPlan(p, format, { color: false, verbose: false }));
    }
  });
});
