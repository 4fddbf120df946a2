/**
 * The GitHub client's retries, against the fake GitHub API with injected faults, and a sleep and a
 * clock of the test's own: 5xx and lost answers retried for reads and edits, rate limits waited out
 * (when the wait is short), a bounded number of attempts, and a POST whose answer was lost looked
 * for (by its marker) before it is ever sent again.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { GitHubClient, rateLimit, type GitHubClientOptions } from '../../src/github/client.js';
import { assessPlan, syncDriftIssue, driftMarker } from '../../src/github/drift.js';
import { postComment, upsertSticky } from '../../src/github/sticky.js';
import { FAKE_REPOSITORY, FAKE_TOKEN, startFakeGitHub, type FakeGitHub } from './fake-github.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

interface Harness {
  readonly client: GitHubClient;
  /** Every wait the client asked for, in ms. */
  readonly waits: number[];
}

function clientOf(fake: FakeGitHub | string, options: GitHubClientOptions = {}): Harness {
  const url = typeof fake === 'string' ? fake : fake.url;
  const origin = new URL(url).origin;
  const [owner = '', repo = ''] = FAKE_REPOSITORY.split('/');
  const waits: number[] = [];
  const client = new GitHubClient(
    { token: FAKE_TOKEN, owner, repo, apiUrl: origin, origin },
    { sleep: async (ms) => void waits.push(ms), random: () => 0.5, now: () => NOW, ...options },
  );
  return { client, waits };
}

const calls = (fake: FakeGitHub) => fake.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`);
const ISSUES = /^\/repos\/acme\/sinks\/issues$/;
const COMMENTS = /^\/repos\/acme\/sinks\/issues\/\d+\/comments$/;

describe('retries of reads and edits', () => {
  it('retries a 5xx, then succeeds, after a jittered backoff', async () => {
    const fake = await startFakeGitHub();
    fake.seedIssue({ body: 'hello' });
    fake.faults.push({ method: 'GET', path: ISSUES, status: 502 }, { method: 'GET', path: ISSUES, status: 503 });
    const { client, waits } = clientOf(fake);
    expect((await client.listIssues({ state: 'open', order: 'created' })).map((i) => i.body)).toEqual(['hello']);
    expect(calls(fake)).toEqual(['GET /repos/acme/sinks/issues', 'GET /repos/acme/sinks/issues', 'GET /repos/acme/sinks/issues']);
    // Full jitter (random 0.5): half of 800 ms, then half of 1600 ms.
    expect(waits).toEqual([400, 800]);
  });

  it('retries an edit (idempotent) whose answer was lost', async () => {
    const fake = await startFakeGitHub();
    const issue = fake.seedIssue({ body: 'old' });
    fake.faults.push({ method: 'PATCH', path: /\/issues\/1$/, lose: 'answer' });
    const { client, waits } = clientOf(fake);
    expect((await client.updateIssue(1, { body: 'new' })).body).toBe('new');
    expect(issue.body).toBe('new');
    expect(calls(fake)).toEqual(['PATCH /repos/acme/sinks/issues/1', 'PATCH /repos/acme/sinks/issues/1']);
    expect(waits).toHaveLength(1);
  });

  it('gives up after a bounded number of attempts, and says how many', async () => {
    const fake = await startFakeGitHub();
    for (let i = 0; i < 10; i += 1) fake.faults.push({ method: 'GET', path: ISSUES, status: 500, body: { message: 'Server Error' } });
    const { client, waits } = clientOf(fake, { maxRetries: 3 });
    const error = await client.listIssues({ state: 'open', order: 'created' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkopsError);
    expect(error).toMatchObject({ code: 'NETWORK', message: 'GitHub API answered HTTP 500 for the open issues of acme/sinks: Server Error', details: ['Gave up after 4 attempts.'] });
    expect(fake.requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('does not retry a refusal (401, 403 without a rate limit, 404, 422)', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'GET', path: ISSUES, status: 403, body: { message: 'Resource not accessible by integration' } });
    const { client, waits } = clientOf(fake);
    await expect(client.listIssues({ state: 'open', order: 'created' })).rejects.toMatchObject({
      code: 'CONFIG',
      message: 'GitHub API answered HTTP 403 for the open issues of acme/sinks: Resource not accessible by integration',
      details: ['The workflow needs `permissions: issues: write`.'],
    });
    fake.faults.push({ method: 'PATCH', path: /\/issues\/7$/, status: 422, body: { message: 'Validation Failed' } });
    await expect(client.updateIssue(7, { body: 'x' })).rejects.toMatchObject({ code: 'CONFIG' });
    expect(fake.requests).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('retries a connection that was never made, for every method, and then says so', async () => {
    // A port nobody listens on: ECONNREFUSED, so nothing was sent; a POST may be sent again too.
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    const { client, waits } = clientOf(`http://127.0.0.1:${port}`, { maxRetries: 2 });
    const error = await client.createIssueComment(3, 'hello').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/^Could not reach the GitHub API at http:\/\/127\.0\.0\.1:\d+ \(posting a comment on pull request #3\): .*ECONNREFUSED.* \(after 3 attempts\)\.$/) });
    expect((error as SinkopsError).details).toEqual([]); // nothing was sent: no "may have received"
    expect(waits).toHaveLength(2);
  });
});

