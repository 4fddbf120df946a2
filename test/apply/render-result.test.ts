import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { applyExitCode } from '../../src/cli/exit-code.js';
import { execute } from '../../src/apply/execute.js';
import type { ActionResult, ApplyResult } from '../../src/apply/model.js';
import { formatProgress, progressReporter } from '../../src/apply/progress.js';
import { countResults } from '../../src/apply/execute.js';
import { renderApplyResult, renderJson, renderMarkdown, renderText } from '../../src/apply/render-result.js';
import { FakeSinksApi, remoteSink } from '../helpers/fake-sinks-api.js';
import {
  adoptAction,
  createAction,
  deleteAction,
  fromEnv,
  marker,
  planOf,
  replaceAction,
  spec,
  updateAction,
} from './plan-builders.js';

const SECRET_EXTERNAL = 'ext-id-TOP-SECRET';
const SECRET_WRITE_KEY = 'write-key-TOP-SECRET';
const OLD = 'DG11111111111111111111111111111111';
const UPD = 'DG22222222222222222222222222222222';
const GONE = 'DG33333333333333333333333333333333';
const HELD = 'DG44444444444444444444444444444444';
const SUB = 'DF55555555555555555555555555555555';
const NEW = 'DG99999999999999999999999999999999';

const sink = (sid: string, name: string) => remoteSink({ sid, description: `${name} events ${marker(name)}` });

function result(entries: ActionResult[], dryRun = false): ApplyResult {
  return { results: entries, subscriptions: [], counts: countResults(entries), dryRun };
}

const kinesis = createAction(
  'orders-kinesis',
  spec('orders-kinesis', {
    sinkType: 'kinesis',
    config: { arn: fromEnv('ARN', 'arn:x'), role_arn: fromEnv('ROLE', 'arn:y'), external_id: fromEnv('EXT', SECRET_EXTERNAL) },
  }),
);
const segment = replaceAction(
  sink(OLD, 'seg'),
  'seg',
  spec('seg', { sinkType: 'segment', config: { write_key: fromEnv('WK', SECRET_WRITE_KEY) } }),
);

const sample = result([
  { action: kinesis, status: 'applied', newSid: NEW },
  { action: updateAction(sink(UPD, 'billing'), 'billing'), status: 'applied' },
  { action: segment, status: 'applied', newSid: 'DG88888888888888888888888888888888' },
  { action: deleteAction(sink(GONE, 'old-hook'), 'old-hook'), status: 'applied', note: 'already deleted' },
  { action: deleteAction(sink(HELD, 'legacy'), 'legacy'), status: 'blocked', subscriptions: [SUB], error: `in use by subscription ${SUB}` },
  { action: createAction('broken'), status: 'failed', error: 'Twilio API error 20001 (HTTP 400): bad | <b>pipe</b>' },
]);

