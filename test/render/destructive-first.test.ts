/**
 * Issue 12: a large plan's comment must never hide what is destructive. Plans built by the real
 * planner from plain data; the Markdown renderer must keep every delete, replacement, blocked action
 * and subscription delete or move, lead with a warning, say what it left out, and stay within its
 * limit (GitHub's 65,536 characters for a comment, with room for the sticky marker).
 */
import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_LIMIT, stickyBody } from '../../src/github/sticky.js';
import type { Plan } from '../../src/plan/model.js';
import { plan } from '../../src/plan/plan.js';
import { JOB_SUMMARY_LIMIT, MARKDOWN_LIMIT, MARKDOWN_MIN_CHARS, renderPlan, type RenderOptions } from '../../src/render/index.js';
import { CATALOGUE, PLAN, desired, dfSid, lit, remote, remoteSubscription, sid, state } from '../plan/helpers.js';
import { fixturePlan } from './fixture.js';

/** An account whose limit was raised: 1,000 creates are not a SINK_LIMIT error here. */
const RAISED = { ...PLAN, sinkLimit: 10_000 };
const LONG = 'x'.repeat(120);

/** `n` sinks to create, each with a long description and destination (so rows and details are long). */
function creates(n: number) {
  return Array.from({ length: n }, (_, i) =>
    desired(`new-${String(i).padStart(4, '0')}`, { description: `New ${LONG} ${i}`, config: { destination: lit(`https://example.org/${i}/${LONG}`), method: lit('POST') } }),
  );
}

/** The plan of issue 12: 1,000 creates, 5 deletes, 2 blocked deletes (sinks in use by a subscription). */
function issuePlan(): Plan {
  const gone = Array.from({ length: 5 }, (_, i) => remote(0xd0 + i, { name: `gone-${i}`, description: `Gone ${i}` }));
  const held = [remote(0xe0, { name: 'held-0' }), remote(0xe1, { name: 'held-1' })];
  return plan(creates(1000), state([...gone, ...held], { [sid(0xe0)]: [dfSid(0x90)], [sid(0xe1)]: [dfSid(0x91)] }), RAISED);
}

const md = (p: Plan, options: Partial<RenderOptions> = {}) => renderPlan(p, 'markdown', { color: false, verbose: false, ...options });
const lines = (text: string, start: string) => text.split('\n').filter((l) => l.startsWith(start));

