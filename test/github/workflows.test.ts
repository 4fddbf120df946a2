/**
 * .github/workflows/plan.yml, apply.yml and drift.yml: their YAML parses with the fields SPEC §9
 * asks for, and their shell steps, run as GitHub runs them (`bash -eo pipefail`) with `npx sinkops`
 * being the built CLI, do the job against the emulator and a fake GitHub API.
 */
import { spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { assertBuilt, CLI, PROCESS_TEST_TIMEOUT_MS, REPO_ROOT, managed, sid, startE2eEmulator, tempDir, writeFiles, writeRepo, type SinkDoc } from '../e2e/helpers/index.js';
import { listSinks } from '../e2e/helpers/account.js';
import { BOT, githubEnv, startFakeGitHub } from './fake-github.js';

// The steps' scripts run as GitHub runs them: bash, then the built CLI as a process, several per test.
vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, any>;
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { if?: string; environment?: string; 'timeout-minutes'?: number; env?: Record<string, string>; steps: Step[] }>;
}

async function workflow(name: string): Promise<Workflow> {
  return parse(await readFile(join(REPO_ROOT, '.github', 'workflows', name), 'utf8')) as Workflow;
}

function step(wf: Workflow, name: string): Step {
  const found = Object.values(wf.jobs)[0]!.steps.find((s) => s.name === name);
  if (found?.run === undefined) throw new Error(`no run step '${name}'`);
  return found;
}

