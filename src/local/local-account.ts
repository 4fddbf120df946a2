import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DesiredSink } from '../desired/model.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import type { Logger } from '../log/logger.js';
import type { TwilioConfig } from '../twilio/config.js';
import { demoSeed } from './demo-seed.js';
import { lockFile } from './lock.js';

export const LOCAL_STATE_PATH = join('.sinkops', 'local-account.json');
const LOCAL_ACCOUNT_SID = 'AC00000000000000000000000000000000';
const LOCAL_AUTH_TOKEN = 'local-account-test-token';

export interface LocalAccount {
  readonly config: TwilioConfig;
  /** The state file, relative to the working directory. */
  readonly displayPath: string;
  /** The emulator behind it: a repository of many accounts adds its accounts there (src/fleet/local.ts). */
  readonly emulator: RunningEmulator;
  close(): Promise<void>;
}

/**
 * Opens the embedded local account: the emulator, in this process, on 127.0.0.1 and a free port,
 * with its state in `.sinkops/local-account.json`. On first use the state is seeded from the
 * desired sinks given, marked for `stack` (see demo-seed.ts); delete the file to start again.
 * Credentials are fixed test values that never leave this machine. The account follows Twilio as
 * it is today: the emulator's defaults (sinks active on creation, at most 100 sinks, configurations
 * read back as stored), so a plan that works here meets the same rules against Twilio.
 */
export async function openLocalAccount(
  cwd: string,
  logger: Logger,
  seedFrom: readonly DesiredSink[],
  stack?: string,
): Promise<LocalAccount> {
  const statePath = join(cwd, LOCAL_STATE_PATH);
  await mkdir(join(cwd, '.sinkops'), { recursive: true });
  // Held until close: a second process would load the same state and overwrite this one's changes.
  const lock = lockFile(`${statePath}.lock`, relative(cwd, `${statePath}.lock`));
  const seed = existsSync(statePath) ? undefined : demoSeed(seedFrom, stack);
  const emulator: RunningEmulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    // Fixed test credentials, never the user's real ones from the environment.
    accountSid: LOCAL_ACCOUNT_SID,
    authToken: LOCAL_AUTH_TOKEN,
    statePath,
    ...(seed ? { seed } : {}),
    logger,
  }).catch((e: unknown) => {
    lock.release();
    throw e;
  });
  return {
    config: {
      baseUrl: emulator.url,
      username: emulator.accountSid,
      password: emulator.authToken,
      accountSid: emulator.accountSid,
      timeoutMs: 10_000,
      maxRetries: 3,
      pageSize: 1000,
    },
    displayPath: relative(cwd, statePath),
    emulator,
    close: async () => {
      try {
        await emulator.close();
      } finally {
        lock.release();
      }
    },
  };
}
