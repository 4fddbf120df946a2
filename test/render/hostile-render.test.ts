/**
 * A plan, built by the real planner from plain data, whose every remote field is hostile: SIDs,
 * types, statuses, descriptions, configuration keys and subscription SIDs carry escape sequences,
 * bidi overrides, C1 controls, CR, backticks, pipes, HTML, mentions and block markup. The text plan
 * must print none of it raw, and the Markdown plan must render none of it as markup.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/model.js';
import { plan } from '../../src/plan/plan.js';
import { renderPlan } from '../../src/render/index.js';
import { codeSpan, escapeMarkdown } from '../../src/render/markdown-escape.js';
import { terminalSafe } from '../../src/terminal-safe.js';
import { PLAN, desired, lit, remote, sid, state } from '../plan/helpers.js';
import { EVIL, expectMarkdownSafe, expectOnlyOurColours, expectTerminalSafe, splitFences } from './hostile.js';

const EVIL_SUBSCRIPTION = `DF${'0'.repeat(31)}1${EVIL}`;
const EVIL_SID = `DG${'0'.repeat(30)}ee${EVIL}`;
/** A remote configuration key, newlines and all: its field path carries it as a JSON string. */
const EVIL_KEY = `key${EVIL}`;
const EVIL_PATH = `sink_configuration.${JSON.stringify(EVIL_KEY)}`;

/** The tags the plan's Markdown writes itself. */
const PLAN_TAGS = ['<!-- sinkops:plan-hash *', '<details>', '</details>', '<summary>', '</summary>', '<code>', '</code>', '<sub>', '</sub>'];

function hostilePlan(): Plan {
  const wanted = [
    desired('billing', { description: 'Billing events' }),
    desired('adopted', { description: 'Adopted hook', sid: sid(0xa1), config: { destination: lit('https://example.org/adopted'), method: lit('POST') } }),
    desired('moved', { config: { destination: lit('https://example.org/new'), method: lit('POST') } }),
    desired('held', { config: { destination: lit('https://example.org/held-v2'), method: lit('POST') } }),
    desired('kept'),
  ];
  const sinks = [
    // update: a hostile status (the headline, the SID/status reference, the NOT_ACTIVE warning)
    remote(0xb1, { name: 'billing', description: `Billing ${EVIL}`, status: `validating${EVIL}` }),
    // adopt: a hostile description and status
    { ...remote(0xa1, { description: EVIL, config: { destination: 'https://example.org/adopted', method: 'POST' } }), status: `active${EVIL}` },
    // replace across types: a remote configuration key and value of its own, shown as going away
    remote(0xc1, { name: 'moved', type: 'segment', config: { [EVIL_KEY]: `value${EVIL}` } }),
    // noop: a key only Twilio returns, named in a REMOTE_ONLY_KEY warning
    remote(0xc3, { name: 'kept', config: { destination: 'https://example.org/kept', method: 'POST', [EVIL_KEY]: `value${EVIL}` } }),
    // blocked replace: held by a subscription with a hostile SID
    remote(0xc2, { name: 'held', config: { destination: 'https://example.org/held', method: 'POST' } }),
    // delete (pruned): a hostile SID and description (a sink of a type sinkops does not know is
    // never managed, so a hostile type shows in the unmanaged list below)
    { ...remote(0xd1, { name: 'gone', description: EVIL }), sid: EVIL_SID },
    // blocked delete: a hostile subscription SID
    remote(0xd2, { name: 'legacy' }),
    // unmanaged: everything hostile
    { ...remote(0xf1, { type: `email${EVIL}`, status: `active${EVIL}`, description: EVIL }), sid: `DG${'f'.repeat(31)}${EVIL}` },
  ];
  return plan(wanted, state(sinks, { [sid(0xc2)]: [EVIL_SUBSCRIPTION], [sid(0xd2)]: [EVIL_SUBSCRIPTION, 'DF' + '2'.repeat(32)] }), PLAN);
}

