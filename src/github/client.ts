/**
 * The few GitHub REST calls sinkops makes (issue comments of a pull request or an issue, the issues
 * of the repository, pull requests of a commit), over undici. The token goes only to the configured
 * API origin: a `Link: rel="next"` pointing anywhere else is refused before anything is sent, as the
 * Twilio client refuses a `next_page_url` on another origin. Every answer is bounded: in time (to
 * its last byte), in size, and a list in pages.
 *
 * Retries (a bounded number of attempts, exponential backoff with full jitter between them):
 * - GitHub's rate limits (429, or 403 with `retry-after` or `x-ratelimit-remaining: 0`, or saying
 *   "rate limit") are retried for every request, GitHub having refused it before acting: after
 *   `retry-after`, else at `x-ratelimit-reset`, else after a minute (GitHub's advice for a
 *   secondary limit). A wait longer than `maxWaitMs` is not slept through: the call fails and says
 *   until when GitHub asked to wait.
 * - A failure before the connection existed (refused, no route) is retried for every request.
 * - 5xx, resets and timeouts, after which GitHub may have acted, are retried only for idempotent
 *   requests (GET; PATCH of a body or a state, which sets them to the same value again). A POST
 *   (a new comment or issue) is never sent again blindly: its caller's `find` lists what exists and
 *   looks for the marker the body carries; found, that is the answer; not found, it is sent again.
 *   Without `find`, the call fails and says that GitHub may have received it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import { SinkopsError } from '../errors.js';
import { containsSecret, WITHHELD } from '../secrets.js';
import { formatBytes } from '../files.js';
import type { Logger } from '../log/logger.js';
import { backoffMs, classifyTransportError, describeTransportError, parseRetryAfter } from '../twilio/retry.js';
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

/** An issue, as far as sinkops reads it (never a pull request: those are left out of lists). */
export interface Issue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  /** The author's login; null for a deleted account. */
  readonly author: string | null;
  /** `open` or `closed`. */
  readonly state: string;
  readonly url: string;
}

export interface PullRequestRef {
  readonly number: number;
  readonly state: string;
  readonly mergedAt: string | null;
  readonly mergeCommitSha: string | null;
}

/** Where a comment is: both kinds share GitHub's issue-comment API. Only named in messages. */
export type Thread = 'pull request' | 'issue';

export interface IssueQuery {
  readonly state: 'open' | 'closed';
  /** `created` (oldest first) or `updated` (most recently updated first). */
  readonly order: 'created' | 'updated';
  /** The most pages read; fewer than the client's maxPages stops there without failing. */
  readonly pages?: number;
}

export interface IssueFields {
  readonly title?: string;
  readonly body?: string;
  readonly state?: 'open' | 'closed';
  /** With `state: closed`: `completed` or `not_planned`. */
  readonly stateReason?: 'completed' | 'not_planned';
}

/**
 * Looks, after a POST whose outcome is unknown, for what it would have made (by the hidden marker
 * its body carries). Undefined: not made, so it may be sent again.
 */
export type Find<T> = () => Promise<T | undefined>;

export interface GitHubClientOptions {
  readonly logger?: Logger;
  /** Per request, from sending it to the last byte of the answer (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * Aborting it cancels the request in flight and any wait between attempts, and every call then
   * fails at once: with the abort reason when it is a SinkopsError (the CLI's `--deadline`),
   * otherwise with a DEADLINE error.
   */
  readonly signal?: AbortSignal;
  /** The most bytes of one response body read before the call fails (default 16 MiB). */
  readonly maxResponseBytes?: number;
  /** The most pages one list follows before it fails (default 100). */
  readonly maxPages?: number;
  /** Attempts after the first one, shared by every kind of retry of one request (default 4). */
  readonly maxRetries?: number;
  /** The longest wait GitHub's rate limit may ask for; a longer one fails the call (default 120 s). */
  readonly maxWaitMs?: number;
  /** Waits between attempts; should end early when its signal aborts (the default does). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For the jitter (default Math.random). */
  readonly random?: () => number;
  /** For `x-ratelimit-reset` and HTTP-date `retry-after` (default Date.now). */
  readonly now?: () => number;
}

export const DEFAULT_GITHUB_TIMEOUT_MS = 30_000;
/**
 * A page of 100 comments of at most 65,536 characters each is under 7 MB (UTF-8, JSON-escaped,
 * with the fields around them; typical pages are a few KB): 16 MiB is beyond any real answer.
 */
