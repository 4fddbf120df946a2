/**
 * The broken-input corpus: one folder per mistake under test/fixtures/broken/, each with the exact
 * located diagnostics it must produce (file, line, column, severity, code, message) and the exit
 * code of `sinkops validate --dir <folder>`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { loadDesired } from '../../src/desired/load.js';
import { formatDiagnostic } from '../../src/desired/model.js';
import { bufferIo, REPO_ROOT } from './helpers.js';

type Expected = readonly [file: string, line: number, column: number, severity: 'error' | 'warning', code: string, message: string];

const FIXTURES = 'test/fixtures/broken';

/** `<dir>/` in a message stands for the case's folder, as the diagnostics print it. */
const CASES: Record<string, readonly Expected[]> = {
  'bad-name-pattern': [
    ["sink.yaml", 2, 7, 'error', 'SCHEMA', "name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, not \"Orders_Hook\""],
  ],
  'bad-sid': [
    ["sink.yaml", 7, 6, 'error', 'SCHEMA', "sid must be 'DG' followed by 32 hexadecimal digits, not \"DG123\""],
  ],
  'batch-events-string': [
    ["sink.yaml", 7, 17, 'error', 'SCHEMA', "sink_configuration.batch_events must be true or false, not a string"],
  ],
  'comments-only': [
    ["sink.yaml", 1, 1, 'error', 'EMPTY_DOCUMENT', "file declares no sink: it is empty or holds only comments"],
  ],
  'config-key-at-top-level': [
    ["sink.yaml", 5, 1, 'error', 'UNKNOWN_KEY', "unknown key 'destination'; 'destination' belongs under sink_configuration"],
  ],
  'config-key-of-other-type': [
    ["sink.yaml", 7, 3, 'error', 'UNKNOWN_KEY', "unknown key 'arn' in sink_configuration for sink_type webhook ('arn' is a setting of sink_type kinesis)"],
  ],
  'description-empty': [
    ["sink.yaml", 3, 14, 'error', 'SCHEMA', "description must not be empty"],
  ],
  'description-html': [
    ["sink.yaml", 3, 14, 'error', 'SCHEMA', "description must be plain text, not HTML (it is shown in the Twilio Console and in pull-request comments)"],
  ],
  'description-multiline': [
    ["sink.yaml", 3, 14, 'error', 'SCHEMA', "description must be one line of text (no line breaks or control characters) and not only spaces, not \"First line\\nsecond line\\n\""],
  ],
  'description-with-marker': [
    ["sink.yaml", 3, 14, 'error', 'SCHEMA', "description must not contain '[sinkops:' (sinkops adds the ownership marker itself)"],
  ],
  'dollar-literal': [
    ["sink.yaml", 6, 16, 'error', 'SCHEMA', "sink_configuration.destination must be an absolute http:// or https:// URL, not \"${HOOK_URL}\""],
  ],
  'reserved-variable': [
    ["sink.yaml", 6, 16, 'error', 'RESERVED_VARIABLE', "sink_configuration.destination may not reference ${TWILIO_AUTH_TOKEN}: variables starting with TWILIO_, GITHUB_, ACTIONS_, RUNNER_, SINKOPS_ hold sinkops's own credentials and are never sent to a sink"],
  ],
  'duplicate-key': [
    ["sink.yaml", 4, 1, 'error', 'YAML_SYNTAX', "invalid YAML: key 'name' appears twice in the same mapping (first on line 2)"],
  ],
  'duplicate-names': [
    ["a.yaml", 2, 7, 'error', 'DUPLICATE_NAME', "duplicate sink name 'orders' (also declared at <dir>/nested/b.yaml:2:7); names must be unique"],
    ["nested/b.yaml", 2, 7, 'error', 'DUPLICATE_NAME', "duplicate sink name 'orders' (also declared at <dir>/a.yaml:2:7); names must be unique"],
  ],
  'duplicate-sids': [
    ["sinks.yaml", 7, 6, 'error', 'DUPLICATE_NAME', "sid DG0123456789abcdef0123456789abcdef is pinned by more than one sink (also at <dir>/sinks.yaml:14:6); one Twilio sink can be adopted once"],
    ["sinks.yaml", 14, 6, 'error', 'DUPLICATE_NAME', "sid DG0123456789abcdef0123456789abcdef is pinned by more than one sink (also at <dir>/sinks.yaml:7:6); one Twilio sink can be adopted once"],
  ],
  'empty-document': [
    ["sinks.yaml", 7, 1, 'error', 'EMPTY_DOCUMENT', "empty YAML document: declare a sink here or remove the extra '---'"],
  ],
  'empty-file': [
    ["sink.yaml", 1, 1, 'error', 'EMPTY_DOCUMENT', "file declares no sink: it is empty or holds only comments"],
  ],
  'empty-sink-configuration': [
    ["sink.yaml", 5, 1, 'error', 'SCHEMA', "sink_configuration must be a mapping, but it is empty"],
  ],
  'env-missing': [
    ["sink.yaml", 8, 16, 'warning', 'ENV_MISSING', "sink_configuration.external_id uses ${KINESIS_EXTERNAL_ID_UNSET}, which is not set: its value is unknown (plan treats it as unknown; apply needs it)"],
  ],
  'invalid-env-reference': [
    ["sink.yaml", 6, 16, 'error', 'SCHEMA', "sink_configuration.destination has an invalid environment reference: '${' must be followed by a variable name (letters, digits, _) and '}' (write '$${' for a literal '${')"],
  ],
  'kinesis-missing-arn': [
    ["sink.yaml", 5, 1, 'error', 'SCHEMA', "missing required key 'arn' in sink_configuration for sink_type kinesis"],
  ],
  'kinesis-missing-external-id': [
    ["sink.yaml", 5, 1, 'error', 'SCHEMA', "missing required key 'external_id' in sink_configuration for sink_type kinesis"],
  ],
  'kinesis-missing-role-arn': [
    ["sink.yaml", 5, 1, 'error', 'SCHEMA', "missing required key 'role_arn' in sink_configuration for sink_type kinesis"],
  ],
  'list-document': [
    ["sink.yaml", 2, 1, 'error', 'NOT_A_MAPPING', "document must be a mapping with the keys name, description, sink_type and sink_configuration, not a list"],
  ],
  'literal-secret': [
    ["sink.yaml", 6, 14, 'warning', 'LITERAL_SECRET', "sink_configuration.write_key is a secret written in the repository; use an environment reference such as write_key: ${SEGMENT_WRITE_KEY}"],
  ],
  'method-lowercase': [
    ["sink.yaml", 7, 11, 'error', 'SCHEMA', "sink_configuration.method must be one of GET, POST, not \"post\"; did you mean 'POST'?"],
  ],
  'missing-description': [
    ["sink.yaml", 2, 1, 'error', 'SCHEMA', "missing required key 'description'"],
  ],
  'missing-name': [
    ["sink.yaml", 2, 1, 'error', 'SCHEMA', "missing required key 'name'"],
  ],
  'missing-sink-configuration': [
    ["sink.yaml", 2, 1, 'error', 'SCHEMA', "missing required key 'sink_configuration'"],
  ],
  'missing-sink-type': [
    ["sink.yaml", 2, 1, 'error', 'SCHEMA', "missing required key 'sink_type'"],
  ],
  'multi-document': [
    ["sinks.yaml", 13, 3, 'error', 'UNKNOWN_KEY', "unknown key 'method' in sink_configuration for sink_type segment ('method' is a setting of sink_type webhook)"],
  ],
  'name-is-number': [
    ["sink.yaml", 2, 7, 'error', 'SCHEMA', "name must be a string, not a number (put the value in quotes)"],
  ],
  'name-too-long': [
    ["sink.yaml", 2, 7, 'error', 'SCHEMA', "name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, not \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\""],
  ],
  'scalar-document': [
    ["sink.yaml", 2, 1, 'error', 'NOT_A_MAPPING', "document must be a mapping with the keys name, description, sink_type and sink_configuration, not a single value"],
  ],
  'secret-wrong-type': [
    ["sink.yaml", 6, 14, 'error', 'SCHEMA', "sink_configuration.write_key must be a string, not a number (put the value in quotes)"],
  ],
  'segment-missing-write-key': [
    ["sink.yaml", 5, 1, 'error', 'SCHEMA', "missing required key 'write_key' in sink_configuration for sink_type segment"],
  ],
  'sink-configuration-is-list': [
    ["sink.yaml", 6, 3, 'error', 'SCHEMA', "sink_configuration must be a mapping, not a list"],
  ],
  'tab-indentation': [
    ["sink.yaml", 6, 1, 'error', 'YAML_SYNTAX', "invalid YAML: Tabs are not allowed as indentation"],
  ],
  'unknown-config-key-typo': [
    ["sink.yaml", 5, 1, 'error', 'SCHEMA', "missing required key 'destination' in sink_configuration for sink_type webhook"],
    ["sink.yaml", 6, 3, 'error', 'UNKNOWN_KEY', "unknown key 'destinaton' in sink_configuration for sink_type webhook; did you mean 'destination'?"],
  ],
  'unknown-top-level-key': [
    ["sink.yaml", 2, 1, 'error', 'SCHEMA', "missing required key 'sink_type'"],
    ["sink.yaml", 4, 1, 'error', 'UNKNOWN_KEY', "unknown key 'sinktype'; did you mean 'sink_type'?"],
  ],
  'unsupported-sink-type': [
    ["sink.yaml", 4, 12, 'error', 'SCHEMA', "sink_type must be one of kinesis, webhook, segment, not \"email\""],
  ],
  'url-bad-scheme': [
    ["sink.yaml", 6, 16, 'error', 'SCHEMA', "sink_configuration.destination must be an absolute http:// or https:// URL, not \"ftp://example.org/hook\""],
  ],
  'url-relative': [
    ["sink.yaml", 6, 16, 'error', 'SCHEMA', "sink_configuration.destination must be an absolute http:// or https:// URL, not \"/webhooks/orders\""],
  ],
  'webhook-missing-destination': [
    ["sink.yaml", 5, 1, 'error', 'SCHEMA', "missing required key 'destination' in sink_configuration for sink_type webhook"],
  ],
  'wrong-sink-type': [
    ["sink.yaml", 4, 12, 'error', 'SCHEMA', "sink_type must be one of kinesis, webhook, segment, not \"webhok\"; did you mean 'webhook'?"],
  ],
  'yaml-syntax-error': [
    ["sink.yaml", 6, 1, 'error', 'YAML_SYNTAX', "invalid YAML: Flow map in block collection must be sufficiently indented and end with a }"],
  ],
};

