import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { AccountRegistry } from '../../src/emulator/accounts.js';
import { Credentials } from '../../src/emulator/auth.js';
import { EMULATOR_ACCOUNT_SID, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { DEFAULT_ACCOUNT_RULES } from '../../src/emulator/store.js';

/** Emulators and temp dirs started by a test, closed/removed after it. */
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = await startEmulator(options);
  cleanups.push(() => emu.close());
  return emu;
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sinkops-emulator-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // JSON under test
}

/** A request to the emulator with its own credentials; `form` is sent form-encoded. */
export async function call(
  emu: RunningEmulator,
  method: string,
  path: string,
  form?: Record<string, string | string[]>,
  auth: string | null = basic(emu.accountSid, emu.authToken),
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (auth !== null) headers['Authorization'] = auth;
  let body: string | undefined;
  if (form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    body = params.toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(path.startsWith('http') ? path : emu.url + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

export const WEBHOOK = { destination: 'https://example.org/hook', method: 'POST', batch_events: true };
export const KINESIS = { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/s', role_arn: 'arn:aws:iam::111111111111:role/R', external_id: 'ext-secret-1234' };
export const SEGMENT = { write_key: 'segment-secret-5678' };

export function createSinkForm(description: string, type: string, config: unknown): Record<string, string> {
  return { Description: description, SinkType: type, SinkConfiguration: JSON.stringify(config) };
}

export async function createSink(emu: RunningEmulator, description: string, type = 'webhook', config: unknown = WEBHOOK): Promise<any> {
  const res = await call(emu, 'POST', '/v1/Sinks', createSinkForm(description, type, config));
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createSubscription(emu: RunningEmulator, sinkSid: string, description = 'sub'): Promise<ApiResponse> {
  return call(emu, 'POST', '/v1/Subscriptions', {
    Description: description,
    SinkSid: sinkSid,
    Types: [JSON.stringify({ type: 'com.twilio.messaging.message.delivered', schema_version: 1 })],
  });
}

/** A `random` that returns the given values in turn (then repeats the last). */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

/** An account registry with only the main account, as the emulator starts with (for tests of its parts). */
export function registry(authToken = 'token'): AccountRegistry {
  return new AccountRegistry({ sid: EMULATOR_ACCOUNT_SID, authToken, friendlyName: 'main' }, DEFAULT_ACCOUNT_RULES, new Credentials());
}