export const DEFAULT_GITHUB_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** 100 pages of 100: far beyond any real pull request, and a stop for a server that pages forever. */
export const DEFAULT_GITHUB_MAX_PAGES = 100;
/** Five attempts in all. */
export const DEFAULT_GITHUB_MAX_RETRIES = 4;
/**
 * Two minutes: GitHub asks for at least one minute after a secondary rate limit that names no time.
 * A primary limit spent until its hourly reset fails instead (a job waiting most of an hour holds
 * its runner and the pull request's queue for nothing).
 */
export const DEFAULT_GITHUB_MAX_WAIT_MS = 120_000;
/** GitHub: a rate limit with neither `retry-after` nor a reset to wait for → wait at least a minute. */
export const RATE_LIMIT_DEFAULT_WAIT_MS = 60_000;
/**
 * The project's backoff (src/twilio/retry.ts: full jitter, 200 ms doubling, capped at 10 s) taken
 * two steps up for GitHub, whose 5xx last seconds rather than a fraction of one: the n-th retry
 * waits a uniform time below 0.8, 1.6, 3.2, 6.4 s.
 */
const BACKOFF_STEPS_UP = 2;
/** Waiting until `x-ratelimit-reset` (whole seconds) ends that second, not before it. */
const RESET_MARGIN_MS = 1000;

/** The abort reason of a request that ran out of time; described like the Twilio client's. */
function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no complete answer within ${ms} ms`), { name: 'TimeoutError' });
}

export interface GitHubResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

/** One request as the retry loop sees it. */
interface Call {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  /** What it is about, for messages: `the comments of pull request #7`. */
  readonly what: string;
  readonly json?: unknown;
  /** Sending it twice has the effect of sending it once, so an unknown outcome may be retried. */
  readonly idempotent: boolean;
  /** The permission a 403 (not a rate limit) most likely lacks. */
  readonly permission: string;
}

type Attempt = { readonly kind: 'answer'; readonly response: GitHubResponse } | { readonly kind: 'transport'; readonly error: unknown };

export class GitHubClient {
  constructor(
    private readonly config: GitHubConfig,
    private readonly options: GitHubClientOptions = {},
  ) {}

  /** Every comment of pull request or issue `n`, oldest first, following `Link: rel="next"`. */
  async listIssueComments(n: number, thread: Thread = 'pull request'): Promise<IssueComment[]> {
    const pages = await this.getAllPages(this.url(`/issues/${n}/comments?per_page=100`), `the comments of ${thread} #${n}`, permissionFor(thread));
    // A comment posted while the pages are read shifts them, so one can appear on two pages: it
    // is one comment, kept where it first appeared.
    const ids = new Set<number>();
    return pages.map(toComment).filter((c) => !ids.has(c.id) && ids.add(c.id));
  }

  /**
   * Posts a comment. When GitHub may have received the request but its answer was lost, `find`
   * looks for the comment before anything is sent again; without it, the call fails saying so.
   */
  async createIssueComment(n: number, body: string, options: { readonly thread?: Thread; readonly find?: Find<IssueComment> } = {}): Promise<IssueComment> {
    const thread = options.thread ?? 'pull request';
    const call: Call = {
      method: 'POST',
      url: this.url(`/issues/${n}/comments`),
      what: `posting a comment on ${thread} #${n}`,
      json: { body },
      idempotent: false,
      permission: permissionFor(thread),
    };
    return this.call(call, (r) => toComment(r.body), options.find);
  }

  /** Sets a comment's body: idempotent, so retried like a read. */
  async updateIssueComment(id: number, body: string): Promise<IssueComment> {
    const call: Call = { method: 'PATCH', url: this.url(`/issues/comments/${id}`), what: `editing comment ${id}`, json: { body }, idempotent: true, permission: permissionFor('pull request') };
    return this.call(call, (r) => toComment(r.body));
  }

  /**
   * Issues of the repository, pull requests left out. `order: created` reads every page (oldest
   * first); `pages` stops early, for "the most recent few".
   */
  async listIssues(query: IssueQuery): Promise<Issue[]> {
    const params = query.order === 'created' ? 'sort=created&direction=asc' : 'sort=updated&direction=desc';
    const what = `the ${query.state} issues of ${this.config.owner}/${this.config.repo}`;
    const pages = await this.getAllPages(this.url(`/issues?state=${query.state}&${params}&per_page=100`), what, permissionFor('issue'), query.pages);
    const numbers = new Set<number>();
    return pages.flatMap((o) => (isPullRequest(o) ? [] : [toIssue(o)])).filter((i) => !numbers.has(i.number) && numbers.add(i.number));
  }

