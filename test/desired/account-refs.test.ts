/**
 * `${account.sid}` and `${account.friendly_name}` in a fleet's sinks: refused outside a fleet,
 * kept open with `accountRefs`, and stamped for each subaccount — literally, whatever the
 * subaccount's friendly name holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDescription, splitConfigText } from '../../src/desired/account-refs.js';
import { interpolate } from '../../src/desired/env.js';
import { loadDesired } from '../../src/desired/load.js';
import type { DesiredSink, DesiredState } from '../../src/desired/model.js';
import { sinkSchema } from '../../src/desired/schema.js';
import { descriptionProblem, hasAccountRefs, stampAccount } from '../../src/desired/stamp.js';
import { tempTrees } from './helpers.js';

const tree = tempTrees();

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const VARS = { sid: SID, friendly_name: 'cust-a' };

const FLEET_SINK = [
  'name: orders',
  'description: Orders of ${account.friendly_name} (${account.sid})',
  'sink_type: webhook',
  'sink_configuration:',
  '  destination: https://hooks.example.com/${account.sid}/orders?key=${HOOK_KEY}',
  '  method: POST',
  'subscriptions:',
  '  - name: status',
  '    description: Status for ${account.friendly_name}',
  '    events:',
  '      com.twilio.messaging.message.delivered: 1',
  '',
].join('\n');

async function load(files: Record<string, string>, accountRefs: boolean, env: Record<string, string> = {}): Promise<DesiredState> {
  const cwd = await tree(files);
  return loadDesired('sinks', { cwd, env, accountRefs });
}

function only(state: DesiredState): DesiredSink {
  expect(state.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const [sink] = state.sinks;
  if (sink === undefined) throw new Error('no sink');
  return sink;
}

describe('account references outside a fleet', () => {
  it('are located errors in descriptions and configurations, with the literal spelled out', async () => {
    const state = await load({ 'sinks/a.yaml': FLEET_SINK }, false, { HOOK_KEY: 'k' });
    expect(state.sinks).toEqual([]);
    expect(state.diagnostics.map((d) => [d.code, `${d.file}:${d.line}:${d.column}`, d.message])).toEqual([
      ['ACCOUNT_REF', 'sinks/a.yaml:2:14', "description uses ${account.friendly_name}, which is only available in a fleet's sinks (sinkops.yaml fleets); write $${account.friendly_name} for the literal text"],
      ['ACCOUNT_REF', 'sinks/a.yaml:5:16', "sink_configuration.destination uses ${account.sid}, which is only available in a fleet's sinks (sinkops.yaml fleets); write $${account.sid} for the literal text"],
      ['ACCOUNT_REF', 'sinks/a.yaml:9:18', "subscriptions[0].description uses ${account.friendly_name}, which is only available in a fleet's sinks (sinkops.yaml fleets); write $${account.friendly_name} for the literal text"],
    ]);
  });

  it('are literal text when written $${account.…}, in descriptions as in configurations', async () => {
    const sink = only(
      await load(
        {
          'sinks/a.yaml': [
            'name: a',
            'description: Uses $${account.sid} and ${NOT_SPECIAL} and $$ and $${X}',
            'sink_type: webhook',
            'sink_configuration:',
            '  destination: https://example.org/$${account.sid}',
            '',
          ].join('\n'),
        },
        false,
      ),
    );
    expect(sink.description).toBe('Uses ${account.sid} and ${NOT_SPECIAL} and $$ and $${X}');
    expect(sink.sinkConfiguration['destination']).toEqual({ value: 'https://example.org/${account.sid}', sensitive: false, envRefs: [] });
    expect(sink.unstampedDescription).toBeUndefined();
  });
});

describe('account references in a fleet (accountRefs)', () => {
  it('are kept open: the value unknown until stamped, the rest as usual', async () => {
    const sink = only(await load({ 'sinks/a.yaml': FLEET_SINK }, true, { HOOK_KEY: 'key-SECRET' }));
    expect(sink.description).toBe('Orders of ${account.friendly_name} (${account.sid})');
    expect(sink.unstampedDescription).toEqual({
      parts: ['Orders of ', { account: 'friendly_name' }, ' (', { account: 'sid' }, ')'],
      source: { file: 'sinks/a.yaml', line: 2, column: 14 },
    });
    expect(sink.sinkConfiguration['destination']).toEqual({
      value: undefined,
      sensitive: true,
      envRefs: ['HOOK_KEY'],
      template: 'https://hooks.example.com/${account.sid}/orders?key=${HOOK_KEY}',
      unstamped: {
        value: ['https://hooks.example.com/', { account: 'sid' }, '/orders?key=key-SECRET'],
        template: ['https://hooks.example.com/', { account: 'sid' }, '/orders?key=${HOOK_KEY}'],
        source: { file: 'sinks/a.yaml', line: 5, column: 16 },
      },
    });
    expect(sink.subscriptions[0]?.unstampedDescription?.parts).toEqual(['Status for ', { account: 'friendly_name' }]);
  });

  it('still refuses every other name under account., with a hint, never echoing it', async () => {
    const state = await load(
      {
        'sinks/a.yaml': [
          'name: a',
          'description: ${account.SID}',
          'sink_type: webhook',
          'sink_configuration:',
          '  destination: https://example.org/${account.token-SECRET}',
          '---',
          'name: b',
          'description: b',
          'sink_type: kinesis',
          'sink_configuration:',
          '  arn: arn:${account.sid',
          '  role_arn: r',
          '  external_id: ${EXT}',
          '',
        ].join('\n'),
      },
      true,
    );
    expect(state.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message])).toEqual([
      [2, "description has an unknown account reference: only ${account.sid} and ${account.friendly_name} exist; did you mean '${account.sid}'?"],
      [5, 'sink_configuration.destination has an unknown account reference: only ${account.sid} and ${account.friendly_name} exist'],
      [11, "sink_configuration.arn has an unclosed '${account.' (write '$${account.' for the literal text)"],
    ]);
    expect(JSON.stringify(state.diagnostics)).not.toContain('SECRET');
  });

  it('keeps the rules of ${NAME} inside the runs between them', async () => {
    const state = await load(
      { 'sinks/a.yaml': 'name: a\ndescription: d\nsink_type: webhook\nsink_configuration:\n  destination: https://x.example/${account.sid}/${TWILIO_AUTH_TOKEN}\n' },
      true,
    );
    expect(state.diagnostics).toEqual([expect.objectContaining({ code: 'RESERVED_VARIABLE', line: 5 })]);
  });

  it('warns about an unset variable and leaves the value unknown even once stamped', async () => {
    const state = await load({ 'sinks/a.yaml': FLEET_SINK }, true, {});
    expect(state.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'ENV_MISSING', line: 5 })]);
    const stamped = stampAccount(state, VARS);
    expect(stamped.sinks[0]?.sinkConfiguration['destination']).toEqual({
      value: undefined,
      sensitive: true,
      envRefs: ['HOOK_KEY'],
      template: `https://hooks.example.com/${SID}/orders?key=\${HOOK_KEY}`,
    });
  });
});

describe('stampAccount', () => {
  it('fills in every place, keeps templates resolvable and sensitivity as it was', async () => {
    const state = await load({ 'sinks/a.yaml': FLEET_SINK }, true, { HOOK_KEY: 'key-1' });
    expect(hasAccountRefs(state)).toBe(true);
    const stamped = stampAccount(state, VARS);
    expect(hasAccountRefs(stamped)).toBe(false);
    expect(stamped.diagnostics).toEqual(state.diagnostics);
    expect(stamped.files).toEqual(state.files);
    const sink = only(stamped);
    expect(sink).toEqual({
      name: 'orders',
      description: `Orders of cust-a (${SID})`,
      sinkType: 'webhook',
      sinkConfiguration: {
        destination: {
          value: `https://hooks.example.com/${SID}/orders?key=key-1`,
          sensitive: true,
          envRefs: ['HOOK_KEY'],
          template: `https://hooks.example.com/${SID}/orders?key=\${HOOK_KEY}`,
        },
        method: { value: 'POST', sensitive: false, envRefs: [] },
      },
      subscriptions: [
        {
          name: 'status',
          description: 'Status for cust-a',
          events: [expect.objectContaining({ type: 'com.twilio.messaging.message.delivered', schemaVersion: 1 })],
          source: expect.objectContaining({ line: 8 }),
        },
      ],
      source: { file: 'sinks/a.yaml', line: 1, column: 1 },
    });
    // The unstamped state is untouched: every member is stamped from it.
    expect(state.sinks[0]?.unstampedDescription).toBeDefined();
  });

  it('inserts a friendly name literally: never read again as a reference, in a value or a template', async () => {
    const state = await load(
      {
        'sinks/a.yaml': [
          'name: a',
          'description: For ${account.friendly_name}',
          'sink_type: webhook',
          'sink_configuration:',
          '  destination: https://x.example/${account.friendly_name}?k=${KEY}',
          '',
        ].join('\n'),
      },
      true,
      { KEY: 'k', OTHER: 'LEAKED' },
    );
    const friendly = '${OTHER}$${account.sid}${account.sid}$';
    const sink = only(stampAccount(state, { sid: SID, friendly_name: friendly }));
    expect(sink.description).toBe(`For ${friendly}`);
    const destination = sink.sinkConfiguration['destination'];
    expect(destination?.value).toBe(`https://x.example/${friendly}?k=k`);
    // Apply resolves the template again from its own environment: it must give the same text back.
    const again = interpolate(destination?.template ?? '', { KEY: 'k', OTHER: 'LEAKED' });
    expect(again).toEqual({ ok: true, value: destination?.value, envRefs: ['KEY'], missing: [] });
  });

  it('gives back, for any friendly name, a template whose resolution is the stamped value', async () => {
    const state = await load(
      { 'sinks/a.yaml': 'name: a\ndescription: d\nsink_type: webhook\nsink_configuration:\n  destination: https://x.example/${account.friendly_name}/${K}/$${account.sid}\n' },
      true,
      { K: 'v' },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '{', '}', 'a', 'account.', 'sid', '$${', '${'), maxLength: 12 }), (friendly) => {
        const value = stampAccount(state, { sid: SID, friendly_name: friendly }).sinks[0]?.sinkConfiguration['destination'];
        if (value === undefined) return; // a URL the name broke: reported, not built
        expect(value.value).toBe(`https://x.example/${friendly}/v/\${account.sid}`);
        const again = interpolate(value.template ?? '', { K: 'v' });
        expect(again.ok && again.value).toBe(value.value);
      }),
      { numRuns: 500 },
    );
  });

  it('reports what a friendly name breaks, where the text is written, and leaves that sink out', async () => {
    const state = await load(
      {
        'sinks/a.yaml': FLEET_SINK,
        'sinks/b.yaml': 'name: b\ndescription: plain\nsink_type: webhook\nsink_configuration:\n  destination: ${account.friendly_name}\n',
        'sinks/c.yaml': 'name: c\ndescription: untouched\nsink_type: webhook\nsink_configuration:\n  destination: https://ok.example\n',
      },
      true,
      { HOOK_KEY: 'k' },
    );
    const cases: [string, string[]][] = [
      ['a\nb', [
        `sinks/a.yaml:2:14 description, stamped for account ${SID}, must be one line of text (no line breaks or control characters) and not only spaces`,
        `sinks/a.yaml:9:18 description of subscription 'status', stamped for account ${SID}, must be one line of text (no line breaks or control characters) and not only spaces`,
        `sinks/b.yaml:5:16 sink_configuration.destination, stamped for account ${SID}, must be an absolute http:// or https:// URL`,
      ]],
      ['x [sinkops:other]', [
        `sinks/a.yaml:2:14 description, stamped for account ${SID}, must not contain '[sinkops:' (sinkops adds the ownership marker itself)`,
        `sinks/a.yaml:9:18 description of subscription 'status', stamped for account ${SID}, must not contain '[sinkops:' (sinkops adds the ownership marker itself)`,
        `sinks/b.yaml:5:16 sink_configuration.destination, stamped for account ${SID}, must be an absolute http:// or https:// URL`,
      ]],
      ['<script>', [
        `sinks/a.yaml:2:14 description, stamped for account ${SID}, must be plain text, not HTML (it is shown in the Twilio Console and in pull-request comments)`,
        `sinks/a.yaml:9:18 description of subscription 'status', stamped for account ${SID}, must be plain text, not HTML (it is shown in the Twilio Console and in pull-request comments)`,
        `sinks/b.yaml:5:16 sink_configuration.destination, stamped for account ${SID}, must be an absolute http:// or https:// URL`,
      ]],
      ['x'.repeat(190), [
        `sinks/a.yaml:2:14 description, stamped for account ${SID}, must be at most 200 characters (it has 237)`,
        `sinks/a.yaml:9:18 description of subscription 'status', stamped for account ${SID}, must be at most 200 characters (it has 201)`,
        `sinks/b.yaml:5:16 sink_configuration.destination, stamped for account ${SID}, must be an absolute http:// or https:// URL`,
      ]],
      ['https://hook.example/x', []],
    ];
    for (const [friendly, expected] of cases) {
      const stamped = stampAccount(state, { sid: SID, friendly_name: friendly });
      expect(stamped.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual(expected);
      expect(stamped.diagnostics.every((d) => d.severity === 'warning' || d.code === 'ACCOUNT_REF')).toBe(true);
      const kept = stamped.sinks.map((s) => s.name);
      expect(kept).toContain('c');
      if (expected.length > 0) expect(kept).not.toContain('a');
    }
  });

  it('refuses a stamped value longer than a configuration value may be', async () => {
    const state = await load({ 'sinks/a.yaml': 'name: a\ndescription: d\nsink_type: webhook\nsink_configuration:\n  destination: https://x.example/${account.friendly_name}\n' }, true);
    const stamped = stampAccount(state, { sid: SID, friendly_name: 'y'.repeat(2100) });
    expect(stamped.diagnostics.map((d) => d.message)).toEqual([`sink_configuration.destination, stamped for account ${SID}, must be at most 2048 characters (it has 2118)`]);
  });

  it('returns a state without references as it is', async () => {
    const state = await load({ 'sinks/a.yaml': 'name: a\ndescription: d\nsink_type: webhook\nsink_configuration:\n  destination: https://x.example\n' }, true);
    expect(hasAccountRefs(state)).toBe(false);
    expect(stampAccount(state, VARS)).toBe(state);
  });
});

describe('descriptionProblem', () => {
  it('agrees with the schema’s rules for a description', () => {
    const { validate } = sinkSchema();
    const samples = ['ok', '', ' ', '   ', 'a\tb', 'a\nb', 'x\u007f', 'é ü', '[sinkops:x]', 'a [sinkops:', '<b>', 'a < b', '1<2', '<!--', 'x'.repeat(200), 'x'.repeat(201), '\u{1F600}'.repeat(200), '\u{1F600}'.repeat(201), '\u2028', 'tab at end\t'];
    for (const description of samples) {
      const valid = validate({ name: 'a', description, sink_type: 'webhook', sink_configuration: { destination: 'https://x.example' } });
      expect(descriptionProblem(description) === undefined, JSON.stringify(description)).toBe(valid);
    }
  });
});

describe('the scanners', () => {
  it('split configuration text at references, leaving $${ for interpolate', () => {
    expect(splitConfigText('a${account.sid}b$${account.sid}${X}')).toEqual({ ok: true, parts: ['a', { account: 'sid' }, 'b$${account.sid}${X}'], refs: ['sid'] });
    expect(splitConfigText('${account.sid}${account.sid}')).toEqual({ ok: true, parts: [{ account: 'sid' }, { account: 'sid' }], refs: ['sid'] });
    expect(splitConfigText('plain')).toEqual({ ok: true, parts: ['plain'], refs: [] });
    expect(splitConfigText('')).toEqual({ ok: true, parts: [], refs: [] });
  });

  it('read descriptions: only ${account.…} is special, $${account. its literal', () => {
    expect(readDescription('$5 ${X} $${account.sid} ${account.friendly_name}')).toEqual({
      ok: true,
      parts: ['$5 ${X} ${account.sid} ', { account: 'friendly_name' }],
      refs: ['friendly_name'],
    });
    expect(readDescription('$$${account.sid}')).toEqual({ ok: true, parts: ['$${account.sid}'], refs: [] });
  });
});
