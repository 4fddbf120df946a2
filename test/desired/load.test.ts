import { describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDesired, type ParseCache } from '../../src/desired/load.js';
import { formatDiagnostic, hasErrors } from '../../src/desired/model.js';
import { sinkSchemaObject } from '../../src/desired/schema.js';
import { Ajv } from 'ajv';
import { REPO_ROOT, removeTree, tempTree, tempTrees, WEBHOOK } from './helpers.js';

const tree = tempTrees();

describe('loadDesired: valid sinks', () => {
  it('builds the desired sinks with defaults, sources and secrets marked', async () => {
    const cwd = await tree({
      'sinks/a-webhook.yaml': '# comment\n' + WEBHOOK('orders'),
      'sinks/b-kinesis.yml': [
        'name: stream',
        'description: Stream',
        'sink_type: kinesis',
        'sink_configuration:',
        '  arn: arn:aws:kinesis:us-east-1:111111111111:stream/${STREAM}',
        '  role_arn: arn:aws:iam::111111111111:role/r',
        '  external_id: ${EXT_ID}',
        'sid: DG0123456789abcdef0123456789ABCDEF',
        '',
      ].join('\n'),
      'sinks/nested/c-segment.yaml': 'name: seg\ndescription: Seg\nsink_type: segment\nsink_configuration:\n  write_key: ${WRITE_KEY}\n',
    });
    const state = await loadDesired('sinks', {
      cwd,
      env: { STREAM: 'events', EXT_ID: 'ext-secret-1', WRITE_KEY: 'wk-secret-2' },
    });
    expect(state.diagnostics).toEqual([]);
    expect(state.files).toEqual(['sinks/a-webhook.yaml', 'sinks/b-kinesis.yml', 'sinks/nested/c-segment.yaml']);
    expect(state.sinks).toEqual([
      {
        name: 'orders',
        description: 'The orders sink',
        sinkType: 'webhook',
        sinkConfiguration: {
          destination: { value: 'https://example.org/orders', sensitive: false, envRefs: [] },
          method: { value: 'POST', sensitive: false, envRefs: [] },
        },
        subscriptions: [],
        source: { file: 'sinks/a-webhook.yaml', line: 2, column: 1 },
      },
      {
        name: 'stream',
        description: 'Stream',
        sinkType: 'kinesis',
        sinkConfiguration: {
          arn: {
            value: 'arn:aws:kinesis:us-east-1:111111111111:stream/events',
            sensitive: true,
            envRefs: ['STREAM'],
            template: 'arn:aws:kinesis:us-east-1:111111111111:stream/${STREAM}',
          },
          role_arn: { value: 'arn:aws:iam::111111111111:role/r', sensitive: false, envRefs: [] },
          external_id: { value: 'ext-secret-1', sensitive: true, envRefs: ['EXT_ID'], template: '${EXT_ID}' },
        },
        sid: 'DG0123456789abcdef0123456789ABCDEF',
        subscriptions: [],
        source: { file: 'sinks/b-kinesis.yml', line: 1, column: 1 },
      },
      {
        name: 'seg',
        description: 'Seg',
        sinkType: 'segment',
        sinkConfiguration: {
          write_key: { value: 'wk-secret-2', sensitive: true, envRefs: ['WRITE_KEY'], template: '${WRITE_KEY}' },
        },
        subscriptions: [],
        source: { file: 'sinks/nested/c-segment.yaml', line: 1, column: 1 },
      },
    ]);
  });

  it('keeps an explicit method and batch_events, and adds no default for batch_events', async () => {
    const cwd = await tree({ 'sinks/a.yaml': WEBHOOK('a', '  method: GET\n  batch_events: false\n') });
    const [sink] = (await loadDesired('sinks', { cwd, env: {} })).sinks;
    expect(sink?.sinkConfiguration).toEqual({
      destination: { value: 'https://example.org/a', sensitive: false, envRefs: [] },
      method: { value: 'GET', sensitive: false, envRefs: [] },
      batch_events: { value: false, sensitive: false, envRefs: [] },
    });
  });

  it('resolves destination from the environment and checks the result is a URL, without printing it', async () => {
    const cwd = await tree({
      'sinks/a.yaml': 'name: a\ndescription: A\nsink_type: webhook\nsink_configuration:\n  destination: ${HOOK}\n',
    });
    const ok = await loadDesired('sinks', { cwd, env: { HOOK: 'https://hooks.example.org/x?token=abc' } });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.sinks[0]?.sinkConfiguration['destination']).toEqual({
      value: 'https://hooks.example.org/x?token=abc',
      sensitive: true,
      envRefs: ['HOOK'],
      template: '${HOOK}',
    });
    const bad = await loadDesired('sinks', { cwd, env: { HOOK: 'not a url secret-xyz' } });
    expect(bad.diagnostics.map(formatDiagnostic)).toEqual([
      'sinks/a.yaml:5:16: error: sink_configuration.destination (after ${…} substitution) must be an absolute http:// or https:// URL',
    ]);
    expect(bad.sinks).toEqual([]);
  });

  it('reports a missing variable as a warning and an unknown value', async () => {
    const cwd = await tree({
      'sinks/a.yaml': 'name: a\ndescription: A\nsink_type: segment\nsink_configuration:\n  write_key: ${WK}\n',
    });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(hasErrors(state.diagnostics)).toBe(false);
    expect(state.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['ENV_MISSING', 5, 14]]);
    expect(state.sinks[0]?.sinkConfiguration['write_key']).toEqual({
      value: undefined,
      sensitive: true,
      envRefs: ['WK'],
      template: '${WK}',
    });
  });

  it('marks a literal secret sensitive and warns without repeating it', async () => {
    const cwd = await tree({
      'sinks/a.yaml':
        'name: a\ndescription: A\nsink_type: kinesis\nsink_configuration:\n  arn: a\n  role_arn: r\n  external_id: "lit-$${x}-Zq9Tok"\n',
    });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.sinks[0]?.sinkConfiguration['external_id']).toEqual({
      value: 'lit-${x}-Zq9Tok',
      sensitive: true,
      envRefs: [],
    });
    expect(state.diagnostics.map((d) => d.code)).toEqual(['LITERAL_SECRET']);
    expect(JSON.stringify(state.diagnostics)).not.toContain('Zq9Tok');
  });

  it('never puts a secret value into a message, even when the document is invalid', async () => {
    const cwd = await tree({
      'sinks/a.yaml':
        'name: a\ndescription: A\nsink_type: segment\nsink_configuration:\n  write_key: ${WK}\n  writekey: x\n',
      'sinks/b.yaml': 'name: b\ndescription: B\nsink_type: kinesis\nsink_configuration:\n  external_id: [TOPSECRET]\n',
      'sinks/c.yaml': 'name: c\ndescription: C\nsink_type: webhook\nsink_configuration:\n  destination: "${HOOK}"\n  method: ${M}\n',
    });
    const state = await loadDesired('sinks', { cwd, env: { WK: 'WKSECRET', HOOK: 'HOOKSECRET', M: 'MSECRET' } });
    const text = state.diagnostics.map(formatDiagnostic).join('\n');
    expect(hasErrors(state.diagnostics)).toBe(true);
    for (const secret of ['WKSECRET', 'TOPSECRET', 'HOOKSECRET', 'MSECRET']) expect(text).not.toContain(secret);
  });

  it('reads every document of a multi-document file, in order', async () => {
    const cwd = await tree({ 'sinks/all.yaml': `${WEBHOOK('one')}---\n${WEBHOOK('two')}...\n---\n${WEBHOOK('three')}` });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics).toEqual([]);
    expect(state.sinks.map((s) => [s.name, s.source.line])).toEqual([
      ['one', 1],
      ['two', 7],
      ['three', 14],
    ]);
  });

  it('orders files by path, skips dot-files and other extensions', async () => {
    const cwd = await tree({
      'sinks/b.yaml': WEBHOOK('b'),
      'sinks/a/z.yml': WEBHOOK('z'),
      'sinks/A.yaml': WEBHOOK('upper'),
      'sinks/.hidden.yaml': 'not: [valid',
      'sinks/.git/config.yaml': 'not: [valid',
      'sinks/README.md': '# sinks',
      'sinks/c.yaml.bak': 'not: [valid',
      'sinks/d.json': '{}',
    });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics).toEqual([]);
    expect(state.files).toEqual(['sinks/A.yaml', 'sinks/a/z.yml', 'sinks/b.yaml']);
  });

  it('gives paths relative to cwd, also for a --dir outside it', async () => {
    const root = await tree({ 'repo/x': '', 'other/s.yaml': 'name: [' });
    const state = await loadDesired('../other', { cwd: `${root}/repo`, env: {} });
    expect(state.diagnostics.map((d) => [d.file, d.code])).toEqual([['../other/s.yaml', 'YAML_SYNTAX']]);
  });

  it('warns when the directory holds no sink files', async () => {
    const cwd = await tree({ 'sinks/README.md': 'x' });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'NO_FILES',
        file: 'sinks',
        line: 1,
        column: 1,
        message: "no sink files (*.yaml, *.yml) under 'sinks'",
      },
    ]);
  });

  it('collects problems from every file and document at once, sorted by place', async () => {
    const cwd = await tree({
      'sinks/b.yaml': 'name: B\ndescription: ""\nsink_type: webhook\nsink_configuration: {destination: x}\n',
      'sinks/a.yaml': `${WEBHOOK('a')}---\n- list\n---\nname: [\n`,
    });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      'sinks/a.yaml:7:1 NOT_A_MAPPING',
      'sinks/a.yaml:10:1 YAML_SYNTAX',
      'sinks/b.yaml:1:7 SCHEMA',
      'sinks/b.yaml:2:14 SCHEMA',
      'sinks/b.yaml:4:35 SCHEMA',
    ]);
    expect(state.sinks.map((s) => s.name)).toEqual(['a']);
  });

  it('names a duplicate three times over at each place', async () => {
    const cwd = await tree({ 'sinks/a.yaml': WEBHOOK('x'), 'sinks/b.yaml': WEBHOOK('x'), 'sinks/c.yaml': WEBHOOK('x') });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => d.message)).toEqual([
      "duplicate sink name 'x' (also declared at sinks/b.yaml:1:7, sinks/c.yaml:1:7); names must be unique",
      "duplicate sink name 'x' (also declared at sinks/a.yaml:1:7, sinks/c.yaml:1:7); names must be unique",
      "duplicate sink name 'x' (also declared at sinks/a.yaml:1:7, sinks/b.yaml:1:7); names must be unique",
    ]);
    expect(state.sinks).toEqual([]);
  });

  it('locates problems in a file with Windows line endings', async () => {
    const cwd = await tree({
      'sinks/a.yaml': 'name: a\r\ndescription: A\r\nsink_type: webhook\r\nsink_configuration:\r\n  destination: https://e.org\r\n  mthod: GET\r\n',
    });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([[6, 3, 'UNKNOWN_KEY']]);
  });

  it('points at values reached through a YAML alias', async () => {
    const cwd = await tree({
      'sinks/a.yaml': 'name: a\ndescription: A\nsink_type: webhook\nsink_configuration: &cfg\n  destination: https://e.org\n  mthod: POST\n',
    });
    const state = await loadDesired('sinks', { cwd, env: {} });
    expect(state.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [6, 3, "unknown key 'mthod' in sink_configuration for sink_type webhook; did you mean 'method'?"],
    ]);
  });
});