  /** Opens an issue; `find` as for createIssueComment. */
  async createIssue(fields: { readonly title: string; readonly body: string; readonly labels?: readonly string[] }, options: { readonly find?: Find<Issue> } = {}): Promise<Issue> {
    const json = { title: fields.title, body: fields.body, ...(fields.labels === undefined || fields.labels.length === 0 ? {} : { labels: fields.labels }) };
    const call: Call = { method: 'POST', url: this.url('/issues'), what: `opening an issue in ${this.config.owner}/${this.config.repo}`, json, idempotent: false, permission: permissionFor('issue') };
    return this.call(call, (r) => toIssue(r.body), options.find);
  }

  /** Sets an issue's title, body or state: each set to a value, so idempotent and retried. */
  async updateIssue(n: number, fields: IssueFields): Promise<Issue> {
    const json = {
      ...(fields.title === undefined ? {} : { title: fields.title }),
      ...(fields.body === undefined ? {} : { body: fields.body }),
      ...(fields.state === undefined ? {} : { state: fields.state }),
      ...(fields.stateReason === undefined ? {} : { state_reason: fields.stateReason }),
    };
    const call: Call = { method: 'PATCH', url: this.url(`/issues/${n}`), what: `editing issue #${n}`, json, idempotent: true, permission: permissionFor('issue') };
    return this.call(call, (r) => toIssue(r.body));
  }

  /** Pull requests that contain commit `sha` (for a push: the one merged as that commit). */
  async pullsForCommit(sha: string): Promise<PullRequestRef[]> {
    const call: Call = {
      method: 'GET',
      url: this.url(`/commits/${encodeURIComponent(sha)}/pulls?per_page=100`),
      what: `the pull requests of commit ${sha}`,
      idempotent: true,
      permission: 'contents: read',
    };
    return this.call(call, (r) => asArray(r.body, 'pull requests').map(toPullRequest));
  }

  private url(path: string): string {
    return `${this.config.apiUrl}/repos/${encodeURIComponent(this.config.owner)}/${encodeURIComponent(this.config.repo)}${path}`;
  }