describe('workflow files', () => {
  it('keeps secrets and the token away from `npm ci`: only the steps that use them get them', async () => {
    for (const name of ['plan.yml', 'apply.yml', 'drift.yml']) {
      const job = Object.values((await workflow(name)).jobs)[0]!;
      expect(Object.values(job.env ?? {}).filter((v) => /secrets\.|github\.token/.test(v) && !/!= ''/.test(v)), name).toEqual([]);
      const install = job.steps.find((s) => s.run?.startsWith('npm ci'))!;
      expect(install.env, name).toBeUndefined();
      for (const s of job.steps) if (s.run?.includes('sinkops github')) expect(s.env?.['GITHUB_TOKEN'], `${name}: ${s.name}`).toBe('${{ github.token }}');
    }
  });

  it('plan.yml: pull requests touching sinks/, validate with annotations, plan only with secrets', async () => {
    const wf = await workflow('plan.yml');
    expect(wf.on).toEqual({ pull_request: { paths: ['sinks/**'] } });
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const job = wf.jobs['plan']!;
    expect(job.env?.['HAS_TWILIO_CREDENTIALS']).toContain("secrets.TWILIO_PLAN_API_SECRET != ''");
    // The sinkops that runs with credentials is the base branch's; the pull request's sinks/ are data.
    const checkouts = job.steps.filter((s) => s.uses === 'actions/checkout@v4');
    expect(checkouts[0]?.with?.['ref']).toBe('${{ github.event.pull_request.base.sha }}');
    expect(checkouts[1]?.with).toMatchObject({ path: 'pull-request', 'sparse-checkout': 'sinks' });
    const install = job.steps.findIndex((s) => s.run?.startsWith('npm ci'));
    expect(job.steps.findIndex((s) => s.name === "Take the pull request's sinks (data only)")).toBeLessThan(install);
    expect(step(wf, 'Plan').env?.['TWILIO_API_SECRET']).toBe('${{ secrets.TWILIO_PLAN_API_SECRET }}');
    expect(JSON.stringify(step(wf, 'Plan').env)).not.toContain('TWILIO_AUTH_TOKEN');
    expect(step(wf, 'Validate').run).toBe('npx sinkops validate --format github');
    expect(step(wf, 'Plan').if).toBe("env.HAS_TWILIO_CREDENTIALS == 'true'");
    expect(step(wf, 'Plan skipped (no Twilio credentials)').if).toBe("env.HAS_TWILIO_CREDENTIALS != 'true'");
    // Secrets are never tested in `if:` (GitHub refuses that) nor pasted into a script.
    for (const s of job.steps) {
      expect(s.if ?? '').not.toContain('secrets.');
      expect(s.run ?? '').not.toContain('${{');
    }
  });

  it('plan.yml: the comment gets the default length, the job summary the full plan, the run an artifact', async () => {
    const wf = await workflow('plan.yml');
    const job = wf.jobs['plan']!;
    expect(job['timeout-minutes']).toBe(15);
    const plan = step(wf, 'Plan').run!;
    expect(plan).toContain('npx sinkops plan --format markdown --out plan.json > plan.md');
    expect(plan).toContain('npx sinkops plan --format markdown --max-chars 1000000 > plan-full.md');
    expect(plan).toContain('npx sinkops github comment --file plan.md');
    const upload = job.steps.find((s) => s.uses === 'actions/upload-artifact@v4');
    expect(upload?.if).toBe("always() && env.HAS_TWILIO_CREDENTIALS == 'true'");
    expect(upload?.with?.['path']?.split('\n').map((l) => l.trim()).filter((l) => l !== '')).toEqual(['plan.json', 'plan.md', 'plan-full.md']);
    expect(upload?.with?.['if-no-files-found']).toBe('ignore');
    // After the plan, so it uploads what the plan step left.
    expect(job.steps.indexOf(upload!)).toBe(job.steps.findIndex((s) => s.name === 'Plan') + 1);
  });

  it('apply.yml: push to main touching sinks/ or by hand, one at a time, production secrets', async () => {
    const wf = await workflow('apply.yml');
    expect(wf.on['push']).toEqual({ branches: ['main'], paths: ['sinks/**'] });
    expect(Object.keys(wf.on['workflow_dispatch'].inputs)).toEqual(['plan-hash']);
    expect(step(wf, 'Apply').run).toContain('npx sinkops apply --yes --expect-plan-hash "$DISPATCHED_HASH"');
    expect(wf.concurrency).toEqual({ group: 'sinkops-apply', 'cancel-in-progress': false });
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const job = wf.jobs['apply']!;
    expect(job.environment).toBe('production');
    expect(job['timeout-minutes']).toBe(30);
    expect(step(wf, 'Apply').env?.['TWILIO_AUTH_TOKEN']).toBe('${{ secrets.TWILIO_AUTH_TOKEN }}');
    expect(step(wf, 'Find the reviewed plan').if).toBe("github.event_name == 'push'");
    expect(step(wf, 'Apply').run).toContain('npx sinkops apply --yes --expect-plan-hash "$REVIEWED_HASH" --format markdown > result.md');
    for (const s of job.steps) expect(s.run ?? '').not.toContain('${{');
  });
});

describe('drift.yml', () => {
  it('hourly and by hand (from main only), one run at a time, read-only Twilio secrets of its own', async () => {
    const wf = await workflow('drift.yml');
    expect(Object.keys(wf.on)).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.on['schedule']).toEqual([{ cron: '17 * * * *' }]);
    expect(wf.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(wf.concurrency).toEqual({ group: 'sinkops-drift', 'cancel-in-progress': false });
    const job = wf.jobs['drift']!;
    expect(job['timeout-minutes']).toBe(15);
    expect(job.if).toBe("github.event_name == 'schedule' || github.ref == 'refs/heads/main'");
    expect(job.environment).toBeUndefined(); // not production's secrets
    const plan = step(wf, 'Plan');
    expect(plan.run).toContain('npx sinkops plan --format markdown --max-chars 64000 --out plan.json > plan.md');
    expect(plan.env).toMatchObject({ TWILIO_API_KEY: '${{ secrets.TWILIO_PLAN_API_KEY }}', TWILIO_API_SECRET: '${{ secrets.TWILIO_PLAN_API_SECRET }}' });
    // Never apply's credentials, and never the GitHub token beside the Twilio secrets.
    expect(Object.values(plan.env!).join(' ')).not.toMatch(/secrets\.TWILIO_(AUTH_TOKEN|API_KEY|API_SECRET)\b|github\.token/);
    const keep = step(wf, 'Keep the drift issue');
    expect(keep.run).toContain('npx sinkops github drift --file plan.md --plan-json plan.json');
    expect(Object.values(keep.env!).join(' ')).not.toContain('secrets.');
    // The variables the sinks reference are the plan step's, as in plan.yml.
    const planYml = step(await workflow('plan.yml'), 'Plan');
    for (const name of ['KINESIS_EXTERNAL_ID', 'SEGMENT_WRITE_KEY']) expect(plan.env?.[name]).toBe(planYml.env?.[name]);
    for (const s of job.steps) expect(s.run ?? '').not.toContain('${{');
    const upload = job.steps.find((s) => s.uses === 'actions/upload-artifact@v4');
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.['name']).toBe('sinkops-drift');
  });
});