describe('issue 12: 1,000 creates, 5 deletes, 2 blocked', () => {
  const p = issuePlan();
  const comment = md(p);

  it('is the plan of the issue', () => {
    expect(p.summary).toMatchObject({ create: 1000, delete: 5, blocked: 2 });
    expect(p.errors).toEqual([]);
  });

  it('fits a comment, sticky marker included, so GitHub cuts nothing', () => {
    expect(comment.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(stickyBody(comment).length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(stickyBody(comment)).toBe(`<!-- sinkops:sticky -->\n${comment}`);
  });

  it('lists every delete and every blocked action, with its name, SID and reason', () => {
    for (let i = 0; i < 5; i += 1) {
      const row = lines(comment, '| `-` | delete |').find((l) => l.includes(`\`gone-${i}\``));
      expect(row, `gone-${i}`).toContain(sid(0xd0 + i));
      expect(row).toContain('will be deleted: no longer in the repository');
    }
    for (const [name, n, sub] of [['held-0', 0xe0, 0x90], ['held-1', 0xe1, 0x91]] as const) {
      const row = lines(comment, '| `!` | blocked delete |').find((l) => l.includes(`\`${name}\``));
      expect(row, name).toContain(sid(n));
      expect(row).toContain(`cannot be deleted: in use by subscription ${dfSid(sub)}`);
    }
    expect(lines(comment, '| `-` | delete |')).toHaveLength(5);
    expect(lines(comment, '| `!` |')).toHaveLength(2);
  });

  it('opens with a warning line, right after the title', () => {
    expect(comment.split('\n').slice(0, 4)).toEqual([
      expect.stringMatching(/^<!-- sinkops:plan-hash sha256:[0-9a-f]{64} -->$/),
      '### sinkops plan',
      '',
      '> **Warning:** this plan deletes 5 sinks; 2 blocked actions will not run.',
    ]);
  });

  it('puts the destructive rows first, then as many other rows as fit, and says what it left out', () => {
    const destructive = comment.indexOf('**Deletes, replacements and blocked actions** (7)');
    const others = comment.indexOf('**Other actions**');
    expect(destructive).toBeGreaterThan(0);
    expect(others).toBeGreaterThan(destructive);
    expect(comment.indexOf('| `+` | create |')).toBeGreaterThan(others);
    const shown = lines(comment, '| `+` | create |').length;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(1000);
    const note = lines(comment, '> **Note:**');
    expect(note).toHaveLength(1);
    expect(note[0]).toMatch(
      new RegExp(`^> \\*\\*Note:\\*\\* this plan was truncated to 65000 characters, to fit GitHub's limit: ${1000 - shown} table rows, 1007 action details \\(\\d+ characters\\) left out\\. Run \`sinkops plan\` for the full plan\\.$`),
    );
    // Nothing destructive was left out, so no second warning.
    expect(comment).not.toContain('are not listed here');
  });

  it('keeps the footer with the plan hash', () => {
    expect(comment).toMatch(/<sub>plan `sha256:[0-9a-f]{64}` · basis `sha256:[0-9a-f]{64}`<\/sub>\n$/);
  });
});

describe('subscription deletes and moves are kept too', () => {
  it('lists every subscription delete and move of a plan too long for a comment', () => {
    const DELIVERED = 'com.twilio.messaging.message.delivered';
    // `kept` no longer declares its 20 subscriptions: each is deleted. `moved` is replaced (its
    // destination changes), so its one declared subscription moves to the new sink.
    const kept = desired('kept');
    const moved = desired('moved', {
      config: { destination: lit('https://example.org/moved-v2'), method: lit('POST') },
      subscriptions: [{ name: 'status', description: 'Status', events: [{ type: DELIVERED, schemaVersion: 1, source: { file: 'sinks/moved.yaml', line: 9, column: 5 } }], source: { file: 'sinks/moved.yaml', line: 7, column: 5 } }],
    });
    const subscriptions = [
      ...Array.from({ length: 20 }, (_, i) => remoteSubscription(0x100 + i, sid(0xa1), { sink: 'kept', name: `old-${i}` })),
      remoteSubscription(0x200, sid(0xa2), { sink: 'moved', name: 'status' }, 'Status'),
    ];
    const subscribedEvents = new Map(subscriptions.map((s) => [s.sid, [{ type: DELIVERED, schemaVersion: 1 }]]));
    const account = state([remote(0xa1, { name: 'kept' }), remote(0xa2, { name: 'moved', config: { destination: 'https://example.org/moved-v1', method: 'POST' } })], {}, { subscriptions, subscribedEvents, ...CATALOGUE });
    const p = plan([kept, moved, ...creates(1000)], account, RAISED);
    expect(p.subscriptionSummary).toMatchObject({ delete: 20, move: 1 });

    const comment = md(p);
    expect(comment.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(comment).toContain('> **Warning:** this plan replaces 1 sink, deletes 20 subscriptions and moves 1 subscription (the old one is deleted).');
    for (let i = 0; i < 20; i += 1) {
      const row = lines(comment, '| `-` | delete | `kept` |').find((l) => l.includes(`\`old-${i}\``));
      expect(row, `old-${i}`).toContain(dfSid(0x100 + i));
    }
    expect(lines(comment, '| `+/-` | move | `moved` | `status` |')).toHaveLength(1);
    expect(lines(comment, '| `+/-` | replace | `moved` |')).toHaveLength(1);
    expect(comment.indexOf('**Subscriptions deleted or moved** (21)')).toBeLessThan(comment.indexOf('**Other actions**'));
    expect(comment).toMatch(/table rows, .*left out/);
  });
});

describe('when even the destructive rows do not fit', () => {
  it('keeps as many as fit and says exactly how many it left out, at the top and in the note', () => {
    const gone = Array.from({ length: 2000 }, (_, i) => remote(0x1000 + i, { name: `gone-${String(i).padStart(4, '0')}`, description: `Gone ${LONG}` }));
    // One sink stays, so the plan is not "empty" (that is refused, but still rendered).
    const p = plan([desired('kept')], state([...gone, remote(0x10, { name: 'kept' })]), RAISED);
    expect(p.summary.delete).toBe(2000);
    const comment = md(p);
    expect(comment.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const shown = lines(comment, '| `-` | delete |').length;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(2000);
    const leftOut = 2000 - shown;
    expect(comment.split('\n')[3]).toBe('> **Warning:** this plan deletes 2000 sinks.');
    expect(comment).toContain(`> **Warning:** ${leftOut} destructive rows (deletes, replacements, blocked) are not listed here: even they do not fit in 65000 characters. Run \`sinkops plan\` for the full plan.`);
    // The first ones, in plan order, are the ones kept.
    expect(comment).toContain('`gone-0000`');
    expect(lines(comment, '> **Note:**')[0]).toContain(`${leftOut} destructive rows (deletes, replacements, blocked), 2000 action details`);
  });
});

describe('maxChars', () => {
  const p = issuePlan();

  it('a job summary holds the full plan: every row and every detail, no note', () => {
    const full = md(p, { maxChars: 1_000_000 });
    expect(full.length).toBeGreaterThan(MARKDOWN_LIMIT);
    expect(full.length).toBeLessThanOrEqual(1_000_000);
    expect(full).not.toContain('> **Note:**');
    expect(lines(full, '| `+` | create |')).toHaveLength(1000);
    expect(full.match(/<details><summary>/g)).toHaveLength(1007);
  });

  it('the least limit still shows every destructive row', () => {
    const small = md(p, { maxChars: MARKDOWN_MIN_CHARS });
    expect(small.length).toBeLessThanOrEqual(MARKDOWN_MIN_CHARS);
    expect(lines(small, '| `-` | delete |')).toHaveLength(5);
    expect(lines(small, '| `!` |')).toHaveLength(2);
    expect(small).toContain('> **Note:** this plan was truncated to 10000 characters');
  });

  it('a limit below the least is taken as the least; every length in between is honoured', () => {
    expect(md(p, { maxChars: 100 })).toBe(md(p, { maxChars: MARKDOWN_MIN_CHARS }));
    for (const limit of [MARKDOWN_MIN_CHARS + 1, 12_345, 40_000, MARKDOWN_LIMIT, 200_000, JOB_SUMMARY_LIMIT]) {
      const out = md(p, { maxChars: limit });
      expect(out.length, String(limit)).toBeLessThanOrEqual(limit);
      expect(lines(out, '| `-` | delete |'), String(limit)).toHaveLength(5);
    }
  });

  it('changes nothing for a plan that fits', () => {
    const small = fixturePlan();
    expect(md(small, { maxChars: MARKDOWN_MIN_CHARS })).toBe(md(small));
    expect(md(small, { maxChars: JOB_SUMMARY_LIMIT })).toBe(md(small));
  });

  it('is for Markdown only: text and JSON are never shortened', () => {
    for (const format of ['text', 'json'] as const) {
      expect(renderPlan(p, format, { color: false, verbose: false, maxChars: MARKDOWN_MIN_CHARS })).toBe(renderPlan(p, format, { color: false, verbose: false }));
    }
  });
});

describe('no warning line when nothing is deleted or replaced', () => {
  it('creates and updates only', () => {
    const p = plan([desired('a'), desired('b', { description: 'changed' })], state([remote(2, { name: 'b' })]), PLAN);
    expect(md(p)).not.toContain('**Warning:**');
    expect(md(p)).not.toContain('**Other actions**');
  });

  it('blocked actions alone are listed first, without the warning (nothing will be deleted)', () => {
    const p = plan([desired('kept')], state([remote(1, { name: 'kept' }), remote(2, { name: 'held' })], { [sid(2)]: [dfSid(3)] }), PLAN);
    expect(p.summary.blocked).toBe(1);
    const comment = md(p);
    expect(comment).not.toContain('**Warning:**');
    expect(comment).toContain('**Deletes, replacements and blocked actions** (1)');
  });
});
