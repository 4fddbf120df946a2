import { Writable } from 'node:stream';
import { pino } from 'pino';
import { MockAgent } from 'undici';
import type { Logger } from '../../src/log/logger.js';
import { TwilioClient, type TwilioClientOptions } from '../../src/twilio/client.js';
import type { TwilioConfig } from '../../src/twilio/config.js';

export const ORIGIN = 'https://events.example.test';
export const USER = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const PASSWORD = 'auth-token-SECRET-value';
export const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

export function testConfig(overrides: Partial<TwilioConfig> = {}): TwilioConfig {
  return {
    baseUrl: ORIGIN,
    username: USER,
    password: PASSWORD,
    accountSid: USER,
    timeoutMs: 5_000,
    maxRetries: 5,
    pageSize: 1000,
    ...overrides,
  };
}

/** `DG` + 32 hex digits, distinct per n. */
export function sinkSid(n: number): string {
  return `DG${n.toString(16).padStart(32, '0')}`;
}

export function wireSink(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const sid = sinkSid(n);
  return {
    sid,
    description: `sink ${n} [sinkops:sink-${n}]`,
    sink_type: 'webhook',
    sink_configuration: { destination: `https://example.org/hook/${n}`, method: 'POST' },
    status: 'active',
    date_created: '2024-01-01T00:00:00Z',
    date_updated: '2024-01-01T00:00:00Z',
    url: `${ORIGIN}/v1/Sinks/${sid}`,
    ...overrides,
  };
}

/** `DF` + 32 hex digits, distinct per n. */
export function subscriptionSid(n: number): string {
  return `DF${n.toString(16).padStart(32, '0')}`;
}

export function wireSubscription(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const sid = subscriptionSid(n);
  return {
    account_sid: USER,
    sid,
    sink_sid: sinkSid(n),
    description: `subscription ${n} [sinkops:sink-${n}#main]`,
    date_created: '2024-01-01T00:00:00Z',
    date_updated: '2024-01-01T00:00:00Z',
    url: `${ORIGIN}/v1/Subscriptions/${sid}`,
    links: { subscribed_events: `${ORIGIN}/v1/Subscriptions/${sid}/SubscribedEvents` },
    ...overrides,
  };
}

/** A SubscribedEvent as Twilio sends it. */
export function wireSubscribedEvent(subscription: string, type: string, schemaVersion: unknown): Record<string, unknown> {
  return {
    account_sid: USER,
    subscription_sid: subscription,
    type,
    schema_version: schemaVersion,
    url: `${ORIGIN}/v1/Subscriptions/${subscription}/SubscribedEvents/${encodeURIComponent(type)}`,
  };
}

/** One page of any list: `{ <key>: items, meta }`. */
export function listPage(key: string, items: readonly unknown[], nextPageUrl: string | null = null): Record<string, unknown> {
  return { [key]: items, meta: { page: 0, page_size: 1000, next_page_url: nextPageUrl, key } };
}

export function sinksPage(sinks: readonly unknown[], nextPageUrl: string | null = null): Record<string, unknown> {
  return { sinks, meta: { page: 0, page_size: 1000, next_page_url: nextPageUrl, key: 'sinks' } };
}

export const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

/** A MockAgent that refuses anything not scripted and records every request it is given. */
export function mockAgent(): MockAgent {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  return agent;
}

export function calls(agent: MockAgent): { method: string; url: string; body: string | null | undefined; headers: Record<string, string | string[]> }[] {
  return (agent.getCallHistory()?.calls() ?? []).map((c) => ({
    method: c.method,
    url: c.fullUrl,
    body: c.body,
    headers: (c.headers ?? {}) as Record<string, string | string[]>,
  }));
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

/** A pino logger at trace level, without redaction, whose output the test can read. */
export function captureLogger(): { logger: Logger; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), output: () => chunks.join('') };
}

export function mockClient(agent: MockAgent, config: Partial<TwilioConfig> = {}, options: TwilioClientOptions = {}): TwilioClient {
  return new TwilioClient(testConfig(config), { dispatcher: agent, random: () => 0.5, sleep: async () => {}, ...options });
}
