/**
 * SPEC §4/§7/§13: a plan reads the account in pages, never one request per sink. 2,500 remote sinks,
 * 41 subscriptions on 40 of them: the request log must show 3 pages of sinks and 1 page of
 * subscriptions (which also says which sinks are in use and by what), whatever the number of sinks.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed, SeedSink } from '../../src/emulator/index.js';
import { E2E_TEST_TIMEOUT_MS, managed, runCli, sid, startE2eEmulator, writeRepo, type CliResult, type E2eEmulator, type SinkDoc } from './helpers/index.js';

const MANAGED = 2010; // m-0000 … m-2009
const UNMANAGED = 490; // 2,500 in all
const IN_USE = 40; // m-0000 … m-0039 have subscriptions
const BLOCKED = 10; // m-0000 … m-0009 left the repository while in use
const name = (i: number) => `m-${String(i).padStart(4, '0')}`;
const config = (i: number) => ({ destination: `https://example.org/hooks/${i}`, method: 'POST' });

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

function seed(): EmulatorSeed {
  const sinks: SeedSink[] = [];
  for (let i = 0; i < MANAGED; i += 1) {
    sinks.push({ sid: sid('DG', i + 1), description: managed(`Sink ${i}`, name(i)), sink_type: 'webhook', sink_configuration: config(i) });
  }
  for (let i = 0; i < UNMANAGED; i += 1) {
    const email = i % 100 === 0;
    sinks.push({
      sid: sid('DG', 0x10000 + i),
      description: `Console sink ${i}`,
      sink_type: email ? 'email' : 'webhook',
      sink_configuration: email ? {} : { destination: `https://console.example.org/${i}`, method: 'GET' },
    });
  }
  const subscriptions = Array.from({ length: IN_USE }, (_, i) => ({ sid: sid('DF', i + 1), description: `sub ${i}`, sink_sid: sid('DG', i + 1) }));
  subscriptions.push({ sid: sid('DF', 0x999), description: 'second holder of m-0000', sink_sid: sid('DG', 1) });
  return { sinks, subscriptions };
}

let emu: E2eEmulator;
let run: CliResult;

beforeAll(async () => {
  emu = await startE2eEmulator(seed());
  // m-0010 … m-1999 unchanged (multi-document files of 200, under the per-file size limit), one
  // new sink; m-2000 … m-2009 pruned.
  const files: Record<string, SinkDoc[]> = {};
  for (let i = BLOCKED; i < 2000; i += 1) {
    (files[`sinks/batch-${Math.floor(i / 200)}.yaml`] ??= []).push({ name: name(i), description: `Sink ${i}`, sink_type: 'webhook', sink_configuration: config(i) });
  }
  const repo = await writeRepo({
    ...files,
    'sinks/fresh.yaml': { name: 'fresh', description: 'Fresh', sink_type: 'webhook', sink_configuration: config(99_999) },
  });
  // Real accounts hold at most 100 sinks (SPEC §12); this account is about paging, so its limit is raised.
  run = await runCli(['plan', '--format', 'json', '--sink-limit', '5000'], { cwd: repo, env: emu.env });
});

describe('plan over 2,500 remote sinks', () => {
  it('plans the whole account', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.summary).toEqual({ create: 1, update: 0, adopt: 0, replace: 0, delete: 2010 - 2000, blocked: BLOCKED, noop: 2000 - BLOCKED });
    expect(doc.unmanaged).toHaveLength(UNMANAGED);
    const first = doc.actions.find((a: any) => a.action === 'blocked' && a.name === 'm-0000');
    expect(first.subscriptions).toEqual([sid('DF', 1), sid('DF', 0x999)]);
  });

  it('makes 3 sink pages and 1 page of subscriptions, which say which sinks are in use: nothing per sink', async () => {
    const requests = await emu.requests();
    const urls = requests.map((r) => new URL(r.path, emu.url));
    expect(requests.every((r) => r.method === 'GET' && r.status === 200)).toBe(true);
    const sinkPages = urls.filter((u) => u.pathname === '/v1/Sinks');
    const subscriptionPages = urls.filter((u) => u.pathname === '/v1/Subscriptions');
    expect(sinkPages).toHaveLength(Math.ceil((MANAGED + UNMANAGED) / 1000));
    expect(sinkPages.every((u) => u.searchParams.get('PageSize') === '1000' && !u.searchParams.has('InUse'))).toBe(true);
    expect(subscriptionPages).toHaveLength(1);
    expect(subscriptionPages.every((u) => u.searchParams.get('PageSize') === '1000' && !u.searchParams.has('SinkSid'))).toBe(true);
    expect(requests).toHaveLength(sinkPages.length + subscriptionPages.length);
    console.info(`plan over 2,500 sinks: ${requests.length} requests, ${run.ms} ms`);
  });
});
