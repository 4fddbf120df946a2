import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { VERSION } from '../../src/version.js';
import { bufferIo, REPO_ROOT } from '../desired/helpers.js';

/** The CLI frame every command plugs into: help, version, usage errors and their exit codes. */
describe('sinkops command line', () => {
  it('prints the version', async () => {
    const io = bufferIo(REPO_ROOT);
    expect(await run(['--version'], io)).toBe(0);
    expect(io.out()).toBe(`${VERSION}\n`);
  });

  it('lists every command in --help, and exits 1 when run without one', async () => {
    const io = bufferIo(REPO_ROOT);
    expect(await run(['--help'], io)).toBe(0);
    for (const name of ['validate', 'plan', 'apply', 'activate', 'import', 'emulator']) expect(io.out()).toMatch(new RegExp(`^  ${name} `, 'm'));
    const bare = bufferIo(REPO_ROOT);
    expect(await run([], bare)).toBe(1);
    expect(bare.out()).toContain('Usage: sinkops <command>');
  });

  it("prints a command's options with <command> --help", async () => {
    const io = bufferIo(REPO_ROOT);
    expect(await run(['apply', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: sinkops apply [plan.json]');
    expect(io.out()).toMatch(/--max-deletes N +refuse plans/);
  });

  it.each([
    [['aply'], "Error: unknown command 'aply'; did you mean 'apply'? Run 'sinkops --help' for usage.\n"],
    [['frobnicate'], "Error: unknown command 'frobnicate' (commands: validate, plan, apply, accounts, activate, import, emulator, github, init). Run 'sinkops --help' for usage.\n"],
    [['--frob'], "Error: unknown option '--frob'. Run 'sinkops --help' for usage.\n"],
    [['plan', '--detailed-exit-code'], "Error: unknown option '--detailed-exit-code'; did you mean '--detailed-exitcode'? Run 'sinkops plan --help' for usage.\n"],
    [['plan', '--bogus'], "Error: unknown option '--bogus'. Run 'sinkops plan --help' for usage.\n"],
    [['plan', 'extra'], "Error: unexpected argument 'extra'. Run 'sinkops plan --help' for usage.\n"],
    [['plan', '--format', 'yaml'], "Error: --format must be one of text, markdown, json, not 'yaml'\n"],
    [['apply', '--parallelism', '0'], "Error: --parallelism must be a whole number from 1 to 1000, not '0'\n"],
    [['validate', '--log-level', 'loud'], "Error: --log-level must be one of fatal, error, warn, info, debug, trace, silent, not 'loud'. Run 'sinkops validate --help' for usage.\n"],
  ])('answers %j with one line and exit 1', async (argv, message) => {
    const io = bufferIo(REPO_ROOT);
    expect(await run(argv, io)).toBe(1);
    expect(io.err()).toBe(message);
    expect(io.out()).toBe('');
  });
});
