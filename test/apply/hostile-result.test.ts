/**
 * Apply results whose remote text is hostile: Twilio's error messages, subscription SIDs in a
 * blocked action, new SIDs, notes, names from a saved plan. Text, progress and Markdown must show
 * them without a raw control character or any markup; JSON carries them as JSON strings.
 */
import { describe, expect, it } from 'vitest';
import { countResults } from '../../src/apply/execute.js';
import type { ActionResult, ApplyResult } from '../../src/apply/model.js';
import { formatProgress, progressReporter } from '../../src/apply/progress.js';
import { renderJson, renderMarkdown, renderText } from '../../src/apply/render-result.js';
import { escapeMarkdown } from '../../src/render/markdown-escape.js';
import { terminalSafe } from '../../src/terminal-safe.js';
import { remoteSink } from '../helpers/fake-sinks-api.js';
import { EVIL, expectMarkdownSafe, expectTerminalSafe } from '../render/hostile.js';
import { blockedAction, createAction, deleteAction, marker, replaceAction } from './plan-builders.js';

const HELD = 'DG44444444444444444444444444444444';
const OLD = 'DG11111111111111111111111111111111';
const EVIL_SUBSCRIPTION = `DF${'5'.repeat(32)}${EVIL}`;
const TWILIO_ERROR = `Twilio API error 20001 (HTTP 400): ${EVIL}`;

const sink = (sid: string, name: string) => remoteSink({ sid, description: `${name} events ${marker(name)}` });

const results: ActionResult[] = [
  { action: createAction('broken'), status: 'failed', error: TWILIO_ERROR },
  {
    action: blockedAction(sink(HELD, 'legacy'), 'legacy', [EVIL_SUBSCRIPTION]),
    status: 'blocked',
    subscriptions: [EVIL_SUBSCRIPTION],
    error: `in use by subscription ${EVIL_SUBSCRIPTION}`,
  },
  { action: replaceAction(sink(OLD, 'seg'), 'seg'), status: 'applied', newSid: `DG9${EVIL}` },
  { action: deleteAction(sink(HELD, 'old'), `old${EVIL}`), status: 'applied', note: EVIL },
];
const hostile: ApplyResult = { results, subscriptions: [], counts: countResults(results), dryRun: false };

describe('apply results with hostile remote text', () => {
  it('text: no raw control, bidi or invisible character; each result on one line, its values escaped', () => {
    const out = renderText(hostile);
    expectTerminalSafe(out);
    expect(out.trimEnd().split('\n')).toHaveLength(2 + results.length);
    expect(out).toContain(`  + failed to create broken: ${terminalSafe(TWILIO_ERROR)}`);
    expect(out).toContain(`  ! blocked delete of legacy (${HELD}): in use by subscription ${terminalSafe(EVIL_SUBSCRIPTION)}`);
    expect(out).toContain(`(${OLD} → ${terminalSafe(`DG9${EVIL}`)})`);
  });

  it('progress lines: the same, on a terminal', () => {
    const written: string[] = [];
    const report = progressReporter({ isTTY: true, write: (s: string) => written.push(s) });
    results.forEach((result, i) => report?.({ completed: i + 1, total: results.length, result }));
    expect(written).toHaveLength(results.length);
    for (const line of written) {
      expect(line.endsWith('\n')).toBe(true);
      expectTerminalSafe(line.slice(0, -1));
      expect(line.slice(0, -1)).not.toContain('\n');
    }
    expect(formatProgress({ completed: 1, total: 4, result: results[0] as ActionResult })).toBe(
      `[1/4] + failed to create broken: ${terminalSafe(TWILIO_ERROR)}`,
    );
  });

  it('markdown: every cell escaped, five cells a row, no HTML, mention, link or code span from the values', () => {
    const md = renderMarkdown(hostile);
    expectMarkdownSafe(md, []);
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(results.length);
    for (const row of rows) expect(row.split('|').length).toBe(7);
    expect(md).toContain(`| ${escapeMarkdown(TWILIO_ERROR)} |`);
    expect(md).toContain(`| ${escapeMarkdown(`in use by subscription ${EVIL_SUBSCRIPTION}`)} |`);
    expect(md).toContain(`| ${escapeMarkdown(`old${EVIL}`)} |`);
  });

  it('json: the values are carried exactly, as JSON strings (no raw C0 control in the document)', () => {
    const json = renderJson(hostile);
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    const doc = JSON.parse(json) as { results: Record<string, unknown>[] };
    expect(doc.results[0]?.['error']).toBe(TWILIO_ERROR);
    expect(doc.results[1]?.['subscriptions']).toEqual([EVIL_SUBSCRIPTION]);
    expect(doc.results[2]?.['new_sid']).toBe(`DG9${EVIL}`);
    expect(doc.results[3]?.['note']).toBe(EVIL);
  });
});
