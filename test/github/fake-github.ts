/**
 * A fake GitHub REST API on 127.0.0.1 for the `github` commands: issue comments (list with
 * `Link` pagination, create, edit) and the pull requests of a commit. Every request is recorded
 * with its Authorization header, so tests can prove where the token went.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
  issue: number;
}

export interface FakePull {
  readonly number: number;
  readonly state: string;
  readonly merged_at: string | null;
  readonly merge_commit_sha: string | null;
}

export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly comments: FakeComment[];
  /** Pull requests by commit SHA, for GET /repos/o/r/commits/{sha}/pulls. */
  readonly pullsByCommit: Map<string, FakePull[]>;
  /** Comments per page (GitHub's is `per_page`, at most 100; smaller here to test paging). */
  pageSize: number;
  /** When set, the first page's `Link: rel="next"` points here instead (another origin). */
  nextOverride: string | undefined;
  /** Adds a comment as if someone had posted it. */
  seed(issue: number, body: string, login?: string): FakeComment;
  close(): Promise<void>;
}

const REPO = '/repos/acme/sinks';
export const FAKE_REPOSITORY = 'acme/sinks';
export const FAKE_TOKEN = 'ghs_fake-token-never-printed-4b1d';
export const BOT = 'github-actions[bot]';

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? undefined : JSON.parse(text);
}

/** Fakes this test file started, closed after its last test (registered at import, like test/e2e/helpers). */
const open = new Set<() => Promise<void>>();
afterAll(async () => {
  for (const close of open) await close();
});

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake = {
    requests: [] as RecordedRequest[],
    comments: [] as FakeComment[],
    pullsByCommit: new Map<string, FakePull[]>(),
    pageSize: 100,
    nextOverride: undefined as string | undefined,
    url: '',
    seed(issue: number, body: string, login = BOT): FakeComment {
      const c = { id: nextId++, body, user: { login }, issue };
      fake.comments.push(c);
      return c;
    },
  };
  const view = (c: FakeComment) => ({ id: c.id, body: c.body, user: c.user, html_url: `https://github.example/acme/sinks/pull/${c.issue}#issuecomment-${c.id}` });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', fake.url);
      fake.requests.push({ method: req.method ?? '', url: url.pathname + url.search, authorization: req.headers.authorization, body });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return send(401, { message: 'Bad credentials' });
      let m: RegExpExecArray | null;
      if (req.method === 'GET' && (m = new RegExp(`^${REPO}/issues/(\\d+)/comments$`).exec(url.pathname))) {
        const issue = Number(m[1]);
        const all = fake.comments.filter((c) => c.issue === issue);
        const page = Number(url.searchParams.get('page') ?? '1');
        const size = Math.min(fake.pageSize, Number(url.searchParams.get('per_page') ?? '30'));
        const slice = all.slice((page - 1) * size, page * size);
        const headers: Record<string, string> = {};
        if (page * size < all.length) {
          const next = fake.nextOverride ?? `${fake.url}${REPO}/issues/${issue}/comments?per_page=${size}&page=${page + 1}`;
          headers['link'] = `<${next}>; rel="next", <${fake.url}${REPO}/issues/${issue}/comments?page=999>; rel="last"`;
        }
        return send(200, slice.map(view), headers);
      }
      if (req.method === 'POST' && (m = new RegExp(`^${REPO}/issues/(\\d+)/comments$`).exec(url.pathname))) {
        const text = (body as { body: string }).body;
        if (text.length > 65_536) return send(422, { message: 'Validation Failed: body is too long (maximum is 65536 characters)' });
        return send(201, view(fake.seed(Number(m[1]), text)));
      }
      if (req.method === 'PATCH' && (m = new RegExp(`^${REPO}/issues/comments/(\\d+)$`).exec(url.pathname))) {
        const c = fake.comments.find((x) => x.id === Number(m![1]));
        if (c === undefined) return send(404, { message: 'Not Found' });
        c.body = (body as { body: string }).body;
        return send(200, view(c));
      }
      if (req.method === 'GET' && (m = new RegExp(`^${REPO}/commits/([0-9a-f]+)/pulls$`).exec(url.pathname))) {
        return send(200, fake.pullsByCommit.get(m[1]!) ?? []);
      }
      return send(404, { message: 'Not Found' });
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  open.add(close);
  return Object.assign(fake, { close });
}

/** The environment GitHub Actions gives a step, pointed at the fake. */
export function githubEnv(fake: FakeGitHub, extra: Record<string, string> = {}): Record<string, string> {
  return { GITHUB_TOKEN: FAKE_TOKEN, GITHUB_REPOSITORY: FAKE_REPOSITORY, GITHUB_API_URL: fake.url, ...extra };
}
