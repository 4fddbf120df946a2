/**
 * `sinkops init` (SPEC §15): the starter repository it writes validates, its workflows use the
 * action with inputs action.yml declares, and nothing that exists is overwritten without --force.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { E2E_TEST_TIMEOUT_MS, REPO_ROOT, runCli, tempDir } from '../e2e/helpers/index.js';

const SCHEMA_ID = (JSON.parse(await readFile(join(REPO_ROOT, 'schemas', 'sink.schema.json'), 'utf8')) as { $id: string }).$id;
const ACTION = parse(await readFile(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};
const SINK = 'sinks/example-webhook.yaml';
const PLAN = '.github/workflows/sinkops-plan.yml';
const APPLY = '.github/workflows/sinkops-apply.yml';
const SETTINGS = '.vscode/settings.json';

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly if?: string;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly concurrency: { group: string; 'cancel-in-progress': boolean };
  readonly jobs: Record<string, { steps: Step[]; environment?: string; 'timeout-minutes'?: number }>;
}

async function workflow(root: string, path: string): Promise<Workflow> {
  return parse(await readFile(join(root, path), 'utf8')) as Workflow;
}

const actionSteps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('sinkops/sinkops@'));

describe('sinkops init', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('writes a starter repository that validates offline', async () => {
    const cwd = await tempDir();
    const r = await runCli(['init'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of [SINK, PLAN, APPLY, SETTINGS]) expect(r.stdout).toContain(`+ ${f}`);
    for (const s of ['TWILIO_ACCOUNT_SID', 'TWILIO_PLAN_API_KEY', 'TWILIO_PLAN_API_SECRET', 'TWILIO_API_KEY', 'TWILIO_API_SECRET']) expect(r.stdout).toContain(s);

    const sink = await readFile(join(cwd, SINK), 'utf8');
    expect(sink.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_ID}`);
    const doc = parse(sink) as { sink_type: string; subscriptions: { events: Record<string, number> }[] };
    expect(doc.sink_type).toBe('webhook');
    expect(doc.subscriptions[0]?.events).toEqual({ 'com.twilio.messaging.message.delivered': 2 });

    const settings = JSON.parse(await readFile(join(cwd, SETTINGS), 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
    expect(settings['yaml.schemas'][SCHEMA_ID]).toContain('sinks/**/*.yaml');

    const v = await runCli(['validate'], { cwd });
    expect(v.stdout + v.stderr).not.toMatch(/error/i);
    expect(v.code).toBe(0);
    // …and plans against the local account: the example's event type and version exist.
    const p = await runCli(['plan', '--local'], { cwd });
    expect(p.code, p.stdout + p.stderr).toBe(0);
    expect(p.stdout).toContain('example-webhook');
  });

  it('writes workflows whose steps use the action with the inputs action.yml declares', async () => {
    const cwd = await tempDir();
    expect((await runCli(['init'], { cwd })).code).toBe(0);
    const inputs = Object.keys(ACTION.inputs);
    const outputs = Object.keys(ACTION.outputs);
    const plan = await workflow(cwd, PLAN);
    const apply = await workflow(cwd, APPLY);
    for (const w of [plan, apply]) {
      const steps = actionSteps(w);
      expect(steps.length).toBeGreaterThanOrEqual(2);
      for (const step of steps) {
        expect(step.uses).toBe('sinkops/sinkops@v0');
        for (const key of Object.keys(step.with ?? {})) expect(inputs).toContain(key);
      }
      // Every `steps.<id>.outputs.<name>` names an output the action has, of a step that exists.
      const text = JSON.stringify(w);
      const ids = new Set(Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.id)));
      for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect(ids).toContain(m[1]);
        expect(outputs).toContain(m[2]);
      }
    }
    // plan: pull requests touching sinks/, read-only key, sticky comment, annotations.
    expect(plan.on).toEqual({ pull_request: { paths: ['sinks/**'] } });
    const planStep = actionSteps(plan).find((s) => s.with?.['command'] === 'plan');
    expect(planStep?.env).toMatchObject({ TWILIO_API_KEY: '${{ secrets.TWILIO_PLAN_API_KEY }}', TWILIO_API_SECRET: '${{ secrets.TWILIO_PLAN_API_SECRET }}' });
    expect(planStep?.with).toMatchObject({ format: 'markdown', args: '--annotations' });
    expect(actionSteps(plan).map((s) => s.with?.['args'])).toContain('comment --file ${{ steps.plan.outputs.stdout-file }}');
    expect(JSON.stringify(plan)).toContain('GITHUB_STEP_SUMMARY');
    // apply: push to main, protected environment, the reviewed hash, a manual re-run with a hash.
    const job = Object.values(apply.jobs)[0]!;
    expect(job.environment).toBe('production');
    expect(job['timeout-minutes']).toBeGreaterThan(0);
    expect(apply.concurrency).toEqual({ group: 'sinkops-apply', 'cancel-in-progress': false });
    expect(apply.on['push']).toEqual({ branches: ['main'], paths: ['sinks/**'] });
    expect(apply.on['workflow_dispatch']).toMatchObject({ inputs: { 'plan-hash': { required: true } } });
    expect(actionSteps(apply).map((s) => s.with?.['args'])).toContain('reviewed-hash');
    const applyStep = actionSteps(apply).find((s) => s.with?.['command'] === 'apply');
    expect(applyStep?.with?.['args']).toBe('--yes --expect-plan-hash ${{ steps.reviewed.outputs.plan-hash || inputs.plan-hash }}');
    expect(applyStep?.env).toMatchObject({ TWILIO_API_KEY: '${{ secrets.TWILIO_API_KEY }}' });
  });

  it('threads --stack through every step and the concurrency group', async () => {
    const cwd = await tempDir();
    expect((await runCli(['init', '--stack', 'blue'], { cwd })).code).toBe(0);
    for (const path of [PLAN, APPLY]) {
      const w = await workflow(cwd, path);
      for (const step of actionSteps(w)) expect(step.with?.['stack']).toBe('blue');
      expect(w.concurrency.group).toContain('blue');
    }
    expect((await runCli(['init', '--stack', 'Not_A_Stack'], { cwd: await tempDir() })).code).toBe(1);
  });

  it('never overwrites without --force, and leaves settings that are not JSON alone', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, 'sinks'), { recursive: true });
    await mkdir(join(cwd, '.vscode'), { recursive: true });
    await writeFile(join(cwd, SINK), 'mine\n');
    await writeFile(join(cwd, SETTINGS), '{ // comments: not JSON\n}\n');
    const r = await runCli(['init'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Skipped 1[\s\S]*= sinks\/example-webhook\.yaml/);
    expect(r.stdout).toContain('.vscode/settings.json was left alone');
    expect(await readFile(join(cwd, SINK), 'utf8')).toBe('mine\n');
    expect(await readFile(join(cwd, SETTINGS), 'utf8')).toBe('{ // comments: not JSON\n}\n');
    expect(existsSync(join(cwd, PLAN))).toBe(true);

    const again = await runCli(['init'], { cwd });
    expect(again.stdout).toContain('Wrote nothing.');
    expect(again.stdout).toContain('Skipped 3');

    const forced = await runCli(['init', '--force'], { cwd });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`+ ${SINK} (overwritten)`);
    expect(await readFile(join(cwd, SINK), 'utf8')).toContain('example-webhook');
    expect(await readFile(join(cwd, SETTINGS), 'utf8')).toBe('{ // comments: not JSON\n}\n');
  });

  it('merges its schema mapping into valid settings, keeping the rest', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, '.vscode'), { recursive: true });
    await writeFile(join(cwd, SETTINGS), JSON.stringify({ 'editor.tabSize': 2, 'yaml.schemas': { 'https://x.example/s.json': 'other/*.yaml' } }));
    expect((await runCli(['init', '--dir', '.'], { cwd })).code).toBe(0);
    const settings = JSON.parse(await readFile(join(cwd, SETTINGS), 'utf8')) as Record<string, unknown>;
    expect(settings['editor.tabSize']).toBe(2);
    expect(settings['yaml.schemas']).toEqual({ 'https://x.example/s.json': 'other/*.yaml', [SCHEMA_ID]: ['sinks/**/*.yaml', 'sinks/**/*.yml'] });
    expect((await runCli(['init'], { cwd })).stdout).toContain('already maps the sink schema');
  });

  it('writes into --dir, and refuses a symbolic link that leads out of it', async () => {
    const cwd = await tempDir();
    const r = await runCli(['init', '--dir', 'repo'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ repo/sinks/example-webhook.yaml');
    expect(existsSync(join(cwd, 'repo', APPLY))).toBe(true);

    const outside = await tempDir();
    const root = await tempDir();
    await symlink(outside, join(root, '.github'));
    const refused = await runCli(['init'], { cwd: root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\.github is a symbolic link that points outside/);
    expect(existsSync(join(root, 'sinks'))).toBe(false);
    expect(existsSync(join(outside, 'workflows'))).toBe(false);
  });
});
