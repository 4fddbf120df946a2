/**
 * `sinkops validate --no-env-check`: for CI steps that validate without secrets by design (a fork's
 * pull request), the ENV_MISSING warnings are left out; every other check stays.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { bufferIo, tempTrees, WEBHOOK } from '../desired/helpers.js';

const tree = tempTrees();

const FILES = {
  'sinks/a.yaml': WEBHOOK('a'),
  'sinks/b.yaml': 'name: b\ndescription: B\nsinktype: webhook\nsink_configuration: {destination: https://e.org}\n',
  'sinks/c.yaml': 'name: c\ndescription: C\nsink_type: segment\nsink_configuration:\n  write_key: ${WK}\n',
  'sinks/d.yaml': 'name: d\ndescription: D\nsink_type: segment\nsink_configuration:\n  write_key: literally-the-key\n',
};

describe('sinkops validate --no-env-check', () => {
  it('leaves out the missing-variable warnings and reports everything else, in every format', async () => {
    const cwd = await tree(FILES);
    const checked = bufferIo(cwd);
    expect(await run(['validate', '--format', 'json'], checked)).toBe(1);
    const all = JSON.parse(checked.out()) as { diagnostics: { code: string }[] };
    expect(all.diagnostics.map((d) => d.code)).toContain('ENV_MISSING');

    const unchecked = bufferIo(cwd);
    expect(await run(['validate', '--format', 'json', '--no-env-check'], unchecked)).toBe(1);
    const doc = JSON.parse(unchecked.out()) as { valid: boolean; sinks: number; files: number; diagnostics: { code: string }[] };
    expect(doc.diagnostics).toEqual(all.diagnostics.filter((d) => d.code !== 'ENV_MISSING'));
    expect(doc.diagnostics.map((d) => d.code).sort()).toEqual(['LITERAL_SECRET', 'SCHEMA', 'UNKNOWN_KEY']);
    expect({ valid: doc.valid, sinks: doc.sinks, files: doc.files }).toEqual({ valid: false, sinks: 3, files: 4 });

    for (const format of ['text', 'github']) {
      const io = bufferIo(cwd);
      expect(await run(['validate', '--format', format, '--no-env-check'], io)).toBe(1);
      expect(io.out()).not.toContain('${WK}');
      expect(io.out()).toContain("unknown key 'sinktype'");
      expect(io.out()).toContain('2 errors, 1 warning in 2 files');
    }
  });

  it('passes a folder whose only warnings are missing variables without a warning', async () => {
    const io = bufferIo(await tree({ 'sinks/c.yaml': FILES['sinks/c.yaml'] }));
    expect(await run(['validate', '--no-env-check'], io)).toBe(0);
    expect(io.out()).toBe('OK: 1 sink in 1 file\n');
  });

  it('is in the help', async () => {
    const io = bufferIo(await tree({}));
    expect(await run(['validate', '--help'], io)).toBe(0);
    expect(io.out()).toContain('[--no-env-check]');
    expect(io.out()).toMatch(/--no-env-check\s+do not warn about \$\{VAR\} references whose variable is not set/);
  });
});
