/**
 * THE sticky pull-request comment (SPEC §9): one comment per pull request (and stack) that each
 * plan run edits in place, found by a hidden marker on its first line. Only comments written by
 * the expected author count (by default the Actions token's `github-actions[bot]`): anyone may
 * comment on a public pull request, and a stranger's comment with the marker must neither be
 * edited nor be taken for the reviewed plan.
 *
 * A comment's *header* is its leading run of `<!-- … -->` lines (sticky marker, plan hash). Markers
 * are read only there, so text further down (a sink description shown in a diff) cannot pose as one.
 */
import { randomBytes } from 'node:crypto';
import { parsePlanHashComment } from '../plan/plan-hash.js';
import type { GitHubClient, IssueComment } from './client.js';

/** GitHub refuses a comment body longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** The author of comments made with the workflow's GITHUB_TOKEN. */
export const DEFAULT_COMMENT_AUTHOR = 'github-actions[bot]';

export function stickyMarker(stack?: string): string {
  return stack === undefined ? '<!-- sinkops:sticky -->' : `<!-- sinkops:sticky:${stack} -->`;
}

function isHiddenLine(line: string): boolean {
  return /^<!--.*-->$/.test(line.trim());
}

/** The leading `<!-- … -->` lines of a body (GitHub may store line ends as CRLF). */
export function headerLines(body: string): string[] {
  const lines = body.split(/\r?\n/);
  const end = lines.findIndex((l) => !isHiddenLine(l));
  return lines.slice(0, end === -1 ? lines.length : end).map((l) => l.trim());
}

/** The plan hash in a comment's header, if it has one. */
export function planHashOf(body: string): string | undefined {
  for (const line of headerLines(body)) {
    const hash = parsePlanHashComment(line);
    if (hash !== undefined) return hash;
  }
  return undefined;
}

/**
 * `body` cut to `limit` characters when longer, header kept and a note put right after it (a note
 * at the end could land inside a code block left open by the cut). Cuts at a line end when one is
 * near, and never inside a surrogate pair.
 */
export function fitComment(body: string, limit = GITHUB_COMMENT_LIMIT, noun: 'comment' | 'issue' = 'comment'): string {
  if (body.length <= limit) return body;
  const header = headerLines(body);
  const headText = header.length === 0 ? '' : `${header.join('\n')}\n`;
  const rest = body.split(/\r?\n/).slice(header.length).join('\n');
  const note = (left: number) =>
    `> **Note:** this ${noun} was cut to fit GitHub's limit of ${limit.toLocaleString('en-US')} characters: the last ${left.toLocaleString('en-US')} characters were left out. The workflow run's job summary has the full text.\n\n`;
  const budget = Math.max(0, limit - headText.length - note(rest.length).length);
  let cut = budget;
  const lineEnd = rest.lastIndexOf('\n', budget);
  if (lineEnd > budget / 2) cut = lineEnd + 1;
  else if (cut > 0 && /[\uD800-\uDBFF]/.test(rest.charAt(cut - 1))) cut -= 1;
  return (headText + note(rest.length - cut) + rest.slice(0, cut)).slice(0, limit);
}

export interface StickyOptions {
  readonly stack?: string;
  /** Only this author's comments are candidates (default `github-actions[bot]`). */
  readonly author?: string;
}

/** The sticky comment of this stack among `comments` (the oldest when there are several). */
export function findSticky(comments: readonly IssueComment[], options: StickyOptions = {}): IssueComment | undefined {
  const marker = stickyMarker(options.stack);
  const author = options.author ?? DEFAULT_COMMENT_AUTHOR;
  return comments.find((c) => c.author === author && headerLines(c.body).includes(marker));
}

/** The sticky comment's full body: its marker, then `content`, within GitHub's limit. */
export function stickyBody(content: string, stack?: string): string {
  return fitComment(`${stickyMarker(stack)}\n${content}`);
}

export interface UpsertResult {
  /** `unchanged`: the comment already says exactly this, so it is not edited (no "edited" mark, no notification). */
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly comment: IssueComment;
}

/**
 * Edits the sticky comment of pull request `pr` in place, or creates it. A create whose answer is
 * lost is not sent again before the comments are listed anew: the sticky found there is the one
 * it made (or one a concurrent run made), and is edited to this body if it says something else.
 */
export async function upsertSticky(client: GitHubClient, pr: number, content: string, options: StickyOptions = {}): Promise<UpsertResult> {
  const body = stickyBody(content, options.stack);
  const existing = findSticky(await client.listIssueComments(pr), options);
  if (existing !== undefined && sameText(existing.body, body)) return { action: 'unchanged', comment: existing };
  if (existing !== undefined) return { action: 'updated', comment: await client.updateIssueComment(existing.id, body) };
  const created = await client.createIssueComment(pr, body, { find: async () => findSticky(await client.listIssueComments(pr), options) });
  if (sameText(created.body, body)) return { action: 'created', comment: created };
  return { action: 'created', comment: await client.updateIssueComment(created.id, body) };
}

/** GitHub may store line ends as CRLF (a body edited on the web). */
export function sameText(stored: string, body: string): boolean {
  return stored.replace(/\r\n/g, '\n') === body;
}

/**
 * Posts `content` as a new comment (not the sticky one: apply results). Its first line is a hidden
 * `<!-- sinkops:post NONCE -->`, a fresh random nonce, so that a post whose answer was lost is
 * looked for, and found, before it is sent again.
 */
export async function postComment(client: GitHubClient, pr: number, content: string): Promise<IssueComment> {
  const marker = `<!-- sinkops:post ${randomBytes(12).toString('hex')} -->`;
  const find = async (): Promise<IssueComment | undefined> => (await client.listIssueComments(pr)).find((c) => headerLines(c.body).includes(marker));
  return client.createIssueComment(pr, fitComment(`${marker}\n${content}`), { find });
}
