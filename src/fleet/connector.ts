/**
 * One connection pool for every account of a run: they all speak to the same Events API origin,
 * each with its own credentials on its own client (and so its own retries and rate-limit window).
 * A thousand accounts then cost a bounded set of keep-alive sockets, not a pool each.
 */
import { setMaxListeners } from 'node:events';
import { Pool } from 'undici';
import type { AccountCredentials } from '../accounts/model.js';
import type { Logger } from '../log/logger.js';
import { TwilioClient } from '../twilio/client.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_MS } from '../twilio/config.js';

/** Requests one account may have in flight while it is read (its lists, then its subscriptions' events). */
const REQUESTS_PER_ACCOUNT = 20;

export interface ConnectorOptions {
  /** The Events API origin (TWILIO_EVENTS_BASE_URL, or the local account's). */
  readonly baseUrl: string;
  /** Accounts in flight at once: the pool is sized for them. */
  readonly accountConcurrency: number;
  readonly logger: Logger;
  /** The command's deadline or cancellation: every client's requests end with it. */
  readonly signal?: AbortSignal;
}

export class AccountConnector {
  private readonly pool: Pool;
  /**
   * Follows the run's signal. Every account's client listens to it until the run ends, a thousand
   * listeners on one signal: this one is allowed them, without node's leak warning on stderr.
   */
  private readonly runSignal: AbortSignal | undefined;

  constructor(private readonly options: ConnectorOptions) {
    const run = options.signal;
    if (run !== undefined) {
      const follower = new AbortController();
      setMaxListeners(0, follower.signal);
      if (run.aborted) follower.abort(run.reason);
      else run.addEventListener('abort', () => follower.abort(run.reason), { once: true });
      this.runSignal = follower.signal;
    }
    this.pool = new Pool(new URL(options.baseUrl).origin, {
      connections: options.accountConcurrency * REQUESTS_PER_ACCOUNT,
      keepAliveTimeout: 10_000,
      headersTimeout: DEFAULT_TIMEOUT_MS,
      bodyTimeout: DEFAULT_TIMEOUT_MS,
    });
  }

  /** A client for one account on the shared pool; `onRateLimited` narrows that account's apply. */
  open(credentials: AccountCredentials, extra: { onRateLimited?: () => void; signal?: AbortSignal } = {}): TwilioClient {
    const signal = extra.signal ?? this.runSignal;
    return new TwilioClient(
      {
        baseUrl: this.options.baseUrl,
        ...credentials,
        timeoutMs: DEFAULT_TIMEOUT_MS,
        maxRetries: DEFAULT_MAX_RETRIES,
        pageSize: DEFAULT_PAGE_SIZE,
      },
      {
        dispatcher: this.pool,
        logger: this.options.logger,
        ...(extra.onRateLimited === undefined ? {} : { onRateLimited: extra.onRateLimited }),
        ...(signal === undefined ? {} : { signal }),
      },
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