  /** `limit` pages at most, quietly (the caller wants only the first few); the client's maxPages, loudly. */
  private async getAllPages(first: string, what: string, permission: string, limit?: number): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let next: string | undefined = first;
    const maxPages = this.options.maxPages ?? DEFAULT_GITHUB_MAX_PAGES;
    for (let page = 0; next !== undefined && (limit === undefined || page < limit); page += 1) {
      if (seen.has(next)) throw unexpected(`the pages of ${what} do not end (page ${page + 1} points back to an earlier one)`);
      if (page === maxPages) throw unexpected(`the pages of ${what} do not end (more than ${maxPages} pages; sinkops stopped following Link: rel="next")`);
      seen.add(next);
      const r: GitHubResponse = await this.call({ method: 'GET', url: next, what, idempotent: true, permission }, (res) => res);
      items.push(...asArray(r.body, what));
      next = nextLink(r.headers['link']);
    }
    return items;
  }

  /** The retry loop (see the top of this file). */
  private async call<T>(call: Call, parse: (r: GitHubResponse) => T, find?: Find<T>): Promise<T> {
    const maxRetries = this.options.maxRetries ?? DEFAULT_GITHUB_MAX_RETRIES;
    let outcomeUnknown = false;
    for (let attempt = 1; ; attempt += 1) {
      const canRetry = attempt <= maxRetries;
      const result = await this.attempt(call, attempt);
      if (result.kind === 'answer') {
        const res = result.response;
        if (res.status < 400) return parse(res);
        const limited = rateLimit(res, this.now());
        if (limited !== undefined) {
          const wait = limited.waitMs ?? RATE_LIMIT_DEFAULT_WAIT_MS;
          const maxWait = this.options.maxWaitMs ?? DEFAULT_GITHUB_MAX_WAIT_MS;
          if (wait > maxWait) throw withDetails(this.rateLimitTooLong(call, res, wait, maxWait), outcomeUnknown ? [mayHaveHint(call)] : []);
          if (!canRetry) throw this.httpFailure(call, res, attempt, outcomeUnknown);
          await this.wait(call, attempt, wait, 'rate limited');
          continue;
        }
        if (res.status < 500) throw this.httpFailure(call, res, attempt, outcomeUnknown);
      }
      const kind = result.kind === 'transport' ? classifyTransportError(result.error) : 'unknown';
      if (kind === 'fatal') throw this.finalError(call, result, attempt, outcomeUnknown);
      if (kind === 'unknown' && !call.idempotent) {
        outcomeUnknown = true;
        if (find === undefined) throw this.finalError(call, result, attempt, true);
        // Look before sending again; even with no attempt left, the request may have worked.
        await this.wait(call, attempt, this.backoff(attempt), 'outcome unknown');
        const found = await find().catch((e: unknown) => {
          throw withDetail(e, mayHaveHint(call));
        });
        this.options.logger?.debug({ method: call.method, what: call.what, attempt, found: found !== undefined }, 'github reconcile');
        if (found !== undefined) return found;
        if (!canRetry) throw this.finalError(call, result, attempt, true);
        continue;
      }
      if (!canRetry) throw this.finalError(call, result, attempt, outcomeUnknown);
      await this.wait(call, attempt, this.backoff(attempt), kind === 'not-sent' ? 'not sent' : 'server error or lost answer');
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt - 1 + BACKOFF_STEPS_UP, this.options.random ?? Math.random);
  }

  /** Sleeps before the next attempt, unless the caller's signal aborts meanwhile. */
  private async wait(call: Call, attempt: number, ms: number, reason: string): Promise<void> {
    this.options.logger?.debug({ method: call.method, what: call.what, attempt, waitMs: ms, reason }, 'github retry');
    const cancel = this.options.signal;
    const sleep = this.options.sleep ?? ((t: number, signal?: AbortSignal) => delay(t, undefined, signal === undefined ? {} : { signal }));
    try {
      await sleep(ms, cancel);
    } catch (e) {
      if (isAborted(cancel)) throw cancelledError(cancel?.reason, call);
      throw e;
    }
    if (isAborted(cancel)) throw cancelledError(cancel?.reason, call);
  }

  /**
   * One exchange. A transport failure is returned for the loop to classify; what no retry can
   * help (another origin, an endless body, a 2xx that is not JSON, the caller's cancel) throws.
   */
  private async attempt(call: Call, attempt: number): Promise<Attempt> {
    const { method, what } = call;
    let target: URL;
    try {
      target = new URL(call.url);
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
    if (isAborted(cancel)) throw cancelledError(cancel?.reason, call);
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
          ...(call.json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(call.json === undefined ? {} : { body: JSON.stringify(call.json) }),
        signal: deadline.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = res.statusCode;
      headers = res.headers;
      text = await readBodyWithin(res.body, res.headers, maxBytes);
    } catch (e) {
      if (isAborted(cancel)) throw cancelledError(cancel?.reason, call);
      this.options.logger?.debug({ method, path: target.pathname, attempt, error: describeTransportError(e), ms: Date.now() - started }, 'github request failed');
      return { kind: 'transport', error: e };
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
    if (text === undefined) {
      throw new SinkopsError('NETWORK', `The GitHub API's answer for ${what} (${method} ${target.pathname}) is larger than ${formatBytes(maxBytes)}; sinkops stopped reading it.`, {
        details: ['No answer of the GitHub API comes near that size: check GITHUB_API_URL and any proxy in between.'],
      });
    }
    this.options.logger?.debug({ method, path: target.pathname, attempt, status, ms: Date.now() - started }, 'github request');
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (status < 400) throw unexpected(`${what}: HTTP ${status} with a body that is not JSON`);
      }
    }
    return { kind: 'answer', response: { status, headers, body } };
  }

  private httpFailure(call: Call, res: GitHubResponse, attempts: number, outcomeUnknown: boolean): SinkopsError {
    const e = httpError(res.status, res.body, call, [this.config.token]);
    return withDetails(e, [...(attempts > 1 ? [`Gave up after ${attempts} attempts.`] : []), ...(outcomeUnknown ? [mayHaveHint(call)] : [])]);
  }

  private finalError(call: Call, result: Attempt, attempts: number, outcomeUnknown: boolean): SinkopsError {
    if (result.kind === 'answer') return this.httpFailure(call, result.response, attempts, outcomeUnknown);
    const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    return new SinkopsError('NETWORK', `Could not reach the GitHub API at ${this.config.origin} (${call.what}): ${describeTransportError(result.error)}${after}.`, {
      details: outcomeUnknown ? [mayHaveHint(call)] : [],
      cause: result.error,
    });
  }

  private rateLimitTooLong(call: Call, res: GitHubResponse, waitMs: number, maxWaitMs: number): SinkopsError {
    const until = new Date(this.now() + waitMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return new SinkopsError(
      'NETWORK',
      `GitHub's rate limit stopped ${call.what}: it asks to wait ${formatWait(waitMs)} (until ${until}), longer than sinkops waits (${formatWait(maxWaitMs)}).`,
      {
        details: [
          `GitHub answered HTTP ${res.status}${githubMessage(res.body, [this.config.token])}`,
          'Run it again after that time. The limit belongs to the token: other jobs using it spend it too.',
        ],
      },
    );
  }
}

