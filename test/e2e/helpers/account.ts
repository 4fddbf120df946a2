/**
 * Reading and changing an emulator's account from a test (as a person in the Console would), and
 * checking that it holds exactly the desired sinks. Used by the apply, activate, import and kill
 * end-to-end tests.
 */
import { expect } from 'vitest';
import type { LoggedRequest } from '../../../src/emulator/index.js';
import type { E2eEmulator } from './emulator.js';
import type { SinkDoc } from './repo.js';

/** A sink as the API returns it (snake_case JSON). */
export interface ApiSink {
  readonly sid: string;
  readonly description: string;
  readonly sink_type: string;
  readonly sink_configuration: Record<string, unknown>;
  readonly status: string;
}

export interface ApiSubscription {
  readonly sid: string;
  readonly sink_sid: string;
}

async function listAll<T>(emu: E2eEmulator, path: string, key: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = path;
  while (next !== null) {
    const res = await emu.api('GET', next.startsWith('http') ? next.slice(emu.url.length) : next);
    if (res.status !== 200) throw new Error(`GET ${next}: ${res.status} ${JSON.stringify(res.body)}`);
    out.push(...(res.body[key] as T[]));
    next = (res.body.meta?.next_page_url as string | null | undefined) ?? null;
  }
  return out;
}

export function listSinks(emu: E2eEmulator): Promise<ApiSink[]> {
  return listAll<ApiSink>(emu, '/v1/Sinks?PageSize=1000', 'sinks');
}

export function listSubscriptions(emu: E2eEmulator): Promise<ApiSubscription[]> {
  return listAll<ApiSubscription>(emu, '/v1/Subscriptions?PageSize=1000', 'subscriptions');
}

async function ok(emu: E2eEmulator, method: string, path: string, form?: Record<string, string>): Promise<any> {
  const res = await emu.api(method, path, form);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createSink(emu: E2eEmulator, description: string, type: string, config: Record<string, unknown>): Promise<ApiSink> {
  return ok(emu, 'POST', '/v1/Sinks', { Description: description, SinkType: type, SinkConfiguration: JSON.stringify(config) });
}

export async function describeSink(emu: E2eEmulator, sid: string, description: string): Promise<void> {
  await ok(emu, 'POST', `/v1/Sinks/${sid}`, { Description: description });
}

export async function deleteSink(emu: E2eEmulator, sid: string): Promise<void> {
  await ok(emu, 'DELETE', `/v1/Sinks/${sid}`);
}

export async function subscribe(emu: E2eEmulator, sinkSid: string): Promise<string> {
  const body = await ok(emu, 'POST', '/v1/Subscriptions', {
    Description: 'added by a test',
    SinkSid: sinkSid,
    Types: JSON.stringify({ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }),
  });
  return body.sid as string;
}

/** Requests that change the account (the API's only mutating methods are POST and DELETE). */
export function mutating(requests: readonly LoggedRequest[]): LoggedRequest[] {
  return requests.filter((r) => r.method === 'POST' || r.method === 'DELETE');
}

/**
 * The mutating requests of one apply between its lease's (src/apply/lease.ts): it creates the lease
 * first and deletes it last. Fails when they are not there, so the lease is checked too.
 */
export function withinLease(requests: readonly LoggedRequest[]): LoggedRequest[] {
  const sent = mutating(requests);
  const first = sent[0];
  const last = sent[sent.length - 1];
  if (sent.length < 2 || first?.method !== 'POST' || first.path !== '/v1/Sinks' || last?.method !== 'DELETE' || !/^\/v1\/Sinks\/DG[0-9a-f]{32}$/.test(last.path)) {
    throw new Error(`expected the apply's lease around its requests, got ${sent.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  }
  return sent.slice(1, -1);
}

/** The name in a description's trailing marker (`… [sinkops:NAME]`), if any. */
export function markerName(description: string): string | undefined {
  return /\[sinkops:([^\]\s]+)\]$/.exec(description)?.[1];
}

/**
 * The account equals the desired state: each desired name has exactly one managed sink, with the
 * desired description (marker included), type and configuration (`secrets` gives the values that
 * `${VAR}` references resolve to; webhook `method` defaults to POST), and no other managed sink
 * exists except those in `alsoManaged` (blocked deletes). Returns the sinks by name.
 */
export async function expectConverged(
  emu: E2eEmulator,
  desired: readonly SinkDoc[],
  opts: { readonly secrets?: Readonly<Record<string, string>>; readonly alsoManaged?: readonly string[] } = {},
): Promise<Map<string, ApiSink>> {
  const sinks = await listSinks(emu);
  const byName = new Map<string, ApiSink[]>();
  for (const s of sinks) {
    const name = markerName(s.description);
    if (name !== undefined) byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  const problems: string[] = [];
  const found = new Map<string, ApiSink>();
  for (const d of desired) {
    const group = byName.get(d.name) ?? [];
    if (group.length !== 1) {
      problems.push(`${d.name}: ${group.length} managed sinks (${group.map((s) => s.sid).join(', ')})`);
      continue;
    }
    const sink = group[0]!;
    found.set(d.name, sink);
    const want = expectedConfig(d, opts.secrets ?? {});
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, sink.sink_configuration[k]]));
    if (sink.description !== `${d.description} [sinkops:${d.name}]`) problems.push(`${d.name}: description ${JSON.stringify(sink.description)}`);
    if (sink.sink_type !== d.sink_type) problems.push(`${d.name}: sink_type ${sink.sink_type}`);
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${d.name}: configuration differs from the repository`);
  }
  const allowed = new Set([...desired.map((d) => d.name), ...(opts.alsoManaged ?? [])]);
  for (const [name, group] of byName) if (!allowed.has(name)) problems.push(`${name}: managed but not desired (${group.map((s) => s.sid).join(', ')})`);
  expect(problems).toEqual([]);
  return found;
}

function expectedConfig(d: SinkDoc, secrets: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(d.sink_configuration).sort();
  for (const key of keys) {
    const v = d.sink_configuration[key];
    out[key] = typeof v === 'string' ? v.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => secrets[name] ?? `<${name} unset>`) : v;
  }
  return out;
}