/** Cases whose only findings are warnings: validate passes. */
const WARNINGS_ONLY = new Set(['env-missing', 'literal-secret']);

describe('broken sink files', () => {
  it('covers every fixture folder, and at least 25 failing ones', () => {
    const folders = readdirSync(path.join(REPO_ROOT, FIXTURES)).sort();
    expect(Object.keys(CASES).sort()).toEqual(folders);
    expect(folders.filter((f) => !WARNINGS_ONLY.has(f)).length).toBeGreaterThanOrEqual(25);
  });

  it.each(Object.entries(CASES))('%s', async (name, expected) => {
    const dir = `${FIXTURES}/${name}`;
    const state = await loadDesired(dir, { cwd: REPO_ROOT, env: {} });
    const actual = state.diagnostics.map((d) => [d.file, d.line, d.column, d.severity, d.code, d.message]);
    const want = expected.map(([file, line, column, severity, code, message]) => [
      `${dir}/${file}`,
      line,
      column,
      severity,
      code,
      message.replaceAll('<dir>/', `${dir}/`),
    ]);
    expect(actual).toEqual(want);

    const io = bufferIo(REPO_ROOT, {});
    const code = await run(['validate', '--dir', dir], io);
    expect(code).toBe(WARNINGS_ONLY.has(name) ? 0 : 1);
    // Text output is exactly the located diagnostics, then the summary.
    const lines = io.out().trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual(state.diagnostics.map(formatDiagnostic));
    expect(io.err()).toBe('');
  });
});