/** `45 s`, `52 min`. */
function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

function permissionFor(thread: Thread): string {
  return thread === 'issue' ? 'issues: write' : 'pull-requests: write';
}

function header(res: GitHubResponse, name: string): string | undefined {
  const v = res.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim();
}

/**
 * Whether GitHub refused the request for a rate limit
 * (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api), and how long it
 * asks to wait: `retry-after`, else until `x-ratelimit-reset` when none is left, else unknown.
 */
export function rateLimit(res: GitHubResponse, now: number): { readonly waitMs: number | undefined } | undefined {
  if (res.status !== 429 && res.status !== 403) return undefined;
  const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
  const spent = header(res, 'x-ratelimit-remaining') === '0';
  const message = field(res.body, 'message');
  const says = typeof message === 'string' && /rate limit/i.test(message);
  if (res.status === 403 && retryAfter === undefined && !spent && !says) return undefined;
  if (retryAfter !== undefined) return { waitMs: retryAfter };
  const reset = header(res, 'x-ratelimit-reset');
  if (spent && reset !== undefined && /^\d{1,12}$/.test(reset)) return { waitMs: Math.max(0, Number(reset) * 1000 - now) + RESET_MARGIN_MS };
  return { waitMs: undefined };
}

/** A function, not a property read: TypeScript would keep a narrowed `aborted` across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** Said when a request that changes something failed after GitHub may have received it. */
function mayHaveHint(call: Call): string {
  return `GitHub may have received the request (${call.what}); check before running it again.`;
}

/**
 * A call stopped by the caller's signal: its reason when that is a SinkopsError (the CLI's
 * deadline names itself), otherwise a DEADLINE error. A post or edit may have happened.
 */
function cancelledError(reason: unknown, call: Call): SinkopsError {
  const base =
    reason instanceof SinkopsError
      ? reason
      : new SinkopsError('DEADLINE', `The GitHub API request for ${call.what} was cancelled: ${describeTransportError(reason)}.`, { cause: reason });
  return call.method === 'GET' ? base : withDetails(base, [mayHaveHint(call)]);
}

/** The same error with more detail lines (its cause kept). */
function withDetails(e: SinkopsError, details: readonly string[]): SinkopsError {
  if (details.length === 0) return e;
  return new SinkopsError(e.code, e.message, { details: [...e.details, ...details], cause: e.cause ?? e });
}

function withDetail(e: unknown, detail: string): unknown {
  return e instanceof SinkopsError ? withDetails(e, [detail]) : e;
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

function httpError(status: number, body: unknown, call: Call, secrets: readonly string[]): SinkopsError {
  const message = `GitHub API answered HTTP ${status} for ${call.what}${githubMessage(body, secrets)}`;
  if (status === 401) return new SinkopsError('CONFIG', message, { details: ['GITHUB_TOKEN was refused: is it set to a valid token?'] });
  if (status === 403) {
    const fork = call.permission === 'pull-requests: write' ? ' (a fork pull request gets a read-only token)' : '';
    return new SinkopsError('CONFIG', message, { details: [`The workflow needs \`permissions: ${call.permission}\`${fork}.`] });
  }
  if (status === 404) return new SinkopsError('NOT_FOUND', message, { details: ['Check GITHUB_REPOSITORY and the pull-request or issue number.'] });
  if (status === 410) return new SinkopsError('CONFIG', message, { details: ['Issues may be turned off for this repository (Settings → General → Features).'] });
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

/** GitHub lists pull requests among the issues; they carry a `pull_request` key. */
function isPullRequest(o: unknown): boolean {
  const pr = field(o, 'pull_request');
  return pr !== undefined && pr !== null;
}

function toIssue(o: unknown): Issue {
  const number = field(o, 'number');
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) throw unexpected('an issue without a number');
  const title = field(o, 'title');
  const body = field(o, 'body');
  const login = field(field(o, 'user'), 'login');
  const state = field(o, 'state');
  const url = field(o, 'html_url');
  return {
    number,
    title: typeof title === 'string' ? title : '',
    body: typeof body === 'string' ? body : '',
    author: typeof login === 'string' ? login : null,
    state: typeof state === 'string' ? state : '',
    url: typeof url === 'string' ? url : '',
  };
}
