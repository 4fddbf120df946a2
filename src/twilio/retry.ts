/**
 * Retry policy pieces, kept free of I/O so that they can be tested on their own: how a transport
 * failure is classified, how long to back off, and what a `Retry-After` header asks for.
 */

export const BACKOFF_BASE_MS = 200;
export const BACKOFF_CAP_MS = 10_000;
/** A longer `Retry-After` is not slept through: the call fails and says how long Twilio asked for. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * - `not-sent`: the connection was never made, so the server cannot have acted; any request may
 *   be sent again.
 * - `unknown`: the request may have reached the server (reset, dropped socket, timeout); only an
 *   idempotent request may be sent again blindly.
 * - `fatal`: retrying cannot help (DNS name does not exist, TLS certificate rejected, …).
 */
export type TransportFailure = 'not-sent' | 'unknown' | 'fatal';

const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const UNKNOWN = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
]);

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Undici wraps the socket's own error (ECONNRESET, …) as `cause`, so both levels are read. */
export function classifyTransportError(e: unknown): TransportFailure {
  const codes = [errorCode(e), errorCode((e as { cause?: unknown } | null)?.cause)];
  if (codes.some((c) => c !== undefined && NOT_SENT.has(c))) return 'not-sent';
  if (codes.some((c) => c !== undefined && UNKNOWN.has(c))) return 'unknown';
  const message = e instanceof Error ? e.message : '';
  if (/other side closed|socket hang up/i.test(message)) return 'unknown';
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) return 'unknown';
  return 'fatal';
}

/** A short, secret-free description of a transport failure for messages and logs. */
export function describeTransportError(e: unknown): string {
  const code = errorCode(e) ?? errorCode((e as { cause?: unknown } | null)?.cause);
  const message = e instanceof Error ? e.message : String(e);
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^retry)). */
export function backoffMs(retryIndex: number, random: () => number): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retryIndex));
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when
 * the header is absent or unreadable, in which case the caller backs off on its own.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  // An HTTP date always names a day or month; Date.parse would also take "-1" as a year.
  if (!/[A-Za-z]/.test(raw)) return undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
