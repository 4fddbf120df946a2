/**
 * The few GitHub REST calls sinkops makes (issue comments of a pull request, pull requests of a
 * commit), over undici. The token goes only to the configured API origin: a `Link: rel="next"`
 * pointing anywhere else is refused before anything is sent, as the Twilio client refuses a
 * `next_page_url` on another origin. Nothing is retried: a failed comment is reported, and the
 * workflow can be re-run (posting is not idempotent, so a blind retry could post twice). Every
 * answer is bounded: in time (to its last byte), in size, and a list in pages.
 */
import { request } from 'undici';
import { SinkopsError } from '../errors.js';
import { containsSecret, WITHHELD } from '../secrets.js';
import { formatBytes } from '../files.js';
import type { Logger } from '../log/logger.js';
import { describeTransportError } from '../twilio/retry.js';
import { readBodyWithin } from '../twilio/transport.js';
import { VERSION } from '../version.js';
import type { GitHubConfig } from './config.js';
import { nextLink } from './link.js';

/** An issue (or pull-request) comment, as far as sinkops reads it. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** The author's login, for example `github-actions[bot]`; null for a deleted account. */
  readonly author: string | null;
  readonly url: string;
}

export interface PullRequestRef {
  readonly number: number;
  readonly state: string;
  readonly mergedAt: string | null;
  readonly mergeCommitSha: string | null;
}

export interface GitHubClientOptions {
  readonly logger?: Logger;
  /** Per request, from sending it to the last byte of the answer (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * Aborting it cancels the request in flight, and every call then fails at once: with the abort
   * reason when it is a SinkopsError (the CLI's `--deadline`), otherwise with a DEADLINE error.
   */
  readonly signal?: AbortSignal;
  /** The most bytes of one response body read before the call fails (default 16 MiB). */
  readonly maxResponseBytes?: number;
  /** The most pages one list follows before it fails (default 100). */
  readonly maxPages?: number;
}

export const DEFAULT_GITHUB_TIMEOUT_MS = 30_000;
/**
 * A page of 100 comments of at most 65,536 characters each is under 7 MB (UTF-8, JSON-escaped,
 * with the fields around them; typical pages are a few KB): 16 MiB is beyond any real answer.
 */
export const DEFAULT_GITHUB_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** 100 pages of 100: far beyond any real pull request, and a stop for a server that pages forever. */
export const DEFAULT_GITHUB_MAX_PAGES = 100;

/** The abort reason of a request that ran out of time; described like the Twilio client's. */
function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no complete answer within ${ms} ms`), { name: 'TimeoutError' });
}

interface Response {
  readonly status: number;
  readonly link: string | string[] | undefined;
  readonly body: unknown;
}

export class GitHubClient {
  constructor(
    private readonly config: GitHubConfig,
    private readonly options: GitHubClientOptions = {},
  ) {}

  /** Every comment of issue / pull request `pr`, oldest first, following `Link: rel="next"`. */
  async listIssueComments(pr: number): Promise<IssueComment[]> {
    const pages = await this.getAllPages(this.url(`/issues/${pr}/comments?per_page=100`), `the comments of pull request #${pr}`);
    // A comment posted while the pages are read shifts them, so one can appear on two pages: it
    // is one comment, kept where it first appeared.
    const ids = new Set<number>();
    return pages.map(toComment).filter((c) => !ids.has(c.id) && ids.add(c.id));
  }

  async createIssueComment(pr: number, body: string): Promise<IssueComment> {
    const r = await this.send('POST', this.url(`/issues/${pr}/comments`), `posting a comment on pull request #${pr}`, { body });
    return toComment(r.body);
  }

  async updateIssueComment(id: number, body: string): Promise<IssueComment> {
    const r = await this.send('PATCH', this.url(`/issues/comments/${id}`), `editing comment ${id}`, { body });
    return toComment(r.body);
  }

  /** Pull requests that contain commit `sha` (for a push: the one merged as that commit). */
  async pullsForCommit(sha: string): Promise<PullRequestRef[]> {
    const r = await this.send('GET', this.url(`/commits/${encodeURIComponent(sha)}/pulls?per_page=100`), `the pull requests of commit ${sha}`);
    return asArray(r.body, 'pull requests').map(toPullRequest);
  }

  private url(path: string): string {
    return `${this.config.apiUrl}/repos/${encodeURIComponent(this.config.owner)}/${encodeURIComponent(this.config.repo)}${path}`;
  }

  private async getAllPages(first: string, what: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let next: string | undefined = first;
    const maxPages = this.options.maxPages ?? DEFAULT_GITHUB_MAX_PAGES;
    for (let page = 0; next !== undefined; page += 1) {
      if (seen.has(next)) throw unexpected(`the pages of ${what} do not end (page ${page + 1} points back to an earlier one)`);
      if (page === maxPages) throw unexpected(`the pages of ${what} do not end (more than ${maxPages} pages; sinkops stopped following Link: rel="next")`);
      seen.add(next);
      const r: Response = await this.send('GET', next, what);
      items.push(...asArray(r.body, what));
      next = nextLink(r.link);
    }
    return items;
  }

  private async send(method: 'GET' | 'POST' | 'PATCH', url: string, what: string, json?: unknown): Promise<Response> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw unexpected(`a link for ${what} is not a URL`);
    }
    if (target.origin !== this.config.origin) {
      // Checked before the request is built: the token must never leave the configured origin.
      throw new SinkopsError('CONFIG', `GitHub's API pointed ${what} to ${target.origin}, not GITHUB_API_URL's origin ${this.config.origin}; not followed.`, {
        details: ['The token is only sent to GITHUB_API_URL. Check that GITHUB_API_URL is the API address GitHub itself uses.'],
      });
    }
    const timeout = this.options.timeoutMs ?? DEFAULT_GITHUB_TIMEOUT_MS;
    const maxBytes = this.options.maxResponseBytes ?? DEFAULT_GITHUB_MAX_RESPONSE_BYTES;
    const cancel = this.options.signal;
    if (isAborted(cancel)) throw cancelledError(cancel?.reason, method, what);
    // One deadline to the last byte: undici's bodyTimeout only limits each gap between chunks, so a
    // body that trickles forever would pass it. Its own timeouts stay as a backstop.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(timeoutError(timeout)), timeout);
    const onCancel = (): void => deadline.abort(cancel?.reason);
    cancel?.addEventListener('abort', onCancel, { once: true });
    const started = Date.now();
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string | undefined;
    try {
      const res = await request(target, {
        method,
        headers: {
          authorization: `Bearer ${this.config.token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': `sinkops/${VERSION}`,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        signal: deadline.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = res.statusCode;
      headers = res.headers;
      text = await readBodyWithin(res.body, res.headers, maxBytes);
    } catch (e) {
      if (isAborted(cancel)) throw cancelledError(cancel?.reason, method, what);
      throw new SinkopsError('NETWORK', `Could not reach the GitHub API at ${this.config.origin} (${what}): ${describeTransportError(e)}.`, { cause: e });
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
    if (text === undefined) {
      throw new SinkopsError('NETWORK', `The GitHub API's answer for ${what} (${method} ${target.pathname}) is larger than ${formatBytes(maxBytes)}; sinkops stopped reading it.`, {
        details: ['No answer of the GitHub API comes near that size: check GITHUB_API_URL and any proxy in between.'],
      });
    }
    this.options.logger?.debug({ method, path: target.pathname, status, ms: Date.now() - started }, 'github request');
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (status < 400) throw unexpected(`${what}: HTTP ${status} with a body that is not JSON`);
      }
    }
    if (status >= 400) throw httpError(status, body, what, [this.config.token]);
    return { status, link: headers['link'], body };
  }
}