describe('a plan whose remote values are hostile', () => {
  const p = hostilePlan();

  it('has the actions whose text carries remote values', () => {
    expect(p.summary).toMatchObject({ update: 1, adopt: 1, replace: 1, delete: 1, blocked: 2 });
    expect(p.unmanaged).toHaveLength(1);
    expect(p.warnings.map((w) => w.code)).toContain('NOT_ACTIVE');
    expect(p.warnings.find((w) => w.code === 'REMOTE_ONLY_KEY')?.message).toContain(JSON.stringify(EVIL_KEY));
    expect(p.actions.flatMap((a) => a.changes.map((c) => c.path))).toContain(EVIL_PATH);
  });

  it('text: not one raw control, bidi or invisible character, with or without colour, verbose or not', () => {
    for (const verbose of [false, true]) {
      expectTerminalSafe(renderPlan(p, 'text', { color: false, verbose }));
      expectOnlyOurColours(renderPlan(p, 'text', { color: true, verbose }));
    }
  });

  it('text: each remote value is shown, escaped, on its own line', () => {
    const out = renderPlan(p, 'text', { color: false, verbose: false });
    const unmanaged = p.unmanaged.find((s) => s.sinkType.startsWith('email'));
    if (unmanaged === undefined) throw new Error('the fixture has an unmanaged email sink');
    const row = out.split('\n').find((l) => l.includes(terminalSafe(unmanaged.sid)));
    expect(row).toContain(terminalSafe(`email${EVIL}`));
    expect(row).toContain(terminalSafe(`active${EVIL}`));
    expect(row).toContain(terminalSafe(JSON.stringify(EVIL)));
    expect(out).toContain(`(${sid(0xb1)}, ${terminalSafe(`validating${EVIL}`)})`);
    expect(out).toContain(terminalSafe(EVIL_SUBSCRIPTION));
    expect(out).toContain(terminalSafe(EVIL_SID));
    expect(out).toContain(terminalSafe(EVIL_PATH));
    expect(out).toContain(terminalSafe(`Warning: kept (${sid(0xc3)}): Twilio returns ${EVIL_PATH}`));
    // The escapes are the visible ones a reader recognises.
    expect(out).toContain('\\u001b[31mred\\u001b[0m');
    expect(out).toContain('\\u202eevil\\u202c');
    expect(out).toContain('\\u009b1m');
  });

  it('markdown: nothing renders as markup, tables keep their cells, code spans stay balanced', () => {
    for (const verbose of [false, true]) expectMarkdownSafe(renderPlan(p, 'markdown', { color: false, verbose }), PLAN_TAGS);
  });

  it('markdown with a context: the one link added is the run sinkops was given', () => {
    const run = 'https://github.com/acme/sinks/actions/runs/42';
    const md = renderPlan(p, 'markdown', { color: false, verbose: false, context: { commit: 'abc1234', runUrl: run } });
    expect(splitFences(md).outside.match(/(?<!\\)\]\(/g)).toHaveLength(1);
    expect(md).toContain(`computed at abc1234 · [run](${run})</sub>`);
    expectMarkdownSafe(md.replace(`[run](${run})`, 'run'), PLAN_TAGS);
  });

  it('markdown: each remote value is shown escaped, and fenced diffs show controls as escapes', () => {
    const md = renderPlan(p, 'markdown', { color: false, verbose: false });
    const { fences, outside } = splitFences(md);
    expect(outside).toContain(`| ${escapeMarkdown(`email${EVIL}`)} | ${escapeMarkdown(`active${EVIL}`)} | ${escapeMarkdown(EVIL)} |`);
    expect(outside).toContain(escapeMarkdown(EVIL_SUBSCRIPTION));
    expect(outside).toContain(escapeMarkdown(`validating${EVIL}`));
    // A SID holding a backtick or a pipe cannot be a code span: it is shown as escaped text.
    expect(codeSpan(EVIL_SID)).toBe(escapeMarkdown(EVIL_SID));
    expect(outside).toContain(`| ${escapeMarkdown(EVIL_SID)} |`);
    // The hostile configuration key is named as replacement-forcing, escaped.
    expect(outside).toContain(codeSpan(EVIL_PATH));
    // Fences are literal: there the text is kept, its invisible characters made visible.
    expect(fences.some((f) => f.includes('<img src=x onerror=alert(1)>'))).toBe(true);
    expect(fences.some((f) => f.includes('\\u202eevil\\u202c'))).toBe(true);
  });
});
