/**
 * `subscriptions:` under a sink (SPEC §2, §13): built sorted and positioned, every mistake a
 * located diagnostic (SCHEMA, UNKNOWN_KEY, DUPLICATE_NAME), hostile input handled like the rest.
 * `validate` stays offline: the shape only, never whether Twilio knows a type.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { loadDesired } from '../../src/desired/load.js';
import { formatDiagnostic, hasErrors } from '../../src/desired/model.js';
import { sinkSchemaObject } from '../../src/desired/schema.js';
import { bufferIo, tempTrees, WEBHOOK } from './helpers.js';

const tree = tempTrees();

/** A webhook sink (5 lines) followed by `subscriptions:` on line 6 and `lines` from line 7 on. */
const withSubscriptions = (name: string, lines: readonly string[]): string => `${WEBHOOK(name)}subscriptions:\n${lines.map((l) => `${l}\n`).join('')}`;

const DF = (n: number): string => `DF${n.toString(16).padStart(32, '0')}`;

async function load(files: Record<string, string>, env: Record<string, string> = {}) {
  const cwd = await tree(files);
  return loadDesired('sinks', { cwd, env });
}

async function messages(lines: readonly string[]): Promise<string[]> {
  const state = await load({ 'sinks/a.yaml': withSubscriptions('orders-webhook', lines) });
  expect(state.sinks).toEqual([]);
  return state.diagnostics.map(formatDiagnostic);
}

describe('subscriptions: valid', () => {
  it('builds them sorted by name, events sorted by type, each event located at its type', async () => {
    const state = await load({
      'sinks/a.yaml': withSubscriptions('orders-webhook', [
        '  - name: order-status', // 7
        '    description: Delivery receipts',
        '    events:',
        '      com.twilio.messaging.message.failed: 2', // 10
        '      com.twilio.messaging.message.delivered: 1',
        `    sid: ${DF(1)}`,
        '  - description: Every completed call', // 13
        '    name: calls',
        '    events: {com.twilio.voice.status-callback.call.completed: 3}', // 15
      ]),
    });
    expect(state.diagnostics).toEqual([]);
    const file = 'sinks/a.yaml';
    expect(state.sinks[0]?.subscriptions).toEqual([
      {
        name: 'calls',
        description: 'Every completed call',
        events: [{ type: 'com.twilio.voice.status-callback.call.completed', schemaVersion: 3, source: { file, line: 15, column: 14 } }],
        source: { file, line: 14, column: 5 },
      },
      {
        name: 'order-status',
        description: 'Delivery receipts',
        events: [
          { type: 'com.twilio.messaging.message.delivered', schemaVersion: 1, source: { file, line: 11, column: 7 } },
          { type: 'com.twilio.messaging.message.failed', schemaVersion: 2, source: { file, line: 10, column: 7 } },
        ],
        sid: DF(1),
        source: { file, line: 7, column: 5 },
      },
    ]);
  });

  it('gives every sink a subscriptions list: empty when it declares none or an empty one', async () => {
    const state = await load({ 'sinks/a.yaml': WEBHOOK('a'), 'sinks/b.yaml': `${WEBHOOK('b')}subscriptions: []\n` });
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks.map((s) => [s.name, s.subscriptions])).toEqual([
      ['a', []],
      ['b', []],
    ]);
  });

  it('allows the same subscription name (and event types) on two different sinks', async () => {
    const sub = ['  - name: status', '    description: Status', '    events:', '      com.twilio.messaging.message.delivered: 1'];
    const state = await load({ 'sinks/a.yaml': withSubscriptions('a', sub), 'sinks/b.yaml': withSubscriptions('b', sub) });
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks.map((s) => s.subscriptions.map((x) => x.name))).toEqual([['status'], ['status']]);
  });

  it('checks the shape only: an event type Twilio does not have is the plan’s error, not validate’s', async () => {
    const cwd = await tree({
      'sinks/a.yaml': withSubscriptions('a', ['  - name: x', '    description: X', '    events: {com.example.not-in-the-catalogue: 99}']),
    });
    const io = bufferIo(cwd);
    expect(await run(['validate', '--dir', 'sinks'], io)).toBe(0);
  });
});

