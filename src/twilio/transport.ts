import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { SinkopsError } from '../errors.js';
import { formatBytes } from '../files.js';
import type { Logger } from '../log/logger.js';
import { twilioApiError } from './errors.js';
import { backoffMs, classifyTransportError, describeTransportError, MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry.js';

/** One API call as the retry loop sees it. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path and query on the configured origin, starting with `/v1/`. */
  readonly path: string;
  /** `application/x-www-form-urlencoded` body. Never logged: a create's holds secrets. */
  readonly form?: string;
  /** Sending it twice has the effect of sending it once, so an unknown outcome may be retried. */
  readonly idempotent: boolean;
  /** A DELETE: a 404 after an attempt whose outcome was unknown means that attempt succeeded. */
  readonly goneIsDone?: boolean;
  /** Said when the call fails after the request may have reached Twilio. */
  readonly unknownOutcomeHint?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON; null for an empty body; undefined for an error body that is not JSON. */
  readonly body: unknown;
}

/**
 * Looks for the effect of a non-idempotent request whose outcome is unknown. `failureSeq` orders
 * the failure against other events of the transport (see `nextSeq`).
 */
export type Reconcile<T> = (failureSeq: number) => Promise<T | undefined>;

export interface TransportSettings {
  readonly dispatcher: Dispatcher;
  readonly origin: string;
  readonly authorization: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly logger: Logger;
  /** Waits between attempts; resolves or rejects early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly onRateLimited: (() => void) | undefined;
  /** The most bytes of one response body that are read; a longer body is cut off and is an error. */
  readonly maxResponseBytes: number;
  /** Cancels every request in flight and every wait between attempts (the CLI's `--deadline`). */
  readonly signal: AbortSignal | undefined;
  /** Which of Twilio's APIs this is, for messages: its name and the variable that sets its origin. */
  readonly api: ApiIdentity;
}

/** An API as messages name it. */
export interface ApiIdentity {
  /** `Events API`, `Accounts API`. */
  readonly name: string;
  /** The environment variable that sets its origin: `TWILIO_EVENTS_BASE_URL`. */
  readonly variable: string;
}

export const EVENTS_API: ApiIdentity = { name: 'Events API', variable: 'TWILIO_EVENTS_BASE_URL' };

/** A response body as undici gives it: a stream of Buffers that can be destroyed. */
export type ResponseBody = AsyncIterable<Buffer> & { destroy(error?: Error): unknown; on?(event: 'error', listener: (error: Error) => void): unknown };

/**
 * The body as text, read only while it stays within `maxBytes`: undefined as soon as it is longer
 * (or says it will be, in Content-Length). The body is then destroyed, which closes the connection,
 * so a server that sends without end costs at most `maxBytes` of memory, never more.
 */
export async function readBodyWithin(body: ResponseBody, headers: IncomingHttpHeaders, maxBytes: number): Promise<string | undefined> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Never read, so nothing else listens: undici's abort of a body that had already arrived whole
    // would otherwise surface as an uncaught 'error' event.
    body.on?.('error', () => undefined);
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** What to tell the user about a request that changes something and may have reached Twilio. */
function outcomeHint(req: ApiRequest): string {
  return req.unknownOutcomeHint ?? 'Twilio may have processed the request.';
}