describe('renderText', () => {
  it('prints the summary line and one line per action with its symbol', () => {
    expect(renderText(sample)).toBe(
      [
        'Apply complete: 4 applied, 1 blocked, 1 failed.',
        '',
        `  + created orders-kinesis (${NEW})`,
        `  ~ updated billing (${UPD})`,
        `  +/- replaced seg (${OLD} → DG88888888888888888888888888888888)`,
        `  - deleted old-hook (${GONE}): already deleted`,
        `  ! blocked delete of legacy (${HELD}): in use by subscription ${SUB}`,
        '  + failed to create broken: Twilio API error 20001 (HTTP 400): bad | <b>pipe</b>',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing was changed by a dry run, and counts skipped actions', () => {
    const dry = result([{ action: createAction('a'), status: 'planned' }, { action: createAction('b'), status: 'skipped' }], true);
    expect(renderText(dry)).toBe(
      [
        'Dry run: 1 planned, 0 blocked, 0 failed, 1 skipped. Nothing was changed.',
        '',
        '  + would create a',
        '  + skipped create of b: the apply was interrupted',
        '',
      ].join('\n'),
    );
  });

  it('an adopt that replaces says so', () => {
    const adopt = adoptAction(sink(OLD, 'x'), 'pinned', true);
    expect(renderText(result([{ action: adopt, status: 'applied', newSid: NEW }]))).toContain(
      `  +/- adopted and replaced pinned (${OLD} → ${NEW})`,
    );
  });
});

describe('renderMarkdown', () => {
  it('renders a table and escapes API text so it cannot break the table or inject HTML', () => {
    const md = renderMarkdown(sample);
    const lines = md.trimEnd().split('\n');
    expect(lines[0]).toBe('**Apply complete: 4 applied, 1 blocked, 1 failed.**');
    expect(lines[2]).toBe('| | Sink | Result | SID | Detail |');
    expect(lines[4]).toBe(`| \`+\` | orders-kinesis | created | ${NEW} |  |`);
    expect(lines[8]).toBe(`| \`!\` | legacy | blocked delete of | ${HELD} | in use by subscription ${SUB} |`);
    expect(lines[9]).toBe(
      '| `+` | broken | failed to create |  | Twilio API error 20001 (HTTP 400): bad &#124; &lt;b&gt;pipe&lt;/b&gt; |',
    );
    for (const row of lines.slice(4)) expect(row.split('|').length).toBe(7);
  });
});

describe('renderJson', () => {
  it('uses snake_case keys and carries a format version', () => {
    const doc = JSON.parse(renderJson(sample)) as Record<string, unknown>;
    expect(doc['format_version']).toBe(2);
    expect(doc['dry_run']).toBe(false);
    expect(doc['summary']).toEqual({ applied: 4, blocked: 1, failed: 1, skipped: 0, planned: 0 });
    const results = doc['results'] as Record<string, unknown>[];
    expect(results[2]).toEqual({
      action: 'replace',
      name: 'seg',
      status: 'applied',
      sid: OLD,
      new_sid: 'DG88888888888888888888888888888888',
    });
    expect(results[4]).toEqual({
      action: 'delete',
      name: 'legacy',
      status: 'blocked',
      sid: HELD,
      error: `in use by subscription ${SUB}`,
      subscriptions: [SUB],
    });
  });
});

describe('no secrets in any rendering', () => {
  it('renders a real apply with sensitive values in every format without them', async () => {
    const api = new FakeSinksApi({ sinks: [sink(OLD, 'seg')] });
    const applied = await execute(planOf([kinesis, segment]), api, { parallelism: 2, dryRun: false, logger: pino({ level: 'silent' }) });
    // The values were really sent: the fake holds them.
    expect(JSON.stringify([...api.sinks.values()])).toContain(SECRET_EXTERNAL);
    for (const format of ['text', 'markdown', 'json'] as const) {
      const out = renderApplyResult(applied, format);
      expect(out).toContain('orders-kinesis');
      expect(out).not.toContain(SECRET_EXTERNAL);
      expect(out).not.toContain(SECRET_WRITE_KEY);
    }
    const progress = formatProgress({ completed: 1, total: 2, result: applied.results[0] as ActionResult });
    expect(progress).not.toContain(SECRET_EXTERNAL);
  });
});

describe('progress', () => {
  it('writes `[i/n] symbol outcome name (sid)` on a terminal', () => {
    const written: string[] = [];
    const report = progressReporter({ isTTY: true, write: (s: string) => written.push(s) });
    const first = sample.results[0] as ActionResult;
    report?.({ completed: 12, total: 1000, result: first });
    report?.({ completed: 1000, total: 1000, result: sample.results[4] as ActionResult });
    expect(written).toEqual([
      `[  12/1000] + created orders-kinesis (${NEW})\n`,
      `[1000/1000] ! blocked delete of legacy (${HELD}): in use by subscription ${SUB}\n`,
    ]);
  });

  it('writes nothing per action when the stream is not a terminal (a count every few seconds instead: progress.test.ts)', () => {
    const written: string[] = [];
    for (const isTTY of [undefined, false]) {
      const report = progressReporter({ ...(isTTY === undefined ? {} : { isTTY }), write: (s: string) => written.push(s) }, { now: () => 0 });
      report({ completed: 1, total: 2, result: sample.results[0] as ActionResult });
      report({ completed: 2, total: 2, result: sample.results[1] as ActionResult });
    }
    expect(written).toEqual([]);
  });
});

describe('applyExitCode', () => {
  const ok = { action: createAction('a'), status: 'applied' } as const;
  const blocked = { action: deleteAction(sink(HELD, 'h'), 'h'), status: 'blocked', subscriptions: [SUB] } as const;
  const failed = { action: createAction('b'), status: 'failed', error: 'x' } as const;

  it('is 0 when everything applied (or was planned, or there was nothing)', () => {
    expect(applyExitCode(result([ok]))).toBe(0);
    expect(applyExitCode(result([{ action: createAction('a'), status: 'planned' }], true))).toBe(0);
    expect(applyExitCode(result([]))).toBe(0);
  });

  it('is 3 when something was blocked and nothing failed', () => {
    expect(applyExitCode(result([ok, blocked]))).toBe(3);
  });

  it('is 1 when anything failed, blocked or not, or was skipped by an abort', () => {
    expect(applyExitCode(result([ok, blocked, failed]))).toBe(1);
    expect(applyExitCode(result([failed]))).toBe(1);
    expect(applyExitCode(result([{ action: createAction('c'), status: 'skipped' }]))).toBe(1);
  });
});