describe('the example sinks and the schema file', () => {
  it('validates the repository examples (only missing-variable warnings)', async () => {
    const state = await loadDesired('sinks', { cwd: REPO_ROOT, env: {} });
    expect(state.sinks.map((s) => s.sinkType).sort()).toEqual(['kinesis', 'segment', 'webhook']);
    expect(state.diagnostics.map((d) => d.code)).toEqual(['ENV_MISSING', 'ENV_MISSING']);
  });

  it('is a valid draft-07 schema that compiles under strict ajv', () => {
    const schema = sinkSchemaObject();
    const ajv = new Ajv({ strict: false, validateSchema: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
  });
});

describe('loadDesired with a parse cache (watch mode)', () => {
  it('re-parses only files whose text changed, and forgets removed files', async () => {
    const cwd = await tempTree({
      'sinks/a.yaml': 'name: a\ndescription: A\nsink_type: webhook\nsink_configuration: {destination: https://e.org/a}\n',
      'sinks/b.yaml': 'name: b\ndescription: B\nsink_type: webhook\nsink_configuration: {destination: https://e.org/b}\n',
    });
    try {
      const cache: ParseCache = new Map();
      const first = await loadDesired('sinks', { cwd, env: {}, cache });
      expect(first.sinks.map((s) => s.name)).toEqual(['a', 'b']);
      const parsedB = cache.get('sinks/b.yaml')?.result;

      await writeFile(path.join(cwd, 'sinks/a.yaml'), 'name: a\ndescription: A2\nsink_type: webhook\nsink_configuration: {destination: https://e.org/a}\n');
      const second = await loadDesired('sinks', { cwd, env: {}, cache });
      expect(second.sinks.map((s) => s.description)).toEqual(['A2', 'B']);
      expect(cache.get('sinks/b.yaml')?.result).toBe(parsedB); // reused, not parsed again

      // A duplicate name across a cached and a changed file is still found.
      await writeFile(path.join(cwd, 'sinks/a.yaml'), 'name: b\ndescription: A3\nsink_type: webhook\nsink_configuration: {destination: https://e.org/a}\n');
      const third = await loadDesired('sinks', { cwd, env: {}, cache });
      expect(third.diagnostics.map((d) => [d.code, d.file])).toEqual([
        ['DUPLICATE_NAME', 'sinks/a.yaml'],
        ['DUPLICATE_NAME', 'sinks/b.yaml'],
      ]);

      await rm(path.join(cwd, 'sinks/a.yaml'));
      await loadDesired('sinks', { cwd, env: {}, cache });
      expect([...cache.keys()]).toEqual(['sinks/b.yaml']);
    } finally {
      await removeTree(cwd);
    }
  });
});
