/**
 * The action's inputs → the CLI's argv (action/action.ts), and action.yml's declared inputs and
 * outputs against what the entry reads and writes. The bundled entry itself is run by
 * action-entry.test.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ActionInputError, actionArgv, input, planHashOf, writeOutputs } from '../../action/action.js';

const inputs = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));

/** What GitHub sets when a workflow gives only some inputs: the rest are action.yml's defaults. */
const DEFAULTS = { command: 'plan', dir: 'sinks', stack: '', account: '', format: '', args: '' };

describe('actionArgv', () => {
  it('runs plan on sinks/ when nothing is given, inside GitHub or out', async () => {
    expect(await actionArgv(inputs(DEFAULTS))).toEqual(['plan', '--dir=sinks']);
    expect(await actionArgv({})).toEqual(['plan', '--dir=sinks']);
  });

  it('passes each input as one --option=value argument, and args last so that they win', async () => {
    const env = inputs({ ...DEFAULTS, command: 'apply', dir: ' prod sinks ', stack: '-blue', account: 'prod, staging-*  eu', format: 'markdown', args: '  --yes\n--expect-plan-hash=sha256:ab  --dir other ' });
    expect(await actionArgv(env)).toEqual([
      'apply',
      '--dir=prod sinks',
      '--stack=-blue',
      '--account=prod',
      '--account=staging-*',
      '--account=eu',
      '--format=markdown',
      '--yes',
      '--expect-plan-hash=sha256:ab',
      '--dir',
      'other',
    ]);
  });

  it('gives dir to the commands that read or write sink files, and to no other', async () => {
    expect(await actionArgv(inputs({ ...DEFAULTS, command: 'validate' }))).toEqual(['validate', '--dir=sinks']);
    // A repository with sinkops.yaml names a folder per account: no --dir, whatever the input says.
    expect(await actionArgv(inputs({ ...DEFAULTS, command: 'plan', dir: 'sinks' }), { hasRepoConfig: true })).toEqual(['plan']);
    expect(await actionArgv(inputs({ ...DEFAULTS, command: 'apply', account: 'customers/*' }), { hasRepoConfig: true })).toEqual(['apply', '--account=customers/*']);
    expect(await actionArgv(inputs({ ...DEFAULTS, command: 'import', dir: 'imported' }))).toEqual(['import', '--out-dir=imported']);
    expect(await actionArgv(inputs({ ...DEFAULTS, command: 'github', args: 'comment --file /home/runner/work/_temp/plan.md' }))).toEqual([
      'github',
      'comment',
      '--file',
      '/home/runner/work/_temp/plan.md',
    ]);
    // Unknown to the action too: the CLI says so, with its list of commands.
    expect(await actionArgv(inputs({ ...DEFAULTS, command: 'nope' }))).toEqual(['nope']);
  });

  it.each([
    ['"quoted value"', '"quoted'],
    ['--out $RUNNER_TEMP/plan.json', '$RUNNER_TEMP/plan.json'],
    ['--out ~/plan.json', '~/plan.json'],
    ['--replace *', '*'],
    ['--yes;rm', '--yes;rm'],
    ['> plan.md', '>'],
    ['`id`', '`id`'],
  ])('refuses args %j: no shell would read it', async (args, token) => {
    const run = () => actionArgv(inputs({ ...DEFAULTS, args }));
    await expect(run()).rejects.toThrow(ActionInputError);
    await expect(run()).rejects.toThrow(`'${token}' is not a plain argument. No shell runs the arguments`);
  });

  it('refuses a command that is not a command name, and values on more than one line', async () => {
    await expect(actionArgv(inputs({ ...DEFAULTS, command: '--help' }))).rejects.toThrow("input 'command' must be a sinkops command");
    await expect(actionArgv(inputs({ ...DEFAULTS, command: 'plan --yes' }))).rejects.toThrow("input 'command' must be a sinkops command");
    await expect(actionArgv(inputs({ ...DEFAULTS, stack: 'a\nb' }))).rejects.toThrow("input 'stack' must be one line");
  });

  it('reads inputs the way GitHub names them', async () => {
    expect(input({ INPUT_MY_INPUT: ' x ' }, 'my input')).toBe('x');
    expect(input({ 'INPUT_PLAN-HASH': 'y' }, 'plan-hash')).toBe('y');
    expect(input({}, 'command')).toBe('');
  });
});

describe('planHashOf', () => {
  const hash = `sha256:${'a'.repeat(64)}`;
  it('reads the hidden first line of a Markdown plan, plan_hash of a JSON one, and the line of github reviewed-hash', () => {
    expect(planHashOf(`${hash}\n`)).toBe(hash);
    expect(planHashOf(`<!-- sinkops:plan-hash ${hash} -->\n### sinkops plan\n`)).toBe(hash);
    expect(planHashOf(`${JSON.stringify({ format_version: 1, plan_hash: hash }, null, 2)}\n`)).toBe(hash);
  });
  it('finds none in text, in a marker further down, or in a malformed hash', () => {
    expect(planHashOf(`Plan: 1 to create\n<!-- sinkops:plan-hash ${hash} -->\n`)).toBeUndefined();
    expect(planHashOf(JSON.stringify({ plan_hash: 'sha256:xyz' }))).toBeUndefined();
    expect(planHashOf('{ not json')).toBeUndefined();
    expect(planHashOf('')).toBeUndefined();
    expect(planHashOf(`Found ${hash}\n`)).toBeUndefined();
  });
});

describe('writeOutputs', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('appends name=value lines to $GITHUB_OUTPUT, refuses a line break, and writes nothing outside GitHub', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sinkops-action-'));
    const file = join(dir, 'output');
    writeOutputs({ GITHUB_OUTPUT: file }, { 'exit-code': '0' });
    writeOutputs({ GITHUB_OUTPUT: file }, { 'exit-code': '2', 'plan-hash': 'sha256:x' });
    expect(await readFile(file, 'utf8')).toBe('exit-code=0\nexit-code=2\nplan-hash=sha256:x\n');
    expect(() => writeOutputs({ GITHUB_OUTPUT: file }, { x: 'a\nb' })).toThrow('output x must be one line');
    expect(() => writeOutputs({}, { 'exit-code': '0' })).not.toThrow();
  });
});

describe('action.yml', () => {
  it('declares the inputs the entry reads and the outputs it writes, and runs the committed bundle on node20', async () => {
    const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(DEFAULTS).sort());
    expect(Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default]))).toEqual(DEFAULTS);
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'plan-hash', 'stdout-file']);
    expect(action.runs).toEqual({ using: 'node20', main: 'action/dist/main.mjs' });
  });
});
