/**
 * Progress off a terminal (SPEC §9): a CI log gets a count at most every few seconds, never a line
 * per action and never a line for the last action (the summary follows). The clock is injected:
 * nothing here waits.
 */
import { describe, expect, it } from 'vitest';
import type { ActionResult, ProgressEvent, ResultStatus } from '../../src/apply/model.js';
import { formatProgressCount, progressReporter, PROGRESS_INTERVAL_MS } from '../../src/apply/progress.js';
import { createAction } from './plan-builders.js';

const result = (status: ResultStatus): ActionResult => ({ action: createAction('a'), status, ...(status === 'failed' ? { error: 'x' } : {}) });

/** A reporter on a non-terminal stream, with a clock the test moves. */
function reporter(intervalMs?: number) {
  const lines: string[] = [];
  let now = 1_000;
  const report = progressReporter({ isTTY: false, write: (s: string) => lines.push(s) }, { now: () => now, ...(intervalMs === undefined ? {} : { intervalMs }) });
  let completed = 0;
  return {
    lines,
    advance: (ms: number) => void (now += ms),
    finish: (status: ResultStatus, total: number) => report({ completed: ++completed, total, result: result(status) }),
  };
}

describe('progress off a terminal', () => {
  it('prints the count at most once per interval (default 5 s), counted from the start', () => {
    expect(PROGRESS_INTERVAL_MS).toBe(5000);
    const r = reporter();
    r.finish('applied', 1000);
    r.advance(4_999);
    r.finish('applied', 1000);
    expect(r.lines).toEqual([]); // under 5 s since the start
    r.advance(1);
    r.finish('failed', 1000);
    expect(r.lines).toEqual(['[   3/1000] 2 applied, 1 failed\n']);
    // Many actions within the next interval: no line.
    for (let i = 0; i < 100; i += 1) r.finish('applied', 1000);
    r.advance(4_000);
    r.finish('applied', 1000);
    expect(r.lines).toHaveLength(1);
    r.advance(1_000);
    r.finish('blocked', 1000);
    expect(r.lines).toEqual(['[   3/1000] 2 applied, 1 failed\n', '[ 105/1000] 103 applied, 1 blocked, 1 failed\n']);
  });

  it('prints nothing for the last action: the summary follows', () => {
    const r = reporter();
    r.finish('applied', 2);
    r.advance(60_000);
    r.finish('applied', 2);
    expect(r.lines).toEqual([]);
  });

  it('takes another interval, and counts dry-run and skipped results too', () => {
    const r = reporter(100);
    r.advance(100);
    r.finish('planned', 10);
    r.advance(50);
    r.finish('skipped', 10);
    r.advance(50);
    r.finish('skipped', 10);
    expect(r.lines).toEqual(['[ 1/10] 1 planned\n', '[ 3/10] 2 skipped, 1 planned\n']);
  });

  it('words the count in the order of the summary, leaving out what is 0', () => {
    const event: ProgressEvent = { completed: 7, total: 12, result: result('applied') };
    expect(formatProgressCount(event, { applied: 4, blocked: 0, failed: 2, skipped: 1, planned: 0 })).toBe('[ 7/12] 4 applied, 2 failed, 1 skipped');
  });
});
