import { startEmulator, type EmulatorOptions, type EmulatorSeed, type LoggedRequest, type RunningEmulator } from '../../../src/emulator/index.js';
import { onCleanup } from './cleanup.js';

/** Credentials the e2e emulators accept: not the emulator's defaults, so a test proves the CLI sent the env's. */
export const E2E_ACCOUNT_SID = 'AC0e2e0000000000000000000000000e2e';
export const E2E_AUTH_TOKEN = 'e2e-auth-token-7f3a9c-never-printed';

export interface E2eEmulator {
  readonly emulator: RunningEmulator;
  readonly url: string;
  /** TWILIO_EVENTS_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN for `runCli`'s `env`. */
  readonly env: Readonly<Record<string, string>>;
  /** The emulator's request log (`GET /__emulator/requests`), oldest first. */
  requests(): Promise<LoggedRequest[]>;
  /** Empties the request log (`DELETE /__emulator/requests`). */
  clearRequests(): Promise<void>;
  /** Calls the API with the emulator's credentials (for checking the account after an apply). */
  api(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/**
 * Starts an in-memory emulator on 127.0.0.1 and a free port, with `seed` as the account. It is
 * closed after the file's last test. Extra options (faults, statePath) pass through.
 */
export async function startE2eEmulator(seed?: EmulatorSeed, options: Omit<EmulatorOptions, 'seed'> = {}): Promise<E2eEmulator> {
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    accountSid: E2E_ACCOUNT_SID,
    authToken: E2E_AUTH_TOKEN,
    ...options,
    ...(seed ? { seed } : {}),
  });
  onCleanup(() => emulator.close());
  const auth = 'Basic ' + Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64');
  return {
    emulator,
    url: emulator.url,
    env: { TWILIO_EVENTS_BASE_URL: emulator.url, TWILIO_ACCOUNT_SID: emulator.accountSid, TWILIO_AUTH_TOKEN: emulator.authToken },
    async requests() {
      const res = await fetch(`${emulator.url}/__emulator/requests`);
      return ((await res.json()) as { requests: LoggedRequest[] }).requests;
    },
    async clearRequests() {
      await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' });
    },
    async api(method, path, form) {
      const init: RequestInit = { method, headers: { Authorization: auth } };
      if (form) {
        init.body = new URLSearchParams(form).toString();
        (init.headers as Record<string, string>)['Content-Type'] = 'application/x-www-form-urlencoded';
      }
      const res = await fetch(emulator.url + path, init);
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
  };
}

/** A sink SID from a number: `sid('DG', 7)` → `DG000…0007` (32 hex digits), stable across runs. */
export function sid(prefix: 'DG' | 'DF', n: number): string {
  return prefix + n.toString(16).padStart(32, '0');
}

/** The description sinkops writes for a managed sink (SPEC §3), spelled out so tests pin the contract. */
export function managed(description: string, name: string, stack?: string): string {
  return `${description} [sinkops:${stack === undefined ? name : `${stack}/${name}`}]`;
}
