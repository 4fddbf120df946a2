import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { bufferIo, REPO_ROOT, tempTrees, WEBHOOK } from '../desired/helpers.js';

const tree = tempTrees();

const BROKEN = {
  'sinks/a.yaml': WEBHOOK('a'),
  'sinks/b.yaml': 'name: b\ndescription: B\nsinktype: webhook\nsink_configuration: {destination: https://e.org}\n',
  'sinks/c.yaml': 'name: c\ndescription: C\nsink_type: segment\nsink_configuration:\n  write_key: ${WK}\n',
};

describe('sinkops validate', () => {
  it('text: located diagnostics and a summary; exit 1 on errors', async () => {
    const io = bufferIo(await tree(BROKEN));
    expect(await run(['validate'], io)).toBe(1);
    expect(io.out()).toBe(
      [
        "sinks/b.yaml:1:1: error: missing required key 'sink_type'",
        "sinks/b.yaml:3:1: error: unknown key 'sinktype'; did you mean 'sink_type'?",
        'sinks/c.yaml:5:14: warning: sink_configuration.write_key uses ${WK}, which is not set: its value is unknown (plan treats it as unknown; apply needs it)',
        '2 errors, 1 warning in 2 files',
        '',
      ].join('\n'),
    );
    expect(io.err()).toBe('');
  });

  it('text: OK summary, exit 0, warnings allowed', async () => {
    const cwd = await tree({ 'conf/a.yaml': WEBHOOK('a'), 'conf/b.yaml': WEBHOOK('b') });
    const io = bufferIo(cwd);
    expect(await run(['validate', '--dir', 'conf'], io)).toBe(0);
    expect(io.out()).toBe('OK: 2 sinks in 2 files\n');

    const withWarning = bufferIo(await tree({ 'sinks/c.yaml': BROKEN['sinks/c.yaml'] }));
    expect(await run(['validate', '--format', 'text'], withWarning)).toBe(0);
    expect(withWarning.out().split('\n').slice(-2)).toEqual(['OK: 1 sink in 1 file, 1 warning', '']);
  });

  it('reads ${NAME} from the environment it is given', async () => {
    const io = bufferIo(await tree({ 'sinks/c.yaml': BROKEN['sinks/c.yaml'] }), { WK: 'key-value-123' });
    expect(await run(['validate'], io)).toBe(0);
    expect(io.out()).toBe('OK: 1 sink in 1 file\n');
  });

  it('json: the documented report', async () => {
    const io = bufferIo(await tree(BROKEN));
    expect(await run(['validate', '--format', 'json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual({
      valid: false,
      sinks: 2,
      files: 3,
      diagnostics: [
        { severity: 'error', code: 'SCHEMA', file: 'sinks/b.yaml', line: 1, column: 1, message: "missing required key 'sink_type'" },
        {
          severity: 'error',
          code: 'UNKNOWN_KEY',
          file: 'sinks/b.yaml',
          line: 3,
          column: 1,
          message: "unknown key 'sinktype'; did you mean 'sink_type'?",
        },
        {
          severity: 'warning',
          code: 'ENV_MISSING',
          file: 'sinks/c.yaml',
          line: 5,
          column: 14,
          message:
            'sink_configuration.write_key uses ${WK}, which is not set: its value is unknown (plan treats it as unknown; apply needs it)',
        },
      ],
    });
  });

  it('json: valid', async () => {
    const io = bufferIo(await tree({ 'sinks/a.yaml': WEBHOOK('a') }));
    expect(await run(['validate', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ valid: true, sinks: 1, files: 1, diagnostics: [] });
  });

  it('github: workflow commands, then the summary', async () => {
    const io = bufferIo(await tree(BROKEN));
    expect(await run(['validate', '--format', 'github'], io)).toBe(1);
    expect(io.out()).toBe(
      [
        "::error file=sinks/b.yaml,line=1,col=1::missing required key 'sink_type'",
        "::error file=sinks/b.yaml,line=3,col=1::unknown key 'sinktype'; did you mean 'sink_type'?",
        '::warning file=sinks/c.yaml,line=5,col=14::sink_configuration.write_key uses ${WK}, which is not set: its value is unknown (plan treats it as unknown; apply needs it)',
        '2 errors, 1 warning in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('github: at most 10 error annotations, the rest as plain lines with a count', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`sinks/s${String(i).padStart(2, '0')}.yaml`] = WEBHOOK(`S${i}`);
    const io = bufferIo(await tree(files));
    expect(await run(['validate', '--format', 'github'], io)).toBe(1);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(lines.slice(10)).toEqual([
      'sinks/s10.yaml:1:7: error: name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, not "S10"',
      'sinks/s11.yaml:1:7: error: name must be 1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, not "S11"',
      '2 more errors not shown as annotations (GitHub shows at most 10 error annotations per step); see the lines above',
      '12 errors, 0 warnings in 12 files',
    ]);
  });

  it('validates the repository examples (missing secrets are warnings)', async () => {
    const io = bufferIo(REPO_ROOT);
    expect(await run(['validate'], io)).toBe(0);
    expect(io.out()).toMatch(/OK: 3 sinks in 3 files, 2 warnings\n$/);
  });

  it('refuses an unknown --format as a usage error', async () => {
    const io = bufferIo(await tree({ 'sinks/a.yaml': WEBHOOK('a') }));
    expect(await run(['validate', '--format', 'xml'], io)).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toBe("Error: --format must be one of text, json, github, not 'xml'\n");
  });

  it('refuses unknown options and arguments', async () => {
    const io = bufferIo(REPO_ROOT);
    expect(await run(['validate', '--bogus'], io)).toBe(1);
    expect(io.err()).toMatch(/^Error: unknown option '--bogus'.*sinkops validate --help/);
    const extra = bufferIo(REPO_ROOT);
    expect(await run(['validate', 'sinks'], extra)).toBe(1);
    expect(extra.err()).toMatch(/unexpected argument 'sinks'/);
  });

  it('shows its help', async () => {
    const io = bufferIo(REPO_ROOT);
    expect(await run(['validate', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: sinkops validate [--dir sinks] [--format text|json|github]');
  });

  it('never prints a secret, in any format', async () => {
    const cwd = await tree({
      'sinks/k.yaml':
        'name: k\ndescription: K\nsink_type: kinesis\nsink_configuration:\n  arn: ${ARN}\n  role_arn: r\n  external_id: ${EXT}\n  extra: 1\n',
      'sinks/s.yaml': 'name: s\ndescription: S\nsink_type: segment\nsink_configuration:\n  write_key: LITERALWRITEKEY\n',
      'sinks/w.yaml': 'name: w\ndescription: W\nsink_type: webhook\nsink_configuration:\n  destination: ${HOOK}\n  method: ${M}\n',
    });
    for (const format of ['text', 'json', 'github']) {
      const io = bufferIo(cwd, { ARN: 'ARNSECRET', EXT: 'EXTSECRET', HOOK: 'ftp://HOOKSECRET', M: 'MSECRET', LOG_LEVEL: 'trace' });
      expect(await run(['validate', '--format', format], io)).toBe(1);
      const all = io.out() + io.err();
      for (const secret of ['ARNSECRET', 'EXTSECRET', 'HOOKSECRET', 'MSECRET', 'LITERALWRITEKEY']) {
        expect(all).not.toContain(secret);
      }
    }
  });
});