describe('subscriptions: every mistake located', () => {
  it('an unknown key in a subscription, with did-you-mean', async () => {
    expect(
      await messages(['  - name: order-status', '    description: Receipts', '    evnts:', '      com.twilio.messaging.message.delivered: 2']),
    ).toEqual([
      "sinks/a.yaml:7:5: error: missing required key 'events' in subscriptions[0]: a subscription must deliver at least one event type ('<event type>: <schema version>', for example com.twilio.messaging.message.delivered: 1)",
      "sinks/a.yaml:9:5: error: unknown key 'evnts' in subscriptions[0]; did you mean 'events'?",
    ]);
  });

  it('an event type written directly in the subscription, and a misspelt subscriptions key', async () => {
    const state = await load({
      'sinks/a.yaml': withSubscriptions('a', [
        '  - name: x',
        '    description: X',
        '    events: {com.twilio.messaging.message.failed: 1}',
        '    com.twilio.messaging.message.delivered: 1',
      ]),
      'sinks/b.yaml': `${WEBHOOK('b')}subscription: []\n`,
    });
    expect(state.diagnostics.map(formatDiagnostic)).toEqual([
      "sinks/a.yaml:10:5: error: unknown key 'com.twilio.messaging.message.delivered' in subscriptions[0]; event types belong under events ('<event type>: <schema version>', for example com.twilio.messaging.message.delivered: 1)",
      "sinks/b.yaml:6:1: error: unknown key 'subscription'; did you mean 'subscriptions'?",
    ]);
  });

  it('a missing events key, and missing name and description', async () => {
    expect(await messages(['  - sid: ' + DF(1)])).toEqual([
      "sinks/a.yaml:7:5: error: missing required key 'name' in subscriptions[0]",
      "sinks/a.yaml:7:5: error: missing required key 'description' in subscriptions[0]",
      "sinks/a.yaml:7:5: error: missing required key 'events' in subscriptions[0]: a subscription must deliver at least one event type ('<event type>: <schema version>', for example com.twilio.messaging.message.delivered: 1)",
    ]);
  });

  it('an empty events map, written either way, is refused', async () => {
    const empty =
      "is empty: a subscription must deliver at least one event type; write each as '<event type>: <schema version>', for example com.twilio.messaging.message.delivered: 1";
    expect(
      await messages(['  - name: a', '    description: A', '    events: {}', '  - name: b', '    description: B', '    events:']),
    ).toEqual([`sinks/a.yaml:9:13: error: subscriptions[0].events ${empty}`, `sinks/a.yaml:12:5: error: subscriptions[1].events ${empty}`]);
  });

  it('events that are not a mapping', async () => {
    expect(await messages(['  - name: a', '    description: A', '    events: [com.twilio.messaging.message.delivered]'])).toEqual([
      "sinks/a.yaml:9:13: error: subscriptions[0].events must be a mapping of event type to schema version ('<event type>: <schema version>', for example com.twilio.messaging.message.delivered: 1), not a list",
    ]);
  });

  it('event types that are not one, each pointed at its key', async () => {
    expect(
      await messages([
        '  - name: a',
        '    description: A',
        '    events:',
        '      Com.Twilio.Messaging: 1', // 10
        '      messaging: 1',
        '      com.twilio..x: 1',
        '      "com.twilio.x y": 1',
        '      com.twilio.ok: 1',
      ]),
    ).toEqual(
      [
        [10, 7, 'Com.Twilio.Messaging'],
        [11, 7, 'messaging'],
        [12, 7, 'com.twilio..x'],
        [13, 7, 'com.twilio.x y'],
      ].map(
        ([line, column, type]) =>
          `sinks/a.yaml:${line}:${column}: error: event type '${type}' in subscriptions[0].events must be a Twilio event type: lowercase letters, digits and hyphens in dot-separated parts, like com.twilio.messaging.message.delivered`,
      ),
    );
  });

  it('schema versions that are not whole numbers of at least 1, each pointed at its value', async () => {
    const version = (line: number, type: string, problem: string): string =>
      `sinks/a.yaml:${line}:${9 + type.length}: error: schema version of '${type}' in subscriptions[0].events must be a whole number of at least 1${problem}`;
    expect(
      await messages([
        '  - name: a',
        '    description: A',
        '    events:',
        '      com.a.zero: 0', // 10
        '      com.a.half: 1.5',
        '      com.a.quoted: "2"',
        '      com.a.minus: -1',
        '      com.a.bool: true',
        '      com.a.empty:',
        '      com.a.word: two',
        '      com.a.list: [1]',
      ]),
    ).toEqual([
      version(10, 'com.a.zero', ', not 0'),
      version(11, 'com.a.half', ', not 1.5'),
      version(12, 'com.a.quoted', ', not the string "2" (write it without quotes)'),
      version(13, 'com.a.minus', ', not -1'),
      version(14, 'com.a.bool', ', not true/false'),
      // A key with no value has no place of its own: the key stands in.
      "sinks/a.yaml:15:7: error: schema version of 'com.a.empty' in subscriptions[0].events must be a whole number of at least 1, but it is empty",
      version(16, 'com.a.word', ', not the string "two"'),
      version(17, 'com.a.list', ', not a list'),
    ]);
  });

  it('a subscription description under the sink description’s rules, a bad name and a bad sid', async () => {
    expect(
      await messages([
        '  - name: Order_Status', // 7
        '    description: "<b>Receipts</b>"',
        '    events: {com.a.b: 1}',
        `    sid: ${DF(1).replace('DF', 'DG')}`,
        '  - name: b', // 11
        '    description: "one\\ntwo"',
        '    events: {com.a.b: 1}',
        '  - name: c', // 14
        '    description: "x [sinkops:a#c]"',
        '    events: {com.a.b: 1}',
        '  - name: d', // 17
        `    description: ${'d'.repeat(201)}`,
        '    events: {com.a.b: 1}',
        '  - name: e', // 20
        '    description: ""',
        '    events: {com.a.b: 1}',
        '  - not a mapping', // 23
      ]),
    ).toEqual([
      'sinks/a.yaml:7:11: error: subscriptions[0].name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, not "Order_Status"',
      'sinks/a.yaml:8:18: error: subscriptions[0].description must be plain text, not HTML (it is shown in the Twilio Console and in pull-request comments)',
      `sinks/a.yaml:10:10: error: subscriptions[0].sid must be 'DF' followed by 32 hexadecimal digits, not "${DF(1).replace('DF', 'DG')}"`,
      'sinks/a.yaml:12:18: error: subscriptions[1].description must be one line of text (no line breaks or control characters) and not only spaces, not "one\\ntwo"',
      "sinks/a.yaml:15:18: error: subscriptions[2].description must not contain '[sinkops:' (sinkops adds the ownership marker itself)",
      'sinks/a.yaml:18:18: error: subscriptions[3].description must be at most 200 characters (it has 201)',
      'sinks/a.yaml:21:18: error: subscriptions[4].description must not be empty',
      'sinks/a.yaml:23:5: error: subscriptions[5] must be a mapping, not a string',
    ]);
  });

  it('subscriptions that are not a list', async () => {
    const state = await load({ 'sinks/a.yaml': `${WEBHOOK('a')}subscriptions: {name: x}\n`, 'sinks/b.yaml': `${WEBHOOK('b')}subscriptions:\n` });
    expect(state.diagnostics.map(formatDiagnostic)).toEqual([
      'sinks/a.yaml:6:16: error: subscriptions must be a list, not a mapping',
      'sinks/b.yaml:6:1: error: subscriptions must be a list, but it is empty',
    ]);
  });

  it('a subscription name used twice in one sink: at each repeat, naming the first line', async () => {
    const sub = (name: string, description: string): string[] => [`  - name: ${name}`, `    description: ${description}`, '    events: {com.a.b: 1}'];
    expect(await messages([...sub('status', 'One'), ...sub('other', 'Two'), ...sub('status', 'Three'), ...sub('status', 'Four')])).toEqual([
      "sinks/a.yaml:13:11: error: duplicate subscription name 'status' in sink 'orders-webhook' (first declared on line 7); subscription names must be unique within a sink",
      "sinks/a.yaml:16:11: error: duplicate subscription name 'status' in sink 'orders-webhook' (first declared on line 7); subscription names must be unique within a sink",
    ]);
  });

  it('finds a duplicate subscription name alongside schema errors in the same sink', async () => {
    expect(
      await messages(['  - name: s', '    description: One', '    events: {}', '  - name: s', '    description: Two', '    events: {com.a.b: 1}']),
    ).toEqual([
      expect.stringMatching(/^sinks\/a\.yaml:9:13: error: subscriptions\[0\]\.events is empty/),
      "sinks/a.yaml:10:11: error: duplicate subscription name 's' in sink 'orders-webhook' (first declared on line 7); subscription names must be unique within a sink",
    ]);
  });

  it('the same subscription sid pinned twice, in one sink or across sinks: an error at every place', async () => {
    const pinned = (name: string, sid: string): string[] => [`  - name: ${name}`, `    description: ${name}`, '    events: {com.a.b: 1}', `    sid: ${sid}`];
    const state = await load({
      'sinks/a.yaml': withSubscriptions('a', [...pinned('one', DF(1)), ...pinned('two', DF(1)), ...pinned('three', DF(2))]),
      'sinks/b.yaml': withSubscriptions('b', pinned('four', DF(2))),
      'sinks/c.yaml': withSubscriptions('c', pinned('five', DF(3))),
    });
    expect(state.diagnostics.map(formatDiagnostic)).toEqual([
      `sinks/a.yaml:10:10: error: sid ${DF(1)} is pinned by more than one subscription (also at sinks/a.yaml:14:10); one Twilio subscription can be adopted once`,
      `sinks/a.yaml:14:10: error: sid ${DF(1)} is pinned by more than one subscription (also at sinks/a.yaml:10:10); one Twilio subscription can be adopted once`,
      `sinks/a.yaml:18:10: error: sid ${DF(2)} is pinned by more than one subscription (also at sinks/b.yaml:10:10); one Twilio subscription can be adopted once`,
      `sinks/b.yaml:10:10: error: sid ${DF(2)} is pinned by more than one subscription (also at sinks/a.yaml:18:10); one Twilio subscription can be adopted once`,
    ]);
    expect(state.diagnostics.every((d) => d.code === 'DUPLICATE_NAME')).toBe(true);
    expect(state.sinks.map((s) => s.name)).toEqual(['c']);
  });

  it('uses the existing codes only, and validate --format json reports them', async () => {
    const cwd = await tree({
      'sinks/a.yaml': withSubscriptions('a', ['  - name: s', '    description: S', '    evnts: {com.a.b: 1}', '    events: {com.a.b: 0}']),
    });
    const io = bufferIo(cwd);
    expect(await run(['validate', '--dir', 'sinks', '--format', 'json'], io)).toBe(1);
    const out = JSON.parse(io.out());
    expect(out.valid).toBe(false);
    expect(out.diagnostics.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column])).toEqual([
      ['UNKNOWN_KEY', 9, 5],
      ['SCHEMA', 10, 23],
    ]);
  });
});

