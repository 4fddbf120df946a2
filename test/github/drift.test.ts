/**
 * `sinkops github drift`, in process, against a fake GitHub API on 127.0.0.1: ONE issue open while
 * the plan of main has changes apply would make (created, edited in place, re-opened), closed with a
 * comment when it has none; blocked actions alone are not drift; nobody else's issue is touched.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { DesiredSink } from '../../src/desired/model.js';
import { DEFAULT_DRIFT_TITLE, assessPlan, driftMarker } from '../../src/github/drift.js';
import { readPlanFile } from '../../src/plan/codec.js';
import { plan } from '../../src/plan/plan.js';
import type { RemoteSink } from '../../src/remote/model.js';
import { renderPlan } from '../../src/render/index.js';
import { bufferIo } from '../desired/helpers.js';
import { startHostileServer, sendJson } from '../helpers/hostile-server.js';
import { PLAN, desired, dfSid, remote, sid, state } from '../plan/helpers.js';
import { BOT, FAKE_TOKEN, githubEnv, startFakeGitHub, type FakeGitHub } from './fake-github.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sinkops-drift-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const SHA = 'feed'.padEnd(40, '0');
const RUN_ENV = { GITHUB_SHA: SHA, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '77' };
const RUN_URL = 'https://github.com/acme/sinks/actions/runs/77';

/**
 * An account and a repository: `kept` matches; `extra` adds a sink to create (drift); `held`
 * leaves a sink in use by somebody's subscription that main no longer has (a blocked delete).
 */
function world(options: { extra?: string[]; held?: boolean; pinnedMissing?: boolean; remoteDescription?: string } = {}) {
  const wanted: DesiredSink[] = [desired('kept'), ...(options.extra ?? []).map((n) => desired(n))];
  if (options.pinnedMissing === true) wanted.push(desired('pinned', { sid: sid(0x99) }));
  const sinks: RemoteSink[] = [remote(1, { name: 'kept' })];
  if (options.held === true) sinks.push(remote(2, { name: 'held' }));
  if (options.remoteDescription !== undefined) sinks.push(remote(3, { description: options.remoteDescription }));
  return plan(wanted, state(sinks, options.held === true ? { [sid(2)]: [dfSid(1)] } : {}), PLAN);
}

let fileCount = 0;
/** plan.md and plan.json of one plan, as `plan --format markdown --out plan.json > plan.md` writes them. */
async function planFiles(p: ReturnType<typeof world>, mdSuffix = ''): Promise<string[]> {
  fileCount += 1;
  const md = `plan-${fileCount}.md`;
  const json = `plan-${fileCount}.json`;
  await writeFile(join(dir, md), renderPlan(p, 'markdown', { color: false, verbose: false, context: { commit: SHA, runUrl: RUN_URL } }) + mdSuffix);
  await writeFile(join(dir, json), renderPlan(p, 'json', { color: false, verbose: true }));
  return ['--file', md, '--plan-json', json];
}

async function drift(files: string[], env: Record<string, string | undefined>, extra: string[] = []) {
  const io = bufferIo(dir, { ...env, ...RUN_ENV });
  const code = await run(['github', 'drift', ...files, ...extra], io);
  return { code, out: io.out(), err: io.err() };
}

const mutations = (fake: FakeGitHub) => fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);

describe('assessPlan: drift is what apply would run, or errors', () => {
  const assess = (p: ReturnType<typeof world>) => assessPlan(readPlanFile(renderPlan(p, 'json', { color: false, verbose: true }), 'plan.json'));

  it('counts from the plan itself', () => {
    expect(assess(world())).toEqual({ drift: false, runnable: 0, blocked: 0, errors: 0 });
    expect(assess(world({ extra: ['a', 'b'] }))).toEqual({ drift: true, runnable: 2, blocked: 0, errors: 0 });
    expect(assess(world({ held: true }))).toEqual({ drift: false, runnable: 0, blocked: 1, errors: 0 });
    expect(assess(world({ held: true, extra: ['a'] }))).toEqual({ drift: true, runnable: 1, blocked: 1, errors: 0 });
    expect(assess(world({ pinnedMissing: true }))).toMatchObject({ drift: true, errors: 1 });
  });
});