/** The abort reason of a request that ran out of time; classified like any other timeout. */
function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no complete answer within ${ms} ms`), { name: 'TimeoutError' });
}

type Failure =
  | { readonly kind: 'response'; readonly response: ApiResponse }
  | { readonly kind: 'transport'; readonly error: unknown };

/**
 * Sends requests to one origin with the retry policy of SPEC §7: 429 is retried for every request
 * (Twilio refuses it before doing anything), honouring `Retry-After`; a failure that happened
 * before the connection existed is retried for every request; 5xx, resets and timeouts — where the
 * server may have acted — are retried only for idempotent requests, and otherwise handed to a
 * `Reconcile` that looks for the effect before anything is sent again.
 */
export class HttpTransport {
  private readonly headers: Record<string, string>;
  /** The password and the `user:password` pair of the Authorization header: never shown if a server echoes them. */
  private readonly credentials: readonly string[];
  private readonly formHeaders: Record<string, string>;
  private seq = 0;
  /**
   * Follows `settings.signal`. Every request and wait in flight listens to this one instead of the
   * caller's signal: a parallel apply has hundreds at once, more than an AbortSignal accepts
   * without a leak warning, and the caller's signal keeps a single listener that `dispose` removes.
   */
  private readonly cancel: AbortController | undefined;
  private readonly unlinkCancel: () => void = () => undefined;

  constructor(private readonly s: TransportSettings) {
    // Built once: every request of the run carries the same credentials and identity.
    this.headers = { authorization: s.authorization, 'user-agent': s.userAgent, accept: 'application/json' };
    this.credentials = credentialsOf(s.authorization);
    this.formHeaders = { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' };
    const outer = s.signal;
    if (outer !== undefined) {
      const cancel = new AbortController();
      setMaxListeners(0, cancel.signal);
      this.cancel = cancel;
      const forward = (): void => cancel.abort(outer.reason);
      if (outer.aborted) forward();
      else {
        outer.addEventListener('abort', forward, { once: true });
        this.unlinkCancel = () => outer.removeEventListener('abort', forward);
      }
    }
  }

  /** A method, not a field read: TypeScript would keep a narrowed `aborted` across awaits. */
  private isCancelled(): boolean {
    return this.cancel?.signal.aborted === true;
  }

  /** Stops following the caller's signal (the client is closed). */
  dispose(): void {
    this.unlinkCancel();
  }

  get origin(): string {
    return this.s.origin;
  }

  /** A number that increases with every call; lets a reconciliation tell "before" from "after". */
  nextSeq(): number {
    return ++this.seq;
  }

  async call<T>(req: ApiRequest, parse: (res: ApiResponse) => T, reconcile?: Reconcile<T>): Promise<T> {
    let outcomeUnknown = false;
    for (let attempt = 1; ; attempt++) {
      if (this.isCancelled()) throw this.cancelledError(req, outcomeUnknown);
      const canRetry = attempt <= this.s.maxRetries;
      let failure: Failure;
      try {
        const res = await this.exchange(req, attempt);
        if (res.status < 300) return parse(res);
        if (res.status === 404 && req.goneIsDone === true && outcomeUnknown) return parse(res);
        failure = { kind: 'response', response: res };
      } catch (error) {
        // Cancelled mid-request: not a failure to retry or reconcile; the request may have arrived.
        if (this.isCancelled()) throw this.cancelledError(req, true);
        if (error instanceof SinkopsError) throw error;
        failure = { kind: 'transport', error };
      }
      const failureSeq = this.nextSeq();

      if (failure.kind === 'response' && failure.response.status === 429) {
        this.s.onRateLimited?.();
        const asked = parseRetryAfter(failure.response.headers['retry-after']);
        if (!canRetry) throw this.apiError(req, failure.response, attempt);
        if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) {
          throw this.apiError(req, failure.response, attempt, [
            `Twilio asked to wait ${Math.ceil(asked / 1000)} s before retrying; try again later.`,
          ]);
        }
        await this.wait(req, attempt, asked ?? backoffMs(attempt - 1, this.s.random), 'rate limited', outcomeUnknown);
        continue;
      }

      const kind =
        failure.kind === 'transport'
          ? classifyTransportError(failure.error)
          : failure.response.status >= 500
            ? 'unknown'
            : 'fatal';
      if (kind === 'fatal') throw this.finalError(req, failure, attempt, false);
      if (kind === 'unknown') {
        outcomeUnknown = true;
        if (reconcile !== undefined) {
          // Look before sending again — even when the budget is spent, the request may have worked.
          await this.wait(req, attempt, backoffMs(attempt - 1, this.s.random), 'outcome unknown', true);
          const found = await reconcile(failureSeq).catch((e: unknown) => {
            throw this.withHint(e, req.unknownOutcomeHint);
          });
          this.s.logger.debug({ method: req.method, path: req.path, attempt, found: found !== undefined }, 'twilio reconcile');
          if (found !== undefined) return found;
          if (!canRetry) throw this.finalError(req, failure, attempt, true);
          continue;
        }
        if (!req.idempotent) throw this.finalError(req, failure, attempt, true);
      }
      if (!canRetry) throw this.finalError(req, failure, attempt, outcomeUnknown && !req.idempotent);
      await this.wait(req, attempt, backoffMs(attempt - 1, this.s.random), kind, outcomeUnknown);
    }
  }

  /** A failure while looking for the effect of a request still leaves that request's outcome unknown. */
  private withHint(e: unknown, hint: string | undefined): unknown {
    if (!(e instanceof SinkopsError) || hint === undefined) return e;
    return new SinkopsError(e.code, e.message, { details: [...e.details, hint], cause: e });
  }

  /** Sleeps before the next attempt, unless the calls are cancelled meanwhile. */
  private async wait(req: ApiRequest, attempt: number, ms: number, reason: string, outcomeUnknown: boolean): Promise<void> {
    this.s.logger.debug({ method: req.method, path: req.path, attempt, waitMs: ms, reason }, 'twilio retry');
    try {
      await this.s.sleep(ms, this.cancel?.signal);
    } catch (e) {
      if (this.isCancelled()) throw this.cancelledError(req, outcomeUnknown);
      throw e;
    }
    if (this.isCancelled()) throw this.cancelledError(req, outcomeUnknown);
  }

  /**
   * The error of a call stopped by the caller's signal: its reason when that is a SinkopsError (the
   * CLI's deadline says which one and how to raise it), otherwise a DEADLINE error. A request that
   * changes something and may have reached Twilio says so.
   */
  private cancelledError(req: ApiRequest, mayHaveArrived: boolean): SinkopsError {
    const reason: unknown = this.cancel?.signal.reason;
    const base =
      reason instanceof SinkopsError
        ? reason
        : new SinkopsError('DEADLINE', `${req.method} ${this.pathOnly(req)} to the ${this.s.api.name} was cancelled: ${describeTransportError(reason)}.`, { cause: reason });
    const hint = mayHaveArrived && !req.idempotent ? outcomeHint(req) : undefined;
    return hint === undefined ? base : new SinkopsError(base.code, base.message, { details: [...base.details, hint], cause: base });
  }

  /**
   * One HTTP exchange; the body is read in full (which also frees the connection), up to
   * `maxResponseBytes`, and parsed once. One deadline covers headers and body together, to the last
   * byte: undici's own headersTimeout/bodyTimeout run on coarse ~0.5 s timers, measure the two
   * phases separately, and bodyTimeout only limits each gap between chunks, so a body that trickles
   * a byte at a time would never end under them alone.
   */
  private async exchange(req: ApiRequest, attempt: number): Promise<ApiResponse> {
    const started = performance.now();
    const log = { method: req.method, path: req.path, attempt };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(timeoutError(this.s.timeoutMs)), this.s.timeoutMs);
    const cancel = this.cancel?.signal;
    const onCancel = (): void => deadline.abort(cancel?.reason);
    cancel?.addEventListener('abort', onCancel, { once: true });
    try {
      const res = await this.s.dispatcher.request({
        origin: this.s.origin,
        path: req.path,
        method: req.method,
        headers: req.form === undefined ? this.headers : this.formHeaders,
        body: req.form ?? null,
        signal: deadline.signal,
      });
      const text = await readBodyWithin(res.body, res.headers, this.s.maxResponseBytes);
      if (text === undefined) throw this.tooLargeError(req);
      const durationMs = Math.round(performance.now() - started);
      this.s.logger.debug({ ...log, status: res.statusCode, durationMs }, 'twilio request');
      return { status: res.statusCode, headers: res.headers, body: this.parseBody(text, res.statusCode, req) };
    } catch (error) {
      if (error instanceof SinkopsError) throw error;
      const durationMs = Math.round(performance.now() - started);
      this.s.logger.debug({ ...log, error: describeTransportError(error), durationMs }, 'twilio request failed');
      throw error;
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  /** Never retried: a server that sends this much once will send it again. */
  private tooLargeError(req: ApiRequest): SinkopsError {
    const hint = req.idempotent ? [] : [outcomeHint(req)];
    return new SinkopsError(
      'TWILIO_API',
      `The ${this.s.api.name}'s answer to ${req.method} ${this.pathOnly(req)} is larger than ${formatBytes(this.s.maxResponseBytes)}; sinkops stopped reading it.`,
      {
        details: [
          `No answer of the ${this.s.api.name} comes near that size (a page of 1,000 resources is about 1 MB): check ${this.s.api.variable} and any proxy in between.`,
          ...hint,
        ],
      },
    );
  }

  private parseBody(text: string, status: number, req: ApiRequest): unknown {
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      if (status >= 300) return undefined;
      throw new SinkopsError('TWILIO_API', `Unexpected response from the ${this.s.api.name}: ${req.method} ${this.pathOnly(req)} answered HTTP ${status} with a body that is not JSON.`);
    }
  }

  private pathOnly(req: ApiRequest): string {
    const q = req.path.indexOf('?');
    return q === -1 ? req.path : req.path.slice(0, q);
  }

  private apiError(req: ApiRequest, res: ApiResponse, attempts: number, details: readonly string[] = []): SinkopsError {
    const tries = attempts > 1 ? [`Gave up after ${attempts} attempts.`] : [];
    return twilioApiError(res.status, res.body, {
      secrets: this.credentials,
      context: `${req.method} ${this.pathOnly(req)}`,
      details: [...details, ...tries],
    });
  }

  private finalError(req: ApiRequest, failure: Failure, attempts: number, outcomeUnknown: boolean): SinkopsError {
    const hint = outcomeUnknown ? [outcomeHint(req)] : [];
    if (failure.kind === 'response') return this.apiError(req, failure.response, attempts, hint);
    const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    return new SinkopsError(
      'NETWORK',
      `Could not reach the Twilio ${this.s.api.name} at ${this.s.origin}: ${req.method} ${this.pathOnly(req)} failed: ${describeTransportError(failure.error)}${after}.`,
      { cause: failure.error, details: hint },
    );
  }
}

/** The secrets inside a Basic Authorization header value. */
function credentialsOf(authorization: string): string[] {
  const match = /^Basic (.+)$/.exec(authorization);
  if (match === null) return [authorization];
  const pair = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  return [pair, pair.slice(pair.indexOf(':') + 1)];
}