describe('subscriptions: hostile input', () => {
  it('accepts a subscription with 5,000 events quickly, every one located', async () => {
    const types = Array.from({ length: 5000 }, (_, i) => `com.example.load.event-${String(i).padStart(5, '0')}`);
    const lines = ['  - name: many', '    description: Many', '    events:', ...[...types].reverse().map((t) => `      ${t}: 1`)];
    const started = performance.now();
    const state = await load({ 'sinks/a.yaml': withSubscriptions('a', lines) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(state.diagnostics).toEqual([]);
    const events = state.sinks[0]?.subscriptions[0]?.events ?? [];
    expect(events.map((e) => e.type)).toEqual(types);
    // Written in reverse: the first type (sorted) is on the last line.
    expect(events[0]?.source).toEqual({ file: 'sinks/a.yaml', line: 10 + 4999, column: 7 });
    expect(events[4999]?.source).toEqual({ file: 'sinks/a.yaml', line: 10, column: 7 });
  });

  it('caps the errors of 5,000 bad events and stays quick', async () => {
    const lines = ['  - name: many', '    description: Many', '    events:', ...Array.from({ length: 5000 }, (_, i) => `      Bad.Type${i}: 0`)];
    const started = performance.now();
    const state = await load({ 'sinks/a.yaml': withSubscriptions('a', lines) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(state.diagnostics).toHaveLength(21);
    expect(state.diagnostics[0]).toMatchObject({ line: 1, column: 1, message: '9980 more problems in this document not shown' });
  });

  it('caps the errors of 3,000 subscriptions of one name and stays quick', async () => {
    const lines = Array.from({ length: 3000 }, () => ['  - name: same', '    description: Same', '    events: {com.a.b: 1}']).flat();
    const started = performance.now();
    const state = await load({ 'sinks/a.yaml': withSubscriptions('a', lines) });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(state.diagnostics).toHaveLength(21);
    expect(state.diagnostics[0]?.message).toBe("duplicate subscription name 'same' in sink 'a' (first declared on line 7); subscription names must be unique within a sink");
    expect(state.diagnostics[0]).toMatchObject({ line: 10, column: 11 });
    expect(state.diagnostics[20]).toMatchObject({ line: 67, column: 11, message: '2979 more duplicate subscription names in this sink not shown' });
  });

  it('refuses very long event types without repeating them', async () => {
    // A plain key is at most 1024 characters in YAML; an explicit key (`? …`) may be any length.
    const long = `com.${'a'.repeat(1000)}`;
    const huge = `com.${'b'.repeat(100_000)}.${'C'.repeat(1000)}`;
    const state = await load({
      'sinks/a.yaml': withSubscriptions('a', ['  - name: a', '    description: A', '    events:', `      ${long}: 1`, `      ? ${huge}`, '      : 1']),
    });
    expect(state.diagnostics.map(formatDiagnostic)).toEqual([
      `sinks/a.yaml:10:7: error: event type '${long.slice(0, 57)}...' in subscriptions[0].events must be at most 255 characters (it has 1004)`,
      `sinks/a.yaml:11:9: error: event type '${huge.slice(0, 57)}...' in subscriptions[0].events must be at most 255 characters (it has ${huge.length})`,
      `sinks/a.yaml:11:9: error: event type '${huge.slice(0, 57)}...' in subscriptions[0].events must be a Twilio event type: lowercase letters, digits and hyphens in dot-separated parts, like com.twilio.messaging.message.delivered`,
    ]);
    expect(Math.max(...state.diagnostics.map((d) => d.message.length))).toBeLessThan(300);
  });

  it('stops an alias bomb inside events', async () => {
    const levels = ['x0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) levels.push(`x${i}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const lines = ['  - name: a', '    description: A', '    events:', ...levels.map((l) => `      ${l}`)];
    const started = performance.now();
    const state = await load({ 'sinks/a.yaml': withSubscriptions('a', lines) });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(state.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['ALIAS_LIMIT', 11, 15]]);
  });

  it('follows events shared through an anchor: both subscriptions get them, located where they are written', async () => {
    const state = await load({
      'sinks/a.yaml': withSubscriptions('a', [
        '  - name: one',
        '    description: One',
        '    events: &shared',
        '      com.twilio.messaging.message.delivered: 1', // 10
        '  - name: two',
        '    description: Two',
        '    events: *shared',
      ]),
    });
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks[0]?.subscriptions.map((s) => s.events)).toEqual([
      [{ type: 'com.twilio.messaging.message.delivered', schemaVersion: 1, source: { file: 'sinks/a.yaml', line: 10, column: 7 } }],
      [{ type: 'com.twilio.messaging.message.delivered', schemaVersion: 1, source: { file: 'sinks/a.yaml', line: 10, column: 7 } }],
    ]);
  });

  it('sees a type repeated through an alias key, and treats a merge key as no event type', async () => {
    const state = await load({
      'sinks/a.yaml': withSubscriptions('a', [
        '  - name: one',
        '    description: One',
        '    events:',
        '      &t com.a.b: 1', // 10
        '      *t : 2',
      ]),
      'sinks/b.yaml': withSubscriptions('b', [
        '  - name: one',
        '    description: One',
        '    events: &base {com.a.b: 1}',
        '  - name: two',
        '    description: Two',
        '    events:',
        '      <<: *base', // 13
        '      com.a.c: 1',
      ]),
    });
    expect(state.diagnostics.map(formatDiagnostic)).toEqual([
      "sinks/a.yaml:11:7: error: invalid YAML: key 'com.a.b' appears twice in the same mapping (first on line 10)",
      "sinks/b.yaml:13:7: error: event type '<<' in subscriptions[1].events must be a Twilio event type: lowercase letters, digits and hyphens in dot-separated parts, like com.twilio.messaging.message.delivered",
      "sinks/b.yaml:13:11: error: schema version of '<<' in subscriptions[1].events must be a whole number of at least 1, not a mapping",
    ]);
  });

  it('an event type located through an alias key points at the alias', async () => {
    const state = await load({
      'sinks/a.yaml': withSubscriptions('a', [
        '  - name: one',
        '    description: One',
        '    events: {&t com.a.b: 1}', // 9
        '  - name: two',
        '    description: Two',
        '    events:',
        '      *t : 2', // 13
      ]),
    });
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks[0]?.subscriptions.map((s) => [s.name, s.events.map((e) => [e.type, e.schemaVersion, e.source.line, e.source.column])])).toEqual([
      ['one', [['com.a.b', 1, 9, 17]]],
      ['two', [['com.a.b', 2, 13, 7]]],
    ]);
  });

  it('treats __proto__ as an event type that is not one, without touching prototypes', async () => {
    const state = await load({
      'sinks/a.yaml': withSubscriptions('a', ['  - name: a', '    description: A', '    events:', '      __proto__: {polluted: true}', '      com.a.b: 1']),
    });
    expect(hasErrors(state.diagnostics)).toBe(true);
    expect(state.diagnostics.map((d) => [d.line, d.column, d.code])).toContainEqual([10, 7, 'SCHEMA']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('the schema file', () => {
  it('gives a subscription the same name and description rules as a sink', () => {
    const schema = sinkSchemaObject() as any;
    const sub = schema.definitions.subscription.properties;
    const strip = ({ description: _d, ...rest }: Record<string, unknown>) => rest;
    expect(strip(sub.name)).toEqual(strip(schema.properties.name));
    expect(strip(sub.description)).toEqual(strip(schema.properties.description));
    expect(schema.properties.subscriptions.items).toEqual({ $ref: '#/definitions/subscription' });
  });
});