/** A function, not a property read: TypeScript would keep a narrowed `aborted` across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * A call stopped by the caller's signal: its reason when that is a SinkopsError (the CLI's
 * deadline names itself), otherwise a DEADLINE error. A post or edit may have happened.
 */
function cancelledError(reason: unknown, method: string, what: string): SinkopsError {
  const base =
    reason instanceof SinkopsError ? reason : new SinkopsError('DEADLINE', `The GitHub API request for ${what} was cancelled: ${describeTransportError(reason)}.`, { cause: reason });
  if (method === 'GET') return base;
  return new SinkopsError(base.code, base.message, {
    details: [...base.details, `GitHub may have received the request (${what}); look at the pull request before running it again.`],
    cause: base,
  });
}

function unexpected(what: string): SinkopsError {
  return new SinkopsError('NETWORK', `Unexpected response from the GitHub API: ${what}.`);
}

/**
 * GitHub's own explanation, one line, bounded (it is shown, never interpreted); withheld whole when
 * it repeats the token in any encoding (a proxy or a hostile server echoing the request).
 */
function githubMessage(body: unknown, secrets: readonly string[]): string {
  const m = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['message'] : undefined;
  if (typeof m !== 'string') return '';
  return containsSecret(m, secrets) ? `: ${WITHHELD}` : `: ${m.replace(/\s+/g, ' ').slice(0, 200)}`;
}

function httpError(status: number, body: unknown, what: string, secrets: readonly string[]): SinkopsError {
  const message = `GitHub API answered HTTP ${status} for ${what}${githubMessage(body, secrets)}`;
  if (status === 401) return new SinkopsError('CONFIG', message, { details: ['GITHUB_TOKEN was refused: is it set to a valid token?'] });
  if (status === 403) {
    return new SinkopsError('CONFIG', message, {
      details: ['The workflow needs `permissions: pull-requests: write` (a fork pull request gets a read-only token).'],
    });
  }
  if (status === 404) return new SinkopsError('NOT_FOUND', message, { details: ['Check GITHUB_REPOSITORY and the pull-request number.'] });
  return new SinkopsError(status >= 500 ? 'NETWORK' : 'CONFIG', message);
}

function asArray(body: unknown, what: string): unknown[] {
  if (!Array.isArray(body)) throw unexpected(`${what}: expected a JSON array`);
  return body;
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

function toComment(o: unknown): IssueComment {
  const id = field(o, 'id');
  if (typeof id !== 'number') throw unexpected('a comment without an id');
  const body = field(o, 'body');
  const login = field(field(o, 'user'), 'login');
  const url = field(o, 'html_url');
  return { id, body: typeof body === 'string' ? body : '', author: typeof login === 'string' ? login : null, url: typeof url === 'string' ? url : '' };
}

function toPullRequest(o: unknown): PullRequestRef {
  const number = field(o, 'number');
  if (typeof number !== 'number') throw unexpected('a pull request without a number');
  const state = field(o, 'state');
  const mergedAt = field(o, 'merged_at');
  const sha = field(o, 'merge_commit_sha');
  return {
    number,
    state: typeof state === 'string' ? state : '',
    mergedAt: typeof mergedAt === 'string' ? mergedAt : null,
    mergeCommitSha: typeof sha === 'string' ? sha : null,
  };
}
