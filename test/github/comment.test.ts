/**
 * `sinkops github comment`, in process, against a fake GitHub API on 127.0.0.1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { bufferIo } from '../desired/helpers.js';
import { BOT, FAKE_TOKEN, githubEnv, startFakeGitHub, type FakeGitHub } from './fake-github.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sinkops-github-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const PLAN_V1 = '<!-- sinkops:plan-hash sha256:' + '1'.repeat(64) + ' -->\n### sinkops plan\n\n**Plan: 1 to create.**\n';
const PLAN_V2 = '<!-- sinkops:plan-hash sha256:' + '2'.repeat(64) + ' -->\n### sinkops plan\n\n**Plan: 2 to create.**\n';

async function file(name: string, content: string): Promise<string> {
  await writeFile(join(dir, name), content, 'utf8');
  return name;
}

async function sinkops(args: string[], env: Record<string, string>) {
  const io = bufferIo(dir, env);
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

const mutations = (fake: FakeGitHub) => fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);

describe('github comment', () => {
  it('creates the sticky comment, then edits the same one (no duplicate)', async () => {
    const fake = await startFakeGitHub();
    fake.seed(7, 'LGTM', 'alice');
    const env = githubEnv(fake);
    const first = await sinkops(['github', 'comment', '--file', await file('p1.md', PLAN_V1), '--pr', '7'], env);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(/^Created the sinkops comment on pull request #7: https:\/\/github\.example\//);
    const second = await sinkops(['github', 'comment', '--file', await file('p2.md', PLAN_V2), '--pr', '7'], env);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/^Updated the sinkops comment on pull request #7/);

    const sticky = fake.comments.filter((c) => c.body.startsWith('<!-- sinkops:sticky -->'));
    expect(sticky).toHaveLength(1);
    expect(sticky[0]!.body).toBe(`<!-- sinkops:sticky -->\n${PLAN_V2}`);
    expect(mutations(fake)).toEqual(['POST /repos/acme/sinks/issues/7/comments', `PATCH /repos/acme/sinks/issues/comments/${sticky[0]!.id}`]);
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.url)).toEqual([
      '/repos/acme/sinks/issues/7/comments?per_page=100',
      '/repos/acme/sinks/issues/7/comments?per_page=100',
    ]);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
    expect(first.out + first.err + second.out + second.err).not.toContain(FAKE_TOKEN);
    // The same plan again: nothing to edit.
    const third = await sinkops(['github', 'comment', '--file', 'p2.md', '--pr', '7'], env);
    expect(third.out).toMatch(/^The sinkops comment on pull request #7 is already current: https:/);
    expect(mutations(fake)).toHaveLength(2);
  });

  it('follows Link rel="next" to find a sticky comment on a later page', async () => {
    const fake = await startFakeGitHub();
    fake.pageSize = 2;
    for (let i = 0; i < 5; i += 1) fake.seed(3, `chatter ${i}`, 'bob');
    const sticky = fake.seed(3, `<!-- sinkops:sticky -->\n${PLAN_V1}`);
    fake.seed(3, 'more chatter', 'bob');
    const r = await sinkops(['github', 'comment', '--file', await file('p.md', PLAN_V2), '--pr', '3'], githubEnv(fake));
    expect(r).toMatchObject({ code: 0, err: '' });
    const pages = fake.requests.filter((q) => q.method === 'GET').map((q) => q.url);
    expect(pages).toEqual([
      '/repos/acme/sinks/issues/3/comments?per_page=100',
      '/repos/acme/sinks/issues/3/comments?per_page=2&page=2',
      '/repos/acme/sinks/issues/3/comments?per_page=2&page=3',
      '/repos/acme/sinks/issues/3/comments?per_page=2&page=4',
    ]);
    expect(mutations(fake)).toEqual([`PATCH /repos/acme/sinks/issues/comments/${sticky.id}`]);
    expect(sticky.body).toContain('2 to create');
  });

  it('does not follow a Link to another origin, and sends the token nowhere else', async () => {
    const fake = await startFakeGitHub();
    const elsewhere = await startFakeGitHub();
    fake.pageSize = 1;
    fake.seed(4, 'first', 'bob');
    fake.seed(4, 'second', 'bob');
    fake.nextOverride = `${elsewhere.url}/repos/acme/sinks/issues/4/comments?page=2`;
    const r = await sinkops(['github', 'comment', '--file', await file('p.md', PLAN_V1), '--pr', '4'], githubEnv(fake));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`not GITHUB_API_URL's origin ${fake.url}; not followed`);
    expect(r.err).not.toContain(FAKE_TOKEN);
    expect(elsewhere.requests).toEqual([]);
    expect(mutations(fake)).toEqual([]); // no sticky created on a partial list
  });

  it('keeps one sticky comment per stack, and ignores look-alikes by other authors', async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    const forged = fake.seed(9, '<!-- sinkops:sticky -->\nnot from the bot', 'mallory');
    await sinkops(['github', 'comment', '--file', await file('a.md', PLAN_V1), '--pr', '9'], env);
    await sinkops(['github', 'comment', '--file', await file('b.md', PLAN_V1), '--pr', '9', '--stack', 'prod'], env);
    await sinkops(['github', 'comment', '--file', await file('c.md', PLAN_V2), '--pr', '9', '--stack', 'prod'], env);
    await sinkops(['github', 'comment', '--file', await file('d.md', PLAN_V2), '--pr', '9', '--stack', 'staging'], env);
    const ours = fake.comments.filter((c) => c.user.login === BOT).map((c) => c.body.split('\n')[0]);
    expect(ours).toEqual(['<!-- sinkops:sticky -->', '<!-- sinkops:sticky:prod -->', '<!-- sinkops:sticky:staging -->']);
    expect(fake.comments.find((c) => c.body.startsWith('<!-- sinkops:sticky:prod -->'))!.body).toContain('2 to create');
    expect(fake.comments.find((c) => c.body.startsWith('<!-- sinkops:sticky -->') && c.user.login === BOT)!.body).toContain('1 to create');
    expect(forged.body).toBe('<!-- sinkops:sticky -->\nnot from the bot');
    // --author names the account that posts (for a personal or app token).
    await sinkops(['github', 'comment', '--file', 'd.md', '--pr', '9', '--author', 'mallory'], env);
    expect(forged.body).toContain('2 to create');
  });

  it('--new posts a new comment every time, without the sticky marker, with a hidden marker of its own', async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    const result = await file('result.md', '### sinkops apply\n\nApplied 1 action.\n');
    for (let i = 0; i < 2; i += 1) expect((await sinkops(['github', 'comment', '--file', result, '--pr', '5', '--new'], env)).out).toMatch(/^Posted a comment on pull request #5/);
    const bodies = fake.comments.map((c) => c.body);
    for (const body of bodies) expect(body).toMatch(/^<!-- sinkops:post [0-9a-f]{24} -->\n### sinkops apply\n\nApplied 1 action\.\n$/);
    // A fresh nonce each time: a lost answer is looked for by it, so two posts never match one another.
    expect(bodies[0]!.split('\n')[0]).not.toBe(bodies[1]!.split('\n')[0]);
    expect(fake.requests.filter((r) => r.method === 'GET')).toEqual([]);
  });

  it('cuts a body over GitHub\'s 65,536-character limit, keeping the hidden markers and saying so', async () => {
    const fake = await startFakeGitHub();
    const huge = `${PLAN_V1}${'| row | with some text |\n'.repeat(4000)}`;
    const r = await sinkops(['github', 'comment', '--file', await file('huge.md', huge), '--pr', '2'], githubEnv(fake));
    expect(r).toMatchObject({ code: 0, err: '' });
    const body = fake.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.length).toBeGreaterThan(60_000);
    const lines = body.split('\n');
    expect(lines[0]).toBe('<!-- sinkops:sticky -->');
    expect(lines[1]).toBe(PLAN_V1.split('\n')[0]);
    expect(lines[2]).toMatch(/^> \*\*Note:\*\* this comment was cut to fit GitHub's limit of 65,536 characters: the last [\d,]+ characters were left out/);
    expect(body.endsWith('| row | with some text |\n')).toBe(true); // cut at a line end
  });

  it('reads the pull request from the event file, or after a push the one merged as GITHUB_SHA', async () => {
    const fake = await startFakeGitHub();
    const event = join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ action: 'synchronize', pull_request: { number: 42 } }));
    const md = await file('p.md', PLAN_V1);
    expect((await sinkops(['github', 'comment', '--file', md], githubEnv(fake, { GITHUB_EVENT_PATH: event }))).code).toBe(0);
    expect(fake.comments.map((c) => c.issue)).toEqual([42]);

    const sha = 'abc123'.padEnd(40, '0');
    fake.pullsByCommit.set(sha, [
      { number: 50, state: 'open', merged_at: null, merge_commit_sha: null },
      { number: 51, state: 'closed', merged_at: '2024-05-01T00:00:00Z', merge_commit_sha: sha },
    ]);
    const push = join(dir, 'push.json');
    await writeFile(push, JSON.stringify({ ref: 'refs/heads/main', after: sha }));
    const r = await sinkops(['github', 'comment', '--file', md, '--new'], githubEnv(fake, { GITHUB_EVENT_PATH: push, GITHUB_SHA: sha }));
    expect(r.out).toMatch(/#51/);
    expect(fake.requests.some((q) => q.url === `/repos/acme/sinks/commits/${sha}/pulls?per_page=100`)).toBe(true);

    const orphan = 'def456'.padEnd(40, '0');
    const none = await sinkops(['github', 'comment', '--file', md], githubEnv(fake, { GITHUB_EVENT_PATH: push, GITHUB_SHA: orphan }));
    expect(none.code).toBe(1);
    expect(none.err).toContain(`No merged pull request has commit ${orphan}; pass --pr N`);
  });

  it('names each missing or malformed variable, and never prints the token', async () => {
    const fake = await startFakeGitHub();
    const md = await file('p.md', PLAN_V1);
    const cases: [Record<string, string | undefined>, string][] = [
      [{ GITHUB_TOKEN: undefined }, 'Error: GITHUB_TOKEN is not set'],
      [{ GITHUB_TOKEN: '' }, 'Error: GITHUB_TOKEN is not set'],
      [{ GITHUB_REPOSITORY: undefined }, 'Error: GITHUB_REPOSITORY is not set'],
      [{ GITHUB_REPOSITORY: 'no-slash' }, "Error: GITHUB_REPOSITORY must be owner/name, not 'no-slash'"],
      [{ GITHUB_API_URL: 'ftp://example.org' }, "Error: GITHUB_API_URL ('ftp://example.org/') must be an http(s) URL"],
      [{}, 'Error: No pull request: pass --pr N'],
      [{ GITHUB_TOKEN: 'wrong-token-value' }, 'GitHub API answered HTTP 401'],
    ];
    for (const [overrides, message] of cases) {
      const env = { ...githubEnv(fake) } as Record<string, string | undefined>;
      for (const [k, v] of Object.entries(overrides)) env[k] = v;
      const io = bufferIo(dir, env);
      const args = ['github', 'comment', '--file', md, ...(Object.keys(overrides).length === 0 ? [] : ['--pr', '1'])];
      expect(await run(args, io), message).toBe(1);
      expect(io.err()).toContain(message);
      expect(io.err()).not.toContain(FAKE_TOKEN);
      expect(io.err()).not.toContain('wrong-token-value');
    }
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('refuses bad usage', async () => {
    const fake = await startFakeGitHub();
    const env = githubEnv(fake);
    expect((await sinkops(['github'], env)).err).toContain("'github' needs a subcommand: comment, reviewed-hash or drift");
    expect((await sinkops(['github', 'post'], env)).err).toContain("unknown github subcommand 'post'");
    expect((await sinkops(['github', 'comment', '--pr', '1'], env)).err).toContain("'github comment' needs --file FILE");
    expect((await sinkops(['github', 'comment', '--file', 'nope.md', '--pr', '1'], env)).err).toContain('Cannot read nope.md: ENOENT');
    expect((await sinkops(['github', 'comment', '--file', 'p.md', '--pr', '0'], env)).err).toContain("--pr must be a pull-request number, not '0'");
    expect((await sinkops(['github', 'comment', '--file', 'p.md', '--pr', '1', '--stack', 'Bad Stack'], env)).err).toContain('--stack must be');
    expect(fake.requests).toEqual([]);
  });
});