// ---- the steps' scripts, run for real ----

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const DESIRED: SinkDoc[] = [
  // Kept as it is: a plan that prunes every managed sink it finds is refused without --allow-empty.
  { name: 'kept', description: 'Kept', sink_type: 'webhook', sink_configuration: hook('kept') },
  { name: 'orders', description: 'Orders', sink_type: 'webhook', sink_configuration: hook('orders') },
  { name: 'marketing', description: 'Marketing', sink_type: 'segment', sink_configuration: { write_key: '${SEGMENT_WRITE_KEY}' } },
];
const SHA = 'feed'.padEnd(40, '0');

let stubBin: string;
beforeAll(async () => {
  assertBuilt();
  stubBin = await tempDir('sinkops-stub-');
  // `npx sinkops …` as on the runner after `npm ci && npm run build`: the built CLI.
  await writeFile(join(stubBin, 'npx'), `#!/bin/sh\n[ "$1" = sinkops ] && shift\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(join(stubBin, 'npx'), 0o755);
});

/** A `--new` comment's body without its hidden first line (`<!-- sinkops:post NONCE -->`), which it must have. */
function withoutPostMarker(body: string): string {
  expect(body).toMatch(/^<!-- sinkops:post [0-9a-f]{24} -->\n/);
  return body.replace(/^<!-- sinkops:post [0-9a-f]{24} -->\n/, '');
}

interface StepRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
  readonly output: string;
}

/** Runs a step's script as GitHub does (`bash --noprofile --norc -eo pipefail`), in `cwd`. */
async function runStep(s: Step, cwd: string, env: Record<string, string>): Promise<StepRun> {
  const script = join(cwd, `.step-${Math.random().toString(36).slice(2)}.sh`);
  const summary = join(cwd, '.summary.md');
  const output = join(cwd, '.output');
  await writeFile(script, s.run!);
  await writeFile(summary, '');
  await writeFile(output, '');
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd,
    env: { PATH: `${stubBin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, NO_COLOR: '1', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, summary: await readFile(summary, 'utf8'), output: await readFile(output, 'utf8') };
}

async function setup() {
  const emu = await startE2eEmulator({
    sinks: [
      { sid: sid('DG', 1), description: managed('Gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
      { sid: sid('DG', 2), description: managed('Kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
    ],
    subscriptions: [],
  });
  const gh = await startFakeGitHub();
  const cwd = await writeRepo({ 'sinks/all.yaml': DESIRED, 'pr-event.json': JSON.stringify({ pull_request: { number: 21 } }), 'push-event.json': JSON.stringify({ after: SHA }) });
  gh.pullsByCommit.set(SHA, [{ number: 21, state: 'closed', merged_at: '2024-06-01T00:00:00Z', merge_commit_sha: SHA }]);
  const base = { ...emu.env, ...githubEnv(gh), SEGMENT_WRITE_KEY: 'seg-key-s3cr3t-31', RUN_URL: 'https://github.example/acme/sinks/actions/runs/1' };
  const prEnv = { ...base, HAS_TWILIO_CREDENTIALS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(cwd, 'pr-event.json') };
  const pushEnv = { ...base, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: join(cwd, 'push-event.json'), GITHUB_SHA: SHA };
  return { emu, gh, cwd, prEnv, pushEnv };
}

describe.concurrent('workflow steps', () => {
  it('plan on the pull request, then apply on merge with the reviewed hash', async () => {
    const { emu, gh, cwd, prEnv, pushEnv } = await setup();
    const planWf = await workflow('plan.yml');
    const applyWf = await workflow('apply.yml');

    const plan = await runStep(step(planWf, 'Plan'), cwd, prEnv);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.summary).toContain('**Plan: 2 to create, 0 to update, 0 to replace, 1 to delete.**');
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toBe(`<!-- sinkops:sticky -->\n${plan.summary}`);

    const reviewed = await runStep(step(applyWf, 'Find the reviewed plan'), cwd, pushEnv);
    expect(reviewed.code, reviewed.stderr).toBe(0);
    const hash = /^hash=(sha256:[0-9a-f]{64})$/m.exec(reviewed.output)?.[1];
    expect(gh.comments[0]!.body).toContain(`<!-- sinkops:plan-hash ${hash} -->`);

    const apply = await runStep(step(applyWf, 'Apply'), cwd, { ...pushEnv, REVIEWED_HASH: hash! });
    expect(apply.code, apply.stderr).toBe(0);
    expect((await listSinks(emu)).map((s) => s.description).sort()).toEqual(['Kept [sinkops:kept]', 'Marketing [sinkops:marketing]', 'Orders [sinkops:orders]']);
    expect(gh.comments).toHaveLength(2);
    expect(withoutPostMarker(gh.comments[1]!.body)).toBe(apply.summary);
    expect(gh.comments[1]!.issue).toBe(21);
    for (const text of [plan.summary, apply.summary, plan.stderr, apply.stderr, ...gh.comments.map((c) => c.body)]) expect(text).not.toContain('seg-key-s3cr3t-31');
  });

  it('on merge, a plan that changed since review is not applied and is posted on the pull request', async () => {
    const { emu, gh, cwd, prEnv, pushEnv } = await setup();
    const applyWf = await workflow('apply.yml');
    expect((await runStep(step(await workflow('plan.yml'), 'Plan'), cwd, prEnv)).code).toBe(0);
    const reviewed = await runStep(step(applyWf, 'Find the reviewed plan'), cwd, pushEnv);
    const hash = /^hash=(.*)$/m.exec(reviewed.output)![1]!;
    await writeFiles(cwd, { 'sinks/all.yaml': [...DESIRED, { name: 'late', description: 'Added after review', sink_type: 'webhook', sink_configuration: hook('late') }] });
    await emu.clearRequests();

    const apply = await runStep(step(applyWf, 'Apply'), cwd, { ...pushEnv, REVIEWED_HASH: hash });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('The plan changed since it was reviewed; nothing was applied');
    expect((await emu.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    const posted = withoutPostMarker(gh.comments[1]!.body);
    expect(posted).toMatch(/^### sinkops apply: nothing applied\n/);
    expect(posted).toContain('**Plan: 3 to create');
    expect(posted).toContain('Added after review');
    expect(gh.comments.filter((c) => c.body.startsWith('<!-- sinkops:sticky -->'))).toHaveLength(1); // the sticky is left as reviewed
  });

  it('on merge without a reviewed plan, nothing is applied and the pull request is told why', async () => {
    const { emu, gh, cwd, pushEnv } = await setup();
    const reviewed = await runStep(step(await workflow('apply.yml'), 'Find the reviewed plan'), cwd, pushEnv);
    expect(reviewed.code).toBe(1);
    expect(reviewed.output).toBe('');
    expect(gh.comments.map((c) => [c.issue, c.user.login])).toEqual([[21, BOT]]);
    expect(gh.comments[0]!.body).toContain('> Error: Pull request #21 has no sinkops plan comment by github-actions[bot]: no plan was reviewed.');
    expect(reviewed.summary).toBe(withoutPostMarker(gh.comments[0]!.body));
    expect((await emu.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a long plan: the comment keeps every delete and blocked action, the job summary the full plan, plan.json is written', async () => {
    const gone = Array.from({ length: 3 }, (_, i) => ({ sid: sid('DG', 0x10 + i), description: managed(`Gone ${i}`, `gone-${i}`), sink_type: 'webhook', sink_configuration: hook(`gone-${i}`) }));
    const emu = await startE2eEmulator({
      sinks: [
        ...gone,
        { sid: sid('DG', 2), description: managed('Kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
        { sid: sid('DG', 0x20), description: managed('Held', 'held'), sink_type: 'webhook', sink_configuration: hook('held') },
      ],
      subscriptions: [{ sid: sid('DF', 0x20), description: 'made in the Console', sink_sid: sid('DG', 0x20) }],
    });
    const gh = await startFakeGitHub();
    // 90 creates whose details (a long destination each) are far more than a comment holds.
    const long = 'p'.repeat(900);
    const docs: SinkDoc[] = [DESIRED[0]!, ...Array.from({ length: 90 }, (_, i) => ({ name: `new-${i}`, description: `New ${i}`, sink_type: 'webhook', sink_configuration: hook(`${i}/${long}`) }))];
    const cwd = await writeRepo({ 'sinks/all.yaml': docs, 'pr-event.json': JSON.stringify({ pull_request: { number: 21 } }) });
    const env = {
      ...emu.env,
      ...githubEnv(gh),
      RUN_URL: 'https://github.example/acme/sinks/actions/runs/1',
      HAS_TWILIO_CREDENTIALS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: join(cwd, 'pr-event.json'),
      GITHUB_SHA: SHA,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '1234',
    };
    const plan = await runStep(step(await workflow('plan.yml'), 'Plan'), cwd, env);
    expect(plan.code, plan.stderr).toBe(0);
    const comment = gh.comments[0]!.body;
    expect(comment.length).toBeLessThanOrEqual(65_536);
    expect(comment).toMatch(/^<!-- sinkops:sticky -->\n<!-- sinkops:plan-hash sha256:[0-9a-f]{64} -->\n### sinkops plan\n\n> \*\*Warning:\*\* this plan deletes 3 sinks; 1 blocked action will not run\.\n/);
    for (let i = 0; i < 3; i += 1) expect(comment).toContain(`| \`-\` | delete | \`gone-${i}\` | \`${sid('DG', 0x10 + i)}\` |`);
    expect(comment).toContain(`| \`!\` | blocked delete | \`held\` | \`${sid('DG', 0x20)}\` |`);
    expect(comment).toMatch(/> \*\*Note:\*\* this plan was truncated to 65000 characters, to fit GitHub's limit: \d+ action details/);
    expect(comment).toContain(' · computed at feed000 · [run](https://github.com/acme/sinks/actions/runs/1234)</sub>');
    // The job summary: the same plan, in full.
    expect(plan.summary.length).toBeGreaterThan(65_536);
    expect(plan.summary.split('\n')[0]).toBe(comment.split('\n')[1]);
    expect(plan.summary).not.toContain('> **Note:**');
    expect(plan.summary.match(/<details><summary><code>\+<\/code> create/g)).toHaveLength(90);
    const saved = JSON.parse(await readFile(join(cwd, 'plan.json'), 'utf8')) as { summary: Record<string, number> };
    expect(saved.summary).toMatchObject({ create: 90, delete: 3, blocked: 1 });
  });

  it('an apply left with blocked actions only warns, saying what is blocked and why, and does not fail', async () => {
    const emu = await startE2eEmulator({
      sinks: [
        { sid: sid('DG', 2), description: managed('Kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
        { sid: sid('DG', 0x20), description: managed('Held', 'held'), sink_type: 'webhook', sink_configuration: hook('held') },
      ],
      subscriptions: [{ sid: sid('DF', 0x20), description: 'made in the Console', sink_sid: sid('DG', 0x20) }],
    });
    const gh = await startFakeGitHub();
    const cwd = await writeRepo({ 'sinks/all.yaml': [DESIRED[0]!], 'push-event.json': JSON.stringify({ after: SHA }) });
    gh.pullsByCommit.set(SHA, [{ number: 21, state: 'closed', merged_at: '2024-06-01T00:00:00Z', merge_commit_sha: SHA }]);
    const env = { ...emu.env, ...githubEnv(gh), RUN_URL: 'https://github.example/acme/sinks/actions/runs/1', GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_EVENT_PATH: join(cwd, 'push-event.json'), GITHUB_SHA: SHA };
    const apply = await runStep(step(await workflow('apply.yml'), 'Apply'), cwd, env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([
      '::warning::sinkops apply: 1 blocked (in use by a subscription sinkops does not manage); everything else was applied.',
      `::warning::sinkops apply: blocked delete of held (${sid('DG', 0x20)}): in use by subscription ${sid('DF', 0x20)}, which sinkops does not manage (remove it in Twilio, or keep the sink in the repository)`,
    ]);
    expect(apply.summary).toContain('**Apply complete: 0 applied, 1 blocked, 0 failed.**');
    expect(gh.comments.map((c) => withoutPostMarker(c.body))).toEqual([apply.summary]);
    expect((await listSinks(emu)).map((s) => s.sid).sort()).toEqual([sid('DG', 2), sid('DG', 0x20)]);
  });

  it('a run by hand with a reviewed plan hash applies only that plan', async () => {
    const { emu, cwd, pushEnv } = await setup();
    const dispatched = { ...pushEnv, GITHUB_EVENT_NAME: 'workflow_dispatch' };
    const before = (await listSinks(emu)).map((s) => s.sid).sort();
    const wrong = await runStep(step(await workflow('apply.yml'), 'Apply'), cwd, { ...dispatched, DISPATCHED_HASH: `sha256:${'0'.repeat(64)}` });
    expect(wrong.code).toBe(1);
    expect(wrong.summary).toContain('nothing applied');
    expect((await listSinks(emu)).map((s) => s.sid).sort()).toEqual(before);
    const planned = JSON.parse((await runStep({ run: 'npx sinkops plan --format json' }, cwd, dispatched)).stdout) as { plan_hash: string };
    const right = await runStep(step(await workflow('apply.yml'), 'Apply'), cwd, { ...dispatched, DISPATCHED_HASH: planned.plan_hash });
    expect(right.code, right.stderr).toBe(0);
    expect(right.summary).toContain('Apply complete');
  });

  it('an apply that fails still fails the job', async () => {
    const { cwd, pushEnv } = await setup();
    const apply = await runStep(step(await workflow('apply.yml'), 'Apply'), cwd, { ...pushEnv, GITHUB_EVENT_NAME: 'workflow_dispatch', TWILIO_AUTH_TOKEN: 'wrong-token' });
    expect(apply.code).toBe(1);
    expect(apply.stdout).not.toContain('sinkops apply: 1 blocked');
  });

  it('a pull request without credentials is validated and told that the plan was skipped', async () => {
    const { gh, cwd, prEnv } = await setup();
    const skipped = await runStep(step(await workflow('plan.yml'), 'Plan skipped (no Twilio credentials)'), cwd, { ...prEnv, HAS_TWILIO_CREDENTIALS: 'false' });
    expect(skipped.code).toBe(0);
    expect(gh.comments[0]!.body).toMatch(/^<!-- sinkops:sticky -->\n### sinkops plan skipped\n/);
    // A fork's read-only token: the comment fails, the step still passes and the summary says it.
    const fork = await runStep(step(await workflow('plan.yml'), 'Plan skipped (no Twilio credentials)'), cwd, { ...prEnv, GITHUB_TOKEN: 'read-only' });
    expect(fork.code).toBe(0);
    expect(fork.stdout).toContain('::warning::Could not comment on the pull request');
    expect(fork.summary).toContain('sinkops plan skipped');
  });
  it('drift: the scheduled plan opens one issue while the account differs from main, and closes it once they match', async () => {
    const { emu, gh, cwd, pushEnv } = await setup();
    const wf = await workflow('drift.yml');
    const env = { ...pushEnv, GITHUB_EVENT_NAME: 'schedule', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '4321' };
    const driftRun = async () => {
      const plan = await runStep(step(wf, 'Plan'), cwd, env);
      expect(plan.code, plan.stderr).toBe(0);
      const status = /^status=(\d+)$/m.exec(plan.output)?.[1];
      expect(status).toBe('0');
      const keep = await runStep(step(wf, 'Keep the drift issue'), cwd, { ...env, PLAN_STATUS: status! });
      expect(keep.code, keep.stderr).toBe(0);
      return { plan, keep };
    };

    // The account has a sink main deleted, and lacks two main declares: drift.
    const first = await driftRun();
    expect(first.plan.summary).toContain('**Plan: 2 to create, 0 to update, 0 to replace, 1 to delete.**');
    expect(first.keep.stdout).toMatch(/^Opened the drift issue #1: /);
    expect(gh.issues).toHaveLength(1);
    const issue = gh.issues[0]!;
    expect(issue.body).toMatch(/^<!-- sinkops:drift -->\nThe plan of main at `feed000` \(\[run\]\(https:\/\/github\.com\/acme\/sinks\/actions\/runs\/4321\)\) found \*\*3 changes\*\*/);
    expect(issue.body).toContain(first.plan.summary.trim());
    expect(issue.body.length).toBeLessThanOrEqual(65_536);
    // Again, unchanged account: the same issue, no second one.
    const second = await driftRun();
    expect(second.keep.stdout).toMatch(/^(Updated the drift issue #1|The drift issue #1 is already current): /);
    expect(gh.issues).toHaveLength(1);

    // main is applied: the account matches, the issue is closed with a comment.
    const apply = await runStep(step(await workflow('apply.yml'), 'Apply'), cwd, { ...pushEnv, GITHUB_EVENT_NAME: 'workflow_dispatch' });
    expect(apply.code, apply.stderr).toBe(0);
    const third = await driftRun();
    expect(third.plan.summary).toContain('No changes.');
    expect(third.keep.stdout).toMatch(/^The account matches main: closed the drift issue #1: /);
    expect(issue.state).toBe('closed');
    expect(gh.comments.filter((c) => c.issue === 1).map((c) => c.body.split('\n')[1])).toEqual(['The account matches main again at `feed000` ([run](https://github.com/acme/sinks/actions/runs/4321)): closing.']);
    expect((await emu.requests()).filter((r) => r.method !== 'GET').length).toBeGreaterThan(0); // only the apply wrote
    for (const text of [first.plan.summary, first.plan.stderr, first.keep.stderr, issue.body]) expect(text).not.toContain('seg-key-s3cr3t-31');
  });

  it('drift: a plan that cannot be made fails the job and leaves the issue as it is', async () => {
    const { gh, cwd, pushEnv } = await setup();
    const wf = await workflow('drift.yml');
    const issue = gh.seedIssue({ body: '<!-- sinkops:drift -->\nold drift', title: 'sinkops: the account differs from main' });
    const plan = await runStep(step(wf, 'Plan'), cwd, { ...pushEnv, GITHUB_EVENT_NAME: 'schedule', TWILIO_AUTH_TOKEN: 'wrong-token' });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('::error::sinkops plan made no plan (exit 1); the drift issue was left as it is.');
    expect(plan.output).toBe('');
    expect(issue).toMatchObject({ state: 'open', body: '<!-- sinkops:drift -->\nold drift' });
    expect(gh.requests).toEqual([]);
  });
});
