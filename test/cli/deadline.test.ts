/**
 * `--deadline SECONDS` / SINKOPS_DEADLINE, end to end in-process (`run(argv, io)`): against an API
 * that never answers, every command that talks to an API stops at its deadline with a DEADLINE
 * error that names it and how to raise it; apply reports the actions it did not start as skipped.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/helpers/index.js';
import { neverAnswer, sendJson, startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

/** A generous upper bound on "promptly": the deadline is 1 s, the default request timeout 30 s. */
const PROMPT_MS = 20_000;

let repo: string;
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'sinkops-deadline-'));
  await mkdir(join(repo, 'sinks'));
  for (const name of ['a', 'b', 'c']) {
    await writeFile(
      join(repo, 'sinks', `${name}.yaml`),
      `name: ${name}\ndescription: Sink ${name}\nsink_type: webhook\nsink_configuration:\n  destination: https://example.org/${name}\n`,
    );
  }
  await writeFile(join(repo, 'comment.md'), 'a plan\n');
});
afterAll(() => rm(repo, { recursive: true, force: true }));

async function sinkops(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string; ms: number }> {
  const r = await runCli(args, { cwd: repo, env: { LOG_LEVEL: 'silent', ...env } });
  return { code: r.code ?? -1, out: r.stdout, err: r.stderr, ms: r.ms };
}

function twilioEnv(server: HostileServer): Record<string, string> {
  return { TWILIO_EVENTS_BASE_URL: server.url, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'hostile-test-token' };
}

describe('--deadline', () => {
  it('plan against an API that never answers stops at the deadline, with the DEADLINE message', async () => {
    const server = await startHostileServer(neverAnswer);
    const r = await sinkops(['plan', '--deadline', '1'], twilioEnv(server));
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: sinkops plan did not finish within its deadline of 1 s; the requests in flight were cancelled.');
    expect(r.err).toContain('Raise the deadline with --deadline SECONDS or SINKOPS_DEADLINE (default 1800).');
    expect(r.err).not.toContain('hostile-test-token');
    expect(r.ms).toBeLessThan(PROMPT_MS);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('SINKOPS_DEADLINE sets it, and the flag wins over it', async () => {
    const server = await startHostileServer(neverAnswer);
    const fromEnv = await sinkops(['import', '--out-dir', 'imported'], { ...twilioEnv(server), SINKOPS_DEADLINE: '1' });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.err).toContain('sinkops import did not finish within its deadline of 1 s');
    expect(fromEnv.ms).toBeLessThan(PROMPT_MS);
    const flagWins = await sinkops(['activate', 'a', '--deadline', '0.5'], { ...twilioEnv(server), SINKOPS_DEADLINE: '1000' });
    expect(flagWins.code).toBe(1);
    expect(flagWins.err).toContain('sinkops activate did not finish within its deadline of 0.5 s');
    expect(flagWins.ms).toBeLessThan(PROMPT_MS);
  });

  it('ends retry waits too: an API that always answers 429 with a long Retry-After', async () => {
    const server = await startHostileServer((_req, res) => sendJson(res, 429, { code: 20429, message: 'Too many requests' }, { 'retry-after': '50' }));
    const r = await sinkops(['plan', '--deadline', '1'], twilioEnv(server));
    expect(r.code).toBe(1);
    expect(r.err).toContain('did not finish within its deadline of 1 s');
    expect(r.ms).toBeLessThan(PROMPT_MS);
  });

  it('apply: the action in flight fails, the ones not started are skipped and reported, exit 1', async () => {
    // An account that lists, deletes and stores the apply's own bookkeeping sinks (its lease), but
    // never answers the create of a sink from the repository.
    const stored: Record<string, unknown>[] = [];
    const server = await startHostileServer((req, res, body) => {
      const description = new URLSearchParams(body).get('Description') ?? '';
      if (req.method === 'GET' && (req.url ?? '').startsWith('/v1/Subscriptions')) return sendJson(res, 200, { subscriptions: [], meta: { next_page_url: null } });
      if (req.method === 'GET') return sendJson(res, 200, { sinks: stored, meta: { next_page_url: null } });
      if (req.method === 'DELETE') return void res.writeHead(204).end();
      if (!/\[sinkops:[a-c]\]$/.test(description)) {
        const config = JSON.parse(new URLSearchParams(body).get('SinkConfiguration') ?? '{}') as unknown;
        const sink = { sid: `DG${String(stored.length + 1).padStart(32, '0')}`, description, sink_type: 'webhook', sink_configuration: config, status: 'active' };
        stored.push(sink);
        return sendJson(res, 201, sink);
      }
      neverAnswer();
    });
    const r = await sinkops(['apply', '--yes', '--parallelism', '1', '--deadline', '1', '--format', 'json'], twilioEnv(server));
    expect(r.code).toBe(1);
    const result = JSON.parse(r.out) as { summary: Record<string, number>; results: { name: string; status: string; error?: string }[] };
    expect(result.summary).toMatchObject({ applied: 0, failed: 1, skipped: 2 });
    expect(result.results.find((x) => x.status === 'failed')?.error).toContain('deadline of 1 s');
    expect(r.err).toContain('Error: sinkops apply did not finish within its deadline of 1 s');
    expect(r.ms).toBeLessThan(PROMPT_MS);
    const creates = server.requests.filter((q) => q.method === 'POST' && /sinkops%3A[a-c]%5D/.test(q.body));
    expect(creates).toHaveLength(1);
  });

  it('github comment against a GitHub API that never answers', async () => {
    const server = await startHostileServer(neverAnswer);
    const env = { GITHUB_TOKEN: 'ghs_deadline-token', GITHUB_REPOSITORY: 'acme/sinks', GITHUB_API_URL: server.url };
    const r = await sinkops(['github', 'comment', '--file', 'comment.md', '--pr', '3', '--deadline', '1'], env);
    expect(r.code).toBe(1);
    expect(r.err).toContain('sinkops github comment did not finish within its deadline of 1 s');
    expect(r.err).not.toContain('ghs_deadline-token');
    expect(r.ms).toBeLessThan(PROMPT_MS);
  });

  it('refuses a deadline that is not a positive number of seconds, naming where it came from', async () => {
    const bad = await sinkops(['plan', '--deadline', 'soon'], {});
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.err).toContain("--deadline must be a number of seconds greater than 0 and at most 604800 (a week), not 'soon'");
    const zero = await sinkops(['plan'], { SINKOPS_DEADLINE: '0' });
    expect(zero.err).toContain("SINKOPS_DEADLINE must be a number of seconds greater than 0");
  });

  it('is in the help of every command that talks to an API', async () => {
    for (const command of [['plan'], ['apply'], ['import'], ['activate'], ['github']]) {
      const r = await sinkops([...command, '--help'], {});
      expect(r.out, command.join(' ')).toContain('--deadline SECONDS');
      expect(r.out, command.join(' ')).toContain('SINKOPS_DEADLINE');
    }
  });
});