describe('rate limits', () => {
  it('waits what retry-after asks (429), then succeeds', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'GET', path: COMMENTS, status: 429, headers: { 'retry-after': '7' }, body: { message: 'You have exceeded a secondary rate limit.' } });
    const { client, waits } = clientOf(fake);
    expect(await client.listIssueComments(4)).toEqual([]);
    expect(waits).toEqual([7000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a rate-limited POST (GitHub refused it before acting)', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'POST', path: COMMENTS, status: 403, headers: { 'retry-after': '3' }, body: { message: 'secondary rate limit' } });
    const { client, waits } = clientOf(fake);
    await client.createIssueComment(4, 'hello');
    expect(fake.comments.map((c) => c.body)).toEqual(['hello']);
    expect(waits).toEqual([3000]);
  });

  it('waits until x-ratelimit-reset when the primary limit is spent and the reset is near', async () => {
    const fake = await startFakeGitHub();
    const reset = String(NOW / 1000 + 30);
    fake.faults.push({ method: 'GET', path: COMMENTS, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded' } });
    const { client, waits } = clientOf(fake);
    await client.listIssueComments(4);
    expect(waits).toEqual([31_000]); // to the reset, and the second it names
  });

  it('fails at once, saying until when, when the reset is further away than sinkops waits', async () => {
    const fake = await startFakeGitHub();
    const reset = String(NOW / 1000 + 3600);
    fake.faults.push({ method: 'GET', path: COMMENTS, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded for installation ID 1.' } });
    const { client, waits } = clientOf(fake);
    const error = await client.listIssueComments(4).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NETWORK',
      message:
        "GitHub's rate limit stopped the comments of pull request #4: it asks to wait 61 min (until 2024-06-01T13:00:01Z), longer than sinkops waits (2 min).",
      details: ['GitHub answered HTTP 403: API rate limit exceeded for installation ID 1.', 'Run it again after that time. The limit belongs to the token: other jobs using it spend it too.'],
    });
    expect(waits).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    // A retry-after beyond the cap is refused the same way; the cap can be set.
    fake.faults.push({ method: 'GET', path: COMMENTS, status: 429, headers: { 'retry-after': '30' } });
    await expect(clientOf(fake, { maxWaitMs: 10_000 }).client.listIssueComments(4)).rejects.toThrow('it asks to wait 30 s (until 2024-06-01T12:00:30Z), longer than sinkops waits (10 s)');
  });

  it('reads the signs of a rate limit as GitHub documents them', () => {
    const res = (status: number, headers: Record<string, string>, message?: string) => ({ status, headers, body: message === undefined ? null : { message } });
    expect(rateLimit(res(429, {}), NOW)).toEqual({ waitMs: undefined }); // the client then waits a minute
    expect(rateLimit(res(403, { 'retry-after': '5' }), NOW)).toEqual({ waitMs: 5000 });
    expect(rateLimit(res(403, {}, 'You have exceeded a secondary rate limit'), NOW)).toEqual({ waitMs: undefined });
    expect(rateLimit(res(403, { 'x-ratelimit-remaining': '0' }), NOW)).toEqual({ waitMs: undefined });
    expect(rateLimit(res(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) }), NOW)).toEqual({ waitMs: 1000 });
    expect(rateLimit(res(403, { 'x-ratelimit-remaining': '12' }, 'Must have admin rights'), NOW)).toBeUndefined();
    expect(rateLimit(res(403, {}, 'Resource not accessible by integration'), NOW)).toBeUndefined();
    expect(rateLimit(res(500, { 'retry-after': '5' }), NOW)).toBeUndefined();
  });

  it('a rate limit without a time to wait is waited out for a minute, as GitHub advises', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'GET', path: COMMENTS, status: 403, body: { message: 'You have exceeded a secondary rate limit.' } });
    const { client, waits } = clientOf(fake);
    await client.listIssueComments(4);
    expect(waits).toEqual([60_000]);
  });

  it("the caller's signal ends a wait at once", async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'GET', path: COMMENTS, status: 429, headers: { 'retry-after': '60' } });
    const controller = new AbortController();
    const reason = new SinkopsError('DEADLINE', 'sinkops github drift did not finish within its deadline of 1 s');
    const { client } = clientOf(fake, { signal: controller.signal, sleep: undefined as never });
    const started = Date.now();
    const listing = client.listIssueComments(4);
    setTimeout(() => controller.abort(reason), 50);
    await expect(listing).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('a POST whose answer was lost is never sent twice blindly', () => {
  it('the sticky comment: found by its marker after the lost answer, not posted again', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'POST', path: COMMENTS, lose: 'answer' });
    const { client, waits } = clientOf(fake);
    const result = await upsertSticky(client, 8, 'the plan');
    expect(result.action).toBe('created');
    expect(fake.comments.map((c) => c.body)).toEqual(['<!-- sinkops:sticky -->\nthe plan']);
    expect(calls(fake)).toEqual(['GET /repos/acme/sinks/issues/8/comments', 'POST /repos/acme/sinks/issues/8/comments', 'GET /repos/acme/sinks/issues/8/comments']);
    expect(waits).toHaveLength(1);
  });

  it('a new comment (--new): found by its nonce', async () => {
    const fake = await startFakeGitHub();
    fake.seed(8, 'an earlier result, same text', 'github-actions[bot]');
    fake.faults.push({ method: 'POST', path: COMMENTS, status: 502 }); // a 5xx: GitHub may have acted
    fake.faults.push({ method: 'POST', path: COMMENTS, lose: 'answer' });
    const { client } = clientOf(fake);
    const posted = await postComment(client, 8, 'an earlier result, same text');
    // After the 502 nothing had been made, so it was sent again; that answer was lost, but it is found.
    expect(calls(fake)).toEqual([
      'POST /repos/acme/sinks/issues/8/comments',
      'GET /repos/acme/sinks/issues/8/comments',
      'POST /repos/acme/sinks/issues/8/comments',
      'GET /repos/acme/sinks/issues/8/comments',
    ]);
    expect(fake.comments).toHaveLength(2);
    expect(posted.id).toBe(fake.comments[1]!.id);
  });

  it('a request cut before GitHub saw it: not found, so sent again — once', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'POST', path: COMMENTS, lose: 'request' });
    const { client } = clientOf(fake);
    await postComment(client, 8, 'result');
    expect(fake.comments).toHaveLength(1);
    expect(calls(fake)).toEqual(['POST /repos/acme/sinks/issues/8/comments', 'GET /repos/acme/sinks/issues/8/comments', 'POST /repos/acme/sinks/issues/8/comments']);
  });

  it('the drift issue: found among the open issues, not opened twice', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'POST', path: ISSUES, lose: 'answer' });
    const { client } = clientOf(fake);
    const assessment = { drift: true, runnable: 1, blocked: 0, errors: 0 };
    const result = await syncDriftIssue(client, 'the plan', assessment);
    expect(result.action).toBe('created');
    expect(fake.issues).toHaveLength(1);
    expect(fake.issues[0]!.body.startsWith(`${driftMarker()}\n`)).toBe(true);
    expect(calls(fake)).toEqual([
      'GET /repos/acme/sinks/issues', // open
      'GET /repos/acme/sinks/issues', // recently closed
      'POST /repos/acme/sinks/issues',
      'GET /repos/acme/sinks/issues', // looking for it
    ]);
  });

  it("the closing comment: found by its nonce, then the issue is closed", async () => {
    const fake = await startFakeGitHub();
    const issue = fake.seedIssue({ body: `${driftMarker()}\nold` });
    fake.faults.push({ method: 'POST', path: COMMENTS, lose: 'answer' });
    const { client } = clientOf(fake);
    const result = await syncDriftIssue(client, 'clean', assessPlan({ actions: [], subscriptions: [], errors: [] }));
    expect(result.action).toBe('closed');
    expect(fake.comments).toHaveLength(1);
    expect(issue.state).toBe('closed');
  });

  it('without a way to look, it fails saying that GitHub may have received it, and sends nothing more', async () => {
    const fake = await startFakeGitHub();
    fake.faults.push({ method: 'POST', path: COMMENTS, status: 502, body: { message: 'Bad Gateway' } });
    const { client } = clientOf(fake);
    await expect(client.createIssueComment(8, 'hello')).rejects.toMatchObject({
      code: 'NETWORK',
      message: 'GitHub API answered HTTP 502 for posting a comment on pull request #8: Bad Gateway',
      details: ['GitHub may have received the request (posting a comment on pull request #8); check before running it again.'],
    });
    expect(calls(fake)).toEqual(['POST /repos/acme/sinks/issues/8/comments']);
  });

  it('with no attempt left after looking, it fails saying so', async () => {
    const fake = await startFakeGitHub();
    for (let i = 0; i < 3; i += 1) fake.faults.push({ method: 'POST', path: COMMENTS, status: 500 });
    const { client } = clientOf(fake, { maxRetries: 2 });
    const error = await postComment(client, 8, 'hello').catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'GitHub API answered HTTP 500 for posting a comment on pull request #8: HTTP 500' });
    expect((error as SinkopsError).details).toEqual([
      'Gave up after 3 attempts.',
      'GitHub may have received the request (posting a comment on pull request #8); check before running it again.',
    ]);
    // Each POST was followed by a look; never two POSTs without one between.
    expect(calls(fake).map((c) => c.split(' ')[0])).toEqual(['POST', 'GET', 'POST', 'GET', 'POST', 'GET']);
    expect(fake.comments).toEqual([]);
  });
});
