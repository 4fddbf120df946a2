/**
 * A fake GitHub REST API on 127.0.0.1 for the `github` commands: issue comments (list with
 * `Link` pagination, create, edit), issues (list with `Link` pagination, open, edit) and the pull
 * requests of a commit. Every request is recorded with its Authorization header, so tests can
 * prove where the token went; `faults` make chosen requests fail (an error status, a request or an
 * answer lost on the way).
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

export interface FakeIssue {
  readonly number: number;
  title: string;
  body: string;
  user: { login: string };
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  /** A pull request: GitHub lists those among the issues. */
  readonly pull: boolean;
  /** Increases with every change, for `sort=updated`. */
  updated: number;
}

/**
 * What the next request matching `method` and `path` (a pattern on the path, without the query)
 * meets instead of the API: an answer with `status`, or `lose` — `request`: the connection is cut
 * before anything is done; `answer`: the request is carried out, then the connection is cut before
 * the answer (the client cannot know that it worked). Each fault is used once, in order.
 */
export type Fault = { readonly method: string; readonly path: RegExp } & (
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  | { readonly lose: 'request' | 'answer' }
);

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
  readonly issues: FakeIssue[];
  /** Used up in order by the requests they match; see Fault. */
  readonly faults: Fault[];
  /** Pull requests by commit SHA, for GET /repos/o/r/commits/{sha}/pulls. */
  readonly pullsByCommit: Map<string, FakePull[]>;
  /** Comments per page (GitHub's is `per_page`, at most 100; smaller here to test paging). */
  pageSize: number;
  /** When set, the first page's `Link: rel="next"` points here instead (another origin). */
  nextOverride: string | undefined;
  /** Adds a comment as if someone had posted it. */
  seed(issue: number, body: string, login?: string): FakeComment;
  /** Adds an issue (or, with `pull`, a pull request) as if someone had opened it. */
  seedIssue(fields: { body: string; login?: string; title?: string; state?: 'open' | 'closed'; pull?: boolean }): FakeIssue;
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
  let nextNumber = 1;
  let clock = 0;
  const fake = {
    requests: [] as RecordedRequest[],
    comments: [] as FakeComment[],
    issues: [] as FakeIssue[],
    faults: [] as Fault[],
    pullsByCommit: new Map<string, FakePull[]>(),
    pageSize: 100,
    nextOverride: undefined as string | undefined,
    url: '',
    seed(issue: number, body: string, login = BOT): FakeComment {
      const c = { id: nextId++, body, user: { login }, issue };
      fake.comments.push(c);
      return c;
    },
    seedIssue(fields: { body: string; login?: string; title?: string; state?: 'open' | 'closed'; pull?: boolean }): FakeIssue {
      const issue: FakeIssue = {
        number: nextNumber++,
        title: fields.title ?? 'An issue',
        body: fields.body,
        user: { login: fields.login ?? BOT },
        state: fields.state ?? 'open',
        state_reason: null,
        labels: [],
        pull: fields.pull ?? false,
        updated: ++clock,
      };
      fake.issues.push(issue);
      return issue;
    },
  };
  const view = (c: FakeComment) => ({ id: c.id, body: c.body, user: c.user, html_url: `https://github.example/acme/sinks/pull/${c.issue}#issuecomment-${c.id}` });
  const issueView = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    user: i.user,
    state: i.state,
    state_reason: i.state_reason,
    labels: i.labels.map((name) => ({ name })),
    html_url: `https://github.example/acme/sinks/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    ...(i.pull ? { pull_request: { url: `${fake.url}${REPO}/pulls/${i.number}` } } : {}),
  });
  /** One page of `all`, with GitHub's Link header when more follow. */
  const page = (url: URL, all: readonly unknown[]) => {
    const n = Number(url.searchParams.get('page') ?? '1');
    const size = Math.min(fake.pageSize, Number(url.searchParams.get('per_page') ?? '30'));
    const headers: Record<string, string> = {};
    if (n * size < all.length) {
      const following = new URL(url);
      following.searchParams.set('per_page', String(size));
      following.searchParams.set('page', String(n + 1));
      headers['link'] = `<${fake.nextOverride ?? following.href}>; rel="next", <${fake.url}${url.pathname}?page=999>; rel="last"`;
    }
    return { items: all.slice((n - 1) * size, n * size), headers };
  };

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
      const fault = fake.faults.find((f) => f.method === req.method && f.path.test(url.pathname));
      if (fault === undefined) return handle(req.method ?? '', url, body, send);
      fake.faults.splice(fake.faults.indexOf(fault), 1);
      if ('status' in fault) return send(fault.status, fault.body ?? { message: `HTTP ${fault.status}` }, fault.headers);
      if (fault.lose === 'request') return void res.socket?.destroy();
      // Carried out, then the answer is lost.
      return handle(req.method ?? '', url, body, () => void res.socket?.destroy());
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });

  type Send = (status: number, data: unknown, headers?: Record<string, string>) => void;
  function handle(method: string, url: URL, body: unknown, send: Send): void {
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = new RegExp(`^${REPO}/issues/(\\d+)/comments$`).exec(url.pathname))) {
      const issue = Number(m[1]);
      const { items, headers } = page(url, fake.comments.filter((c) => c.issue === issue).map(view));
      return send(200, items, headers);
    }
    if (method === 'GET' && url.pathname === `${REPO}/issues`) {
      const state = url.searchParams.get('state') ?? 'open';
      const chosen = fake.issues.filter((i) => state === 'all' || i.state === state);
      const byUpdated = url.searchParams.get('sort') === 'updated';
      const sorted = [...chosen].sort((a, b) => (byUpdated ? a.updated - b.updated : a.number - b.number));
      if ((url.searchParams.get('direction') ?? 'desc') === 'desc') sorted.reverse();
      const { items, headers } = page(url, sorted.map(issueView));
      return send(200, items, headers);
    }
    if (method === 'POST' && url.pathname === `${REPO}/issues`) {
      const fields = body as { title: string; body: string; labels?: string[] };
      if (typeof fields.title !== 'string' || fields.title.length > 256) return send(422, { message: 'Validation Failed: title' });
      if (fields.body.length > 65_536) return send(422, { message: 'Validation Failed: body is too long (maximum is 65536 characters)' });
      const issue = fake.seedIssue({ body: fields.body, title: fields.title });
      issue.labels = fields.labels ?? [];
      return send(201, issueView(issue));
    }
    if (method === 'PATCH' && (m = new RegExp(`^${REPO}/issues/(\\d+)$`).exec(url.pathname))) {
      const issue = fake.issues.find((i) => i.number === Number(m![1]));
      if (issue === undefined) return send(404, { message: 'Not Found' });
      const fields = body as { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: string };
      if (fields.body !== undefined && fields.body.length > 65_536) return send(422, { message: 'Validation Failed: body is too long' });
      if (fields.title !== undefined) issue.title = fields.title;
      if (fields.body !== undefined) issue.body = fields.body;
      if (fields.state !== undefined) {
        issue.state = fields.state;
        issue.state_reason = fields.state === 'closed' ? (fields.state_reason ?? 'completed') : 'reopened';
      }
      issue.updated = ++clock;
      return send(200, issueView(issue));
    }
    if (method === 'POST' && (m = new RegExp(`^${REPO}/issues/(\\d+)/comments$`).exec(url.pathname))) {
      const text = (body as { body: string }).body;
      if (text.length > 65_536) return send(422, { message: 'Validation Failed: body is too long (maximum is 65536 characters)' });
      return send(201, view(fake.seed(Number(m[1]), text)));
    }
    if (method === 'PATCH' && (m = new RegExp(`^${REPO}/issues/comments/(\\d+)$`).exec(url.pathname))) {
      const c = fake.comments.find((x) => x.id === Number(m![1]));
      if (c === undefined) return send(404, { message: 'Not Found' });
      c.body = (body as { body: string }).body;
      return send(200, view(c));
    }
    if (method === 'GET' && (m = new RegExp(`^${REPO}/commits/([0-9a-f]+)/pulls$`).exec(url.pathname))) {
      return send(200, fake.pullsByCommit.get(m[1]!) ?? []);
    }
    return send(404, { message: 'Not Found' });
  }

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
