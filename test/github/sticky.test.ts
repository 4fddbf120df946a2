import { describe, expect, it } from 'vitest';
import type { IssueComment } from '../../src/github/client.js';
import { nextLink } from '../../src/github/link.js';
import { mergedPullRequest } from '../../src/github/pull-request.js';
import { findSticky, fitComment, headerLines, planHashOf, stickyBody, stickyMarker } from '../../src/github/sticky.js';

const H1 = `sha256:${'a'.repeat(64)}`;
const H2 = `sha256:${'b'.repeat(64)}`;
const comment = (id: number, body: string, author: string | null = 'github-actions[bot]'): IssueComment => ({ id, body, author, url: '' });

describe('sticky comment markers', () => {
  it('reads the plan hash only from the hidden header, never from text further down', () => {
    const body = stickyBody(`<!-- sinkops:plan-hash ${H1} -->\n### sinkops plan\n\`\`\`diff\n<!-- sinkops:plan-hash ${H2} -->\n\`\`\`\n`);
    expect(headerLines(body)).toEqual(['<!-- sinkops:sticky -->', `<!-- sinkops:plan-hash ${H1} -->`]);
    expect(planHashOf(body)).toBe(H1);
    expect(planHashOf(`<!-- sinkops:sticky -->\nPlan skipped.\n<!-- sinkops:plan-hash ${H2} -->\n`)).toBeUndefined();
    expect(planHashOf(`<!-- sinkops:sticky -->\r\n<!-- sinkops:plan-hash ${H2} -->\r\nok`)).toBe(H2); // edited on the web: CRLF
    expect(planHashOf(`<!-- sinkops:plan-hash sha256:${'a'.repeat(63)} -->\n`)).toBeUndefined();
  });

  it('finds the oldest sticky comment of this stack by the expected author', () => {
    const comments = [
      comment(1, 'hello <!-- sinkops:sticky -->'), // marker not in the header
      comment(2, '<!-- sinkops:sticky -->\nforged', 'mallory'),
      comment(3, `${stickyMarker('prod')}\nprod`),
      comment(4, '<!-- sinkops:sticky -->\nours'),
      comment(5, '<!-- sinkops:sticky -->\nduplicate'),
    ];
    expect(findSticky(comments)?.id).toBe(4);
    expect(findSticky(comments, { stack: 'prod' })?.id).toBe(3);
    expect(findSticky(comments, { stack: 'dev' })).toBeUndefined();
    expect(findSticky(comments, { author: 'mallory' })?.id).toBe(2);
  });
});

describe('fitComment', () => {
  it('leaves a body within the limit alone', () => {
    expect(fitComment('x'.repeat(100), 100)).toBe('x'.repeat(100));
  });

  it('keeps the header, notes the cut right after it, and cuts at a line end', () => {
    const body = `<!-- a -->\n<!-- b -->\n${'line of text\n'.repeat(200)}`;
    const cut = fitComment(body, 1000);
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut.startsWith('<!-- a -->\n<!-- b -->\n> **Note:** this comment was cut to fit GitHub\'s limit of 1,000 characters')).toBe(true);
    expect(cut.endsWith('line of text\n')).toBe(true);
    const left = Number(/the last ([\d,]+) characters/.exec(cut)![1]!.replace(/,/g, ''));
    expect(cut.length - cut.indexOf('line of text') + left).toBe(body.length - 22);
  });

  it('never splits a surrogate pair when there is no line end to cut at', () => {
    const cut = fitComment('😀'.repeat(1000), 500);
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('GitHub plumbing', () => {
  it('parses Link: rel="next"', () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=9>; rel="last"')).toBe('https://api.github.com/x?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(['<https://a/1>; rel="prev"', '<https://a/3>; rel=next'])).toBe('https://a/3');
    expect(nextLink(undefined)).toBeUndefined();
  });

  it('picks the pull request merged as the commit, never an open one that contains it', () => {
    const pr = (number: number, merged: boolean, sha: string | null) => ({ number, state: merged ? 'closed' : 'open', mergedAt: merged ? '2024-01-01T00:00:00Z' : null, mergeCommitSha: sha });
    expect(mergedPullRequest([pr(1, false, null), pr(2, true, 'abc')], 'abc')?.number).toBe(2);
    expect(mergedPullRequest([pr(3, true, 'zzz'), pr(4, true, 'abc')], 'abc')?.number).toBe(4);
    expect(mergedPullRequest([pr(5, true, 'zzz')], 'abc')?.number).toBe(5); // rebase merge of an earlier commit
    expect(mergedPullRequest([pr(6, true, 'x'), pr(7, true, 'y')], 'abc')).toBeUndefined();
    expect(mergedPullRequest([pr(8, false, null)], 'abc')).toBeUndefined();
  });
});
