import type { DesiredSink } from '../desired/model.js';
import type { Io } from '../io.js';
import { openLocalAccount } from '../local/local-account.js';
import type { Logger } from '../log/logger.js';
import type { SinksApi } from '../remote/api.js';
import { TwilioClient } from '../twilio/client.js';
import { configFromEnv } from '../twilio/config.js';

/** An open connection to an account: Twilio's, or the embedded local one. */
export interface Connection {
  /** The account, through the seam the client, the local account and test fakes share. */
  readonly api: SinksApi;
  /** For humans: `https://events.twilio.com` or `local account (.sinkops/local-account.json)`. */
  readonly target: string;
  /** The local account's emulator origin (its `/__emulator/…` paths), when `--local`. */
  readonly emulatorUrl?: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly local: boolean;
  readonly logger: Logger;
  /** Called when the API answers 429, so an executor can narrow its window. */
  readonly onRateLimited?: () => void;
  /** The desired sinks that seed a new local account. */
  readonly seedFrom?: readonly DesiredSink[];
  /** `--stack`: a new local account's managed sinks carry this stack's markers. */
  readonly stack?: string;
  /** The command's `--deadline` (src/cli/deadline.ts): aborting it cancels every request and retry. */
  readonly signal?: AbortSignal;
}

/**
 * `--local` starts the emulator in this process on 127.0.0.1 with its state in
 * `.sinkops/local-account.json`, and talks to it through the same client as to Twilio, so the local
 * account exercises every line that production does.
 */
export async function connect(io: Io, options: ConnectOptions): Promise<Connection> {
  const clientOptions = {
    logger: options.logger,
    ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (options.local) {
    const account = await openLocalAccount(io.cwd, options.logger, options.seedFrom ?? [], options.stack);
    const api = new TwilioClient(account.config, clientOptions);
    return {
      api,
      target: `local account (${account.displayPath})`,
      emulatorUrl: account.config.baseUrl,
      close: async () => {
        await api.close();
        await account.close();
      },
    };
  }
  const config = configFromEnv(io.env);
  const api = new TwilioClient(config, clientOptions);
  return { api, target: config.baseUrl, close: () => api.close() };
}