describe('github drift', () => {
  it('opens the issue, edits it in place, closes it when the account matches, re-opens it on new drift', async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    fake.seedIssue({ body: 'Unrelated bug report', login: 'alice' });

    const opened = await drift(await planFiles(world({ extra: ['orders'] })), env, ['--label', 'sinkops-drift', '--label', 'ops']);
    expect(opened).toMatchObject({ code: 0, err: '' });
    expect(opened.out).toBe('Opened the drift issue #2: https://github.example/acme/sinks/issues/2\n');
    const issue = fake.issues.find((i) => i.number === 2)!;
    expect(issue).toMatchObject({ title: DEFAULT_DRIFT_TITLE, state: 'open', labels: ['sinkops-drift', 'ops'], user: { login: BOT } });
    const lines = issue.body.split('\n');
    expect(lines[0]).toBe('<!-- sinkops:drift -->');
    expect(lines[1]).toBe(
      `The plan of main at \`feed000\` ([run](${RUN_URL})) found **1 change** that \`sinkops apply\` would make. The Twilio account was changed outside sinkops (the Console, the API), or main has changes that were never applied.`,
    );
    expect(issue.body).toContain('**Actions → sinkops apply → Run workflow**');
    expect(issue.body).not.toContain('blocked');
    expect(issue.body).toContain('\n---\n\n<!-- sinkops:plan-hash sha256:');
    expect(issue.body).toContain('**Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.**');

    // More drift: the same issue, edited; no new one. The same plan again: nothing to edit.
    const more = await planFiles(world({ extra: ['orders', 'billing'] }));
    expect((await drift(more, env)).out).toBe('Updated the drift issue #2: https://github.example/acme/sinks/issues/2\n');
    expect(issue.body).toContain('found **2 changes**');
    expect((await drift(more, env)).out).toBe('The drift issue #2 is already current: https://github.example/acme/sinks/issues/2\n');
    expect(mutations(fake)).toEqual(['POST /repos/acme/sinks/issues', 'PATCH /repos/acme/sinks/issues/2']);

    // The account matches again: a comment that says so, then closed.
    const clean = await planFiles(world());
    fake.requests.length = 0;
    expect((await drift(clean, env)).out).toBe('The account matches main: closed the drift issue #2: https://github.example/acme/sinks/issues/2\n');
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const closing = fake.comments.filter((c) => c.issue === 2);
    expect(closing).toHaveLength(1);
    expect(closing[0]!.body).toMatch(new RegExp(`^<!-- sinkops:drift-closed [0-9a-f]{24} -->\\nThe account matches main again at \`feed000\` \\(\\[run\\]\\(${RUN_URL.replace(/[.]/g, '\\.')}\\)\\): closing\\.\\n$`));
    expect(mutations(fake)).toEqual(['POST /repos/acme/sinks/issues/2/comments', 'PATCH /repos/acme/sinks/issues/2']);
    expect(fake.requests.find((r) => r.method === 'PATCH')!.body).toEqual({ state: 'closed', state_reason: 'completed' });

    // Still clean: nothing to do.
    fake.requests.length = 0;
    expect((await drift(clean, env)).out).toBe('The account matches main, and no drift issue is open\n');
    expect(mutations(fake)).toEqual([]);

    // Drift again: the closed issue is re-opened with the new plan, not a second one opened.
    expect((await drift(more, env)).out).toBe('Re-opened the drift issue #2: https://github.example/acme/sinks/issues/2\n');
    expect(issue).toMatchObject({ state: 'open', state_reason: 'reopened' });
    expect(issue.body).toContain('found **2 changes**');
    expect(fake.issues.filter((i) => i.user.login === BOT)).toHaveLength(1);
    expect(mutations(fake)).toEqual(['PATCH /repos/acme/sinks/issues/2']);
    expect(fake.requests.find((r) => r.method === 'PATCH')!.body).toMatchObject({ state: 'open', title: DEFAULT_DRIFT_TITLE });
    // The unrelated issue was never touched, and the token went nowhere else.
    expect(fake.issues[0]).toMatchObject({ body: 'Unrelated bug report', state: 'open' });
    expect(fake.requests.every((r) => r.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
  });

  it('no drift and no issue: reads, never writes', async () => {
    const fake = await startFakeGitHub();
    const r = await drift(await planFiles(world()), githubEnv(fake));
    expect(r).toMatchObject({ code: 0, err: '', out: 'The account matches main, and no drift issue is open\n' });
    expect(fake.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['GET /repos/acme/sinks/issues?state=open&sort=created&direction=asc&per_page=100']);
  });

  it('blocked actions alone are not drift, but are said: in the issue while it is open, and when it closes', async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    const blockedOnly = await planFiles(world({ held: true }));
    const none = await drift(blockedOnly, env);
    expect(none.out).toBe("The account matches main, and no drift issue is open\nThe plan has 1 blocked action(s), which apply would not run: not drift.\n");
    expect(mutations(fake)).toEqual([]);

    await drift(await planFiles(world({ held: true, extra: ['orders'] })), env);
    const issue = fake.issues[0]!;
    expect(issue.body).toContain('found **1 change** that `sinkops apply` would make');
    expect(issue.body).toContain(
      '> **Note:** the plan also has 1 blocked action, which apply would not run (the sink is used by a subscription sinkops does not manage). Those alone would not keep this issue open.',
    );
    expect(issue.body).toContain('blocked delete');

    const closed = await drift(blockedOnly, env);
    expect(closed.out).toContain('closed the drift issue #1');
    expect(issue.state).toBe('closed');
    expect(fake.comments[0]!.body).toContain(
      'closing. The plan still has 1 blocked action, which apply would not run (the sink is used by a subscription sinkops does not manage).',
    );
  });

  it('a plan with errors keeps the issue open: main cannot be applied as it is', async () => {
    const fake = await startFakeGitHub();
    const r = await drift(await planFiles(world({ pinnedMissing: true })), githubEnv(fake));
    expect(r.code).toBe(0);
    expect(fake.issues[0]!.body).toContain('found **1 error**: main cannot be applied as it is.');
    expect(fake.issues[0]!.body).toContain('PINNED_SID_NOT_FOUND');
  });

  it("never takes another author's issue, a pull request, or a marker below the header, for the drift issue", async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    const forged = fake.seedIssue({ body: `${driftMarker()}\nforged`, login: 'mallory' });
    const buried = fake.seedIssue({ body: `Hello\n${driftMarker()}\n`, login: BOT });
    const pull = fake.seedIssue({ body: `${driftMarker()}\na pull request`, login: BOT, pull: true });
    const closedForged = fake.seedIssue({ body: `${driftMarker()}\nclosed`, login: 'mallory', state: 'closed' });
    const r = await drift(await planFiles(world({ extra: ['orders'] })), env);
    expect(r.out).toMatch(/^Opened the drift issue #5:/);
    for (const other of [forged, buried, pull, closedForged]) expect(other.body).not.toContain('sinkops apply');
    // A clean plan closes only ours.
    await drift(await planFiles(world()), env);
    expect(fake.issues.map((i) => [i.number, i.state])).toEqual([
      [1, 'open'],
      [2, 'open'],
      [3, 'open'],
      [4, 'closed'],
      [5, 'closed'],
    ]);
    // --author names the account that posts (a personal or app token).
    await drift(await planFiles(world({ extra: ['orders'] })), env, ['--author', 'mallory']);
    expect(forged.body).toContain('sinkops apply');
  });

  it('keeps one issue per stack, and closes duplicates of its own', async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    const files = await planFiles(world({ extra: ['orders'] }));
    await drift(files, env);
    await drift(files, env, ['--stack', 'prod']);
    expect(fake.issues.map((i) => [i.title, i.body.split('\n')[0]])).toEqual([
      [DEFAULT_DRIFT_TITLE, '<!-- sinkops:drift -->'],
      [`${DEFAULT_DRIFT_TITLE} (stack prod)`, '<!-- sinkops:drift:prod -->'],
    ]);
    // A second open one (a create that was not listed in time): the oldest stays, the other is closed.
    const dup = fake.seedIssue({ body: fake.issues[0]!.body, title: DEFAULT_DRIFT_TITLE });
    const r = await drift(files, env, ['--title', 'Drift!']);
    expect(r.out).toBe(
      `Updated the drift issue #1: https://github.example/acme/sinks/issues/1\nClosed #${dup.number}, a duplicate drift issue: https://github.example/acme/sinks/issues/${dup.number}\n`,
    );
    expect(dup).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(fake.comments.find((c) => c.issue === dup.number)!.body).toContain('A duplicate of #1, which sinkops keeps up to date: closing.');
    expect(fake.issues[0]!.title).toBe('Drift!');
    expect(fake.issues[1]!.state).toBe('open'); // the other stack's
  });

  it('keeps the body within 65,536 characters, its marker first, saying it was cut', async () => {
    const fake = await startFakeGitHub();
    const huge = `${'| row | with some text |\n'.repeat(5000)}`;
    const r = await drift(await planFiles(world({ extra: ['orders'] }), huge), githubEnv(fake));
    expect(r).toMatchObject({ code: 0, err: '' });
    const body = fake.issues[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body.split('\n').slice(0, 2)).toEqual([
      '<!-- sinkops:drift -->',
      expect.stringMatching(/^> \*\*Note:\*\* this issue was cut to fit GitHub's limit of 65,536 characters/),
    ]);
  });

  it('remote text in the plan cannot pose as the marker, mention people or break out of the body', async () => {
    const fake = await startFakeGitHub();
    const hostile = '<!-- sinkops:drift --> @everyone </details> `x` | [click](https://evil.example) \u001b[2J';
    const r = await drift(await planFiles(world({ extra: ['orders'], remoteDescription: hostile })), githubEnv(fake));
    expect(r.code).toBe(0);
    const body = fake.issues[0]!.body;
    expect(body.split('\n').filter((l) => l.trim() === driftMarker())).toEqual([driftMarker()]);
    expect(body).not.toContain('@everyone');
    expect(body).not.toContain('<!-- sinkops:drift --> @');
    expect(body).not.toContain('\u001b');
  });

  it('prints what GitHub sends back only in a terminal-safe form', async () => {
    const server = await startHostileServer((req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, []);
      sendJson(res, 201, { number: 9, title: 't', body: 'b', user: { login: BOT }, state: 'open', html_url: 'https://github.example/x\u001b]0;pwned\u0007\n' });
    });
    const env = { GITHUB_TOKEN: FAKE_TOKEN, GITHUB_REPOSITORY: 'acme/sinks', GITHUB_API_URL: server.url };
    const r = await drift(await planFiles(world({ extra: ['orders'] })), env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Opened the drift issue #9: https://github.example/x\\u001b]0;pwned\\u0007\\n');
    expect(r.out).not.toContain('\u001b');
    // The answer's body differed from what was sent, so it was set again.
    expect(server.requests.map((q) => q.method)).toEqual(['GET', 'GET', 'POST', 'PATCH']);
  });

  it('refuses an issue list whose next page is on another origin, and changes nothing', async () => {
    const fake = await startFakeGitHub();
    const elsewhere = await startFakeGitHub();
    fake.pageSize = 1;
    fake.seedIssue({ body: 'first' });
    fake.seedIssue({ body: 'second' });
    fake.nextOverride = `${elsewhere.url}/repos/acme/sinks/issues?state=open&page=2`;
    const r = await drift(await planFiles(world({ extra: ['orders'] })), githubEnv(fake));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`not GITHUB_API_URL's origin ${fake.url}; not followed`);
    expect(r.err).not.toContain(FAKE_TOKEN);
    expect(elsewhere.requests).toEqual([]);
    expect(mutations(fake)).toEqual([]);
  });

  it('follows the pages of open issues on its own origin', async () => {
    const fake = await startFakeGitHub();
    fake.pageSize = 2;
    for (let i = 0; i < 5; i += 1) fake.seedIssue({ body: `chatter ${i}`, login: 'bob' });
    const ours = fake.seedIssue({ body: `${driftMarker()}\nold`, title: DEFAULT_DRIFT_TITLE });
    const r = await drift(await planFiles(world({ extra: ['orders'] })), githubEnv(fake));
    expect(r.out).toMatch(/^Updated the drift issue #6:/);
    expect(ours.body).toContain('found **1 change**');
    expect(fake.requests.filter((q) => q.method === 'GET').map((q) => q.url)).toEqual([
      '/repos/acme/sinks/issues?state=open&sort=created&direction=asc&per_page=100',
      '/repos/acme/sinks/issues?state=open&sort=created&direction=asc&per_page=2&page=2',
      '/repos/acme/sinks/issues?state=open&sort=created&direction=asc&per_page=2&page=3',
    ]);
  });

  it('refuses a Markdown plan and a JSON plan that are not the same plan, before any request', async () => {
    const fake = await startFakeGitHub();
    const [, md] = await planFiles(world({ extra: ['orders'] }));
    const [, , , json] = await planFiles(world());
    const r = await drift(['--file', md!, '--plan-json', json!], githubEnv(fake));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/are not the same plan: plan-\d+\.md is plan sha256:[0-9a-f]{64}, plan-\d+\.json is plan sha256:/);
    await writeFile(join(dir, 'failed.md'), '### sinkops plan failed\n');
    expect((await drift(['--file', 'failed.md', '--plan-json', json!], githubEnv(fake))).err).toContain('failed.md carries no plan hash');
    await writeFile(join(dir, 'bad.json'), '{"format_version": 2}');
    expect((await drift(['--file', md!, '--plan-json', 'bad.json'], githubEnv(fake))).err).toContain('bad.json does not match the plan schema');
    expect(fake.requests).toEqual([]);
  });

  it('refuses bad usage', async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    const files = await planFiles(world());
    expect((await drift([], env)).err).toContain("'github drift' needs --file plan.md and --plan-json plan.json");
    expect((await drift(files.slice(0, 2), env)).err).toContain("'github drift' needs --file plan.md and --plan-json plan.json");
    expect((await drift(files, env, ['--pr', '3'])).err).toContain("--pr is not an option of 'github drift'");
    expect((await drift(files, env, ['--new'])).err).toContain("--new is not an option of 'github drift'");
    expect((await drift(files, env, ['--title', ''])).err).toContain('--title must be one line of 1 to 256 characters');
    expect((await drift(files, env, ['--title', 'a\nb'])).err).toContain('--title must be one line');
    expect((await drift(files, env, ['--title', 'x'.repeat(257)])).err).toContain('--title must be one line');
    expect((await drift(files, env, ['--label', 'a,b'])).err).toContain('--label must be a label name');
    expect((await drift(files, env, ['--label', 'x'.repeat(51)])).err).toContain('--label must be a label name');
    const io = bufferIo(dir, env);
    expect(await run(['github', 'comment', '--file', files[1]!, '--pr', '1', '--plan-json', files[3]!], io)).toBe(1);
    expect(io.err()).toContain("--plan-json is not an option of 'github comment'");
    expect(fake.requests).toEqual([]);
  });
});
