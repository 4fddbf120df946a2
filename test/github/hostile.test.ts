/**
 * The GitHub client against a hostile API on a real socket: every answer is bounded in size, in
 * time (to its last byte), and a list in pages; a comment listed on two pages is one comment; and
 * the caller's signal (the CLI's --deadline) cancels the request in flight.
 */
import { describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { DEFAULT_GITHUB_MAX_RESPONSE_BYTES, GitHubClient, type GitHubClientOptions } from '../../src/github/client.js';
import { drip, neverAnswer, sendJson, startHostileServer, writeForever, type HostileServer } from '../helpers/hostile-server.js';

const MiB = 1024 * 1024;
/** Beyond the body cap, what a client can have in flight that it never read: socket buffers on both ends. */
const KERNEL_BUFFERS = 24 * MiB;
const TOKEN = 'ghs_hostile-test-token-never-printed';

function clientOf(server: HostileServer, options: GitHubClientOptions = {}): GitHubClient {
  const origin = new URL(server.url).origin;
  return new GitHubClient({ token: TOKEN, owner: 'acme', repo: 'sinks', apiUrl: origin, origin }, options);
}

const comment = (id: number, body = `comment ${id}`) => ({ id, body, user: { login: 'someone' }, html_url: `https://github.example/c/${id}` });

describe('GitHub answers are bounded', () => {
  it('stops reading an endless body at the cap, naming the cap and the path, never the token', async () => {
    const server = await startHostileServer((_req, res) => writeForever(res));
    const error = await clientOf(server, { maxResponseBytes: MiB }).listIssueComments(7).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkopsError);
    expect(error).toMatchObject({
      code: 'NETWORK',
      message: "The GitHub API's answer for the comments of pull request #7 (GET /repos/acme/sinks/issues/7/comments) is larger than 1 MiB; sinkops stopped reading it.",
    });
    expect(JSON.stringify(error) + String(error)).not.toContain(TOKEN);
    // Without the cap the server would have written 512 MiB.
    expect(await server.bytesWrittenWhenIdle()).toBeLessThan(MiB + KERNEL_BUFFERS);
  });

  it('holds to the default cap of 16 MiB', async () => {
    const server = await startHostileServer((_req, res) => writeForever(res));
    await expect(clientOf(server).createIssueComment(7, 'hello')).rejects.toThrow('larger than 16 MiB');
    expect(await server.bytesWrittenWhenIdle()).toBeLessThan(DEFAULT_GITHUB_MAX_RESPONSE_BYTES + KERNEL_BUFFERS);
  });

  it('ends a body that trickles forever at the per-request timeout, which covers the whole body', async () => {
    // One byte every 20 ms keeps undici's bodyTimeout (a limit on each gap) from ever firing.
    const server = await startHostileServer((_req, res) => drip(res, 20));
    // A read is retried after a timeout (its outcome is unknown, but reading twice is harmless).
    await expect(clientOf(server, { timeoutMs: 300, maxRetries: 1, sleep: async () => undefined }).listIssueComments(7)).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringMatching(/no complete answer within 300 ms.* \(after 2 attempts\)\.$/),
    });
    expect(server.requests).toHaveLength(2);
  });

  it('stops a list whose next page is always a new one at the page cap', async () => {
    let n = 0;
    const server = await startHostileServer((_req, res) => {
      n += 1;
      sendJson(res, 200, [comment(n)], { link: `<${server.url}/repos/acme/sinks/issues/7/comments?page=${n + 1}>; rel="next"` });
    });
    await expect(clientOf(server, { maxPages: 4 }).listIssueComments(7)).rejects.toThrow(
      'the pages of the comments of pull request #7 do not end (more than 4 pages',
    );
    expect(server.requests).toHaveLength(4);
  });

  it('keeps the first occurrence of a comment listed on two pages', async () => {
    const server = await startHostileServer((req, res) => {
      const second = req.url?.includes('page=2') === true;
      const link = second ? {} : { link: `<${server.url}/repos/acme/sinks/issues/7/comments?page=2>; rel="next"` };
      sendJson(res, 200, second ? [comment(2, 'edited'), comment(3)] : [comment(1), comment(2)], link);
    });
    const comments = await clientOf(server).listIssueComments(7);
    expect(comments.map((c) => [c.id, c.body])).toEqual([
      [1, 'comment 1'],
      [2, 'comment 2'],
      [3, 'comment 3'],
    ]);
  });

  it("the caller's signal cancels the request in flight; a post says it may have happened", async () => {
    const server = await startHostileServer(neverAnswer);
    const controller = new AbortController();
    const posting = clientOf(server, { signal: controller.signal }).createIssueComment(7, 'hello');
    await server.requestsReached(1);
    const reason = new SinkopsError('DEADLINE', 'sinkops github comment did not finish within its deadline of 1 s');
    controller.abort(reason);
    await expect(posting).rejects.toMatchObject({
      code: 'DEADLINE',
      message: reason.message,
      details: [expect.stringContaining('GitHub may have received the request')],
    });
    // Nothing more is sent once the signal has aborted.
    await expect(clientOf(server, { signal: controller.signal }).listIssueComments(7)).rejects.toBe(reason);
    expect(server.requests).toHaveLength(1);
  });
});
