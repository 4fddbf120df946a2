/**
 * What every Twilio client of sinkops speaks through: one keep-alive pool on one origin (or a
 * dispatcher the caller owns) and an HttpTransport with the retry policy, deadlines and response
 * size limit of SPEC §7. The Events API client and the Accounts API client both open theirs here,
 * so the two cannot drift apart in how they send credentials or when they retry.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import { SILENT_LOGGER, type Logger } from '../log/logger.js';
import { VERSION } from '../version.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './config.js';
import { EVENTS_API, HttpTransport, type ApiIdentity } from './transport.js';

/** The part of a client's configuration that the connection needs. */
export interface ConnectionConfig {
  /** The API origin (no path); requests and their credentials never go anywhere else. */
  readonly baseUrl: string;
  /** HTTP Basic user: an Account SID or an API key SID. */
  readonly username: string;
  /** HTTP Basic password: an auth token or an API key secret. */
  readonly password: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Which API, for messages (default the Events API). */
  readonly api?: ApiIdentity;
}

export interface ConnectionOptions {
  readonly logger?: Logger;
  /** Replaces the connection pool (tests pass undici's MockAgent, a run of many accounts its shared pool). Not closed by `close()`. */
  readonly dispatcher?: Dispatcher;
  /** Waits between attempts; should end early when its signal aborts (the default does). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Called on every 429, so that an executor can narrow its concurrency. */
  readonly onRateLimited?: () => void;
  readonly userAgent?: string;
  /**
   * Aborting it cancels every request in flight and every wait between retries, and every call
   * then fails at once: with the abort reason when it is a SinkopsError (the CLI's `--deadline`
   * makes a DEADLINE error that names the deadline), otherwise with a DEADLINE error.
   */
  readonly signal?: AbortSignal;
  /** The most bytes of one response body read before the call fails (default 32 MiB). */
  readonly maxResponseBytes?: number;
}

/** Enough keep-alive connections for the widest parallel apply (the executor bounds it lower). */
export const POOL_CONNECTIONS = 32;
const KEEP_ALIVE_MS = 10_000;

export interface Connection {
  readonly transport: HttpTransport;
  readonly logger: Logger;
  /** Stops following the caller's signal and closes the pool this connection opened (never an injected dispatcher). */
  close(): Promise<void>;
}

export function openConnection(config: ConnectionConfig, options: ConnectionOptions = {}): Connection {
  const origin = new URL(config.baseUrl).origin;
  const logger = options.logger ?? SILENT_LOGGER;
  // An injected dispatcher (MockAgent in tests) replaces the pool and stays the caller's to close.
  let ownPool: Pool | undefined;
  let dispatcher: Dispatcher;
  if (options.dispatcher === undefined) {
    // The per-request deadline is the transport's; the pool's socket timeouts only back it up.
    ownPool = new Pool(origin, {
      connections: POOL_CONNECTIONS,
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
    });
    dispatcher = ownPool;
  } else {
    dispatcher = options.dispatcher;
  }
  const credentials = Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64');
  const transport = new HttpTransport({
    dispatcher,
    origin,
    api: config.api ?? EVENTS_API,
    authorization: `Basic ${credentials}`,
    userAgent: options.userAgent ?? `sinkops/${VERSION}`,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    logger,
    sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal })),
    random: options.random ?? Math.random,
    onRateLimited: options.onRateLimited,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    signal: options.signal,
  });
  let closed: Promise<void> | undefined;
  return {
    transport,
    logger,
    close() {
      transport.dispose();
      closed ??= ownPool?.close() ?? Promise.resolve();
      return closed;
    },
  };
}
