/**
 * No secret leaves through any channel, in any encoding, even when the API is hostile.
 *
 * A proxy stands in front of the emulator: reads pass through, and every create and delete is
 * refused with an error whose message and more_info echo the whole request — the Authorization
 * header, the form body as sent, decoded, JSON-escaped, base64 — the way a careless or hostile
 * server could. The CLI runs in-process at log level trace through plan (text, Markdown, JSON, a
 * saved plan file), apply (every result format, from the repository and from the saved plan) and
 * `github comment` against a GitHub that echoes its token; the emulator logs at trace too. Every
 * output channel is then searched for every encoding of every secret (test/helpers/secret-encodings.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { forward, sendJson, startHostileServer } from '../helpers/hostile-server.js';
import { leaks } from '../helpers/secret-encodings.js';
import { managed, onCleanup, runCli, sid, startE2eEmulator, writeRepo } from './helpers/index.js';

const AUTH_TOKEN = 'twilio-auth-T0ken-9f8e7d61';
const ACCOUNT_SID = 'AC5ec7e75ec7e75ec7e75ec7e75ec7e75e';
const EXT_ID = 'ext-id-S3cret-441190';
const SEG_KEY = 'seg-write-K3y-773355';
const HOOK_TOKEN = 'hook-T0k3n-552288';
const GITHUB_TOKEN = 'ghp_Github-T0ken-889911';
const SECRETS = [AUTH_TOKEN, `${ACCOUNT_SID}:${AUTH_TOKEN}`, EXT_ID, SEG_KEY, HOOK_TOKEN, GITHUB_TOKEN];

/** The request as a server could echo it back, in several encodings at once. */
function echo(method: string, path: string, headers: Record<string, unknown>, body: string): string {
  const decoded = Object.fromEntries(new URLSearchParams(body));
  return [
    `${method} ${path}`,
    `authorization=${String(headers['authorization'])}`,
    `raw=${body}`,
    `decoded=${JSON.stringify(decoded)}`,
    `config=${decoded['SinkConfiguration'] ?? ''}`,
    `base64=${Buffer.from(body).toString('base64')}`,
  ].join(' | ');
}

async function world() {
  const emulatorLog: string[] = [];
  const emu = await startE2eEmulator(
    {
      sinks: [
        { sid: sid('DG', 9), description: managed('Old hook', 'old-hook'), sink_type: 'webhook', sink_configuration: { destination: 'https://old.example/in', method: 'POST' } },
        { sid: sid('DG', 8), description: managed('Kept', 'kept'), sink_type: 'webhook', sink_configuration: { destination: 'https://kept.example/in', method: 'POST' } },
      ],
      subscriptions: [],
    },
    {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      logger: pino({ level: 'trace' }, { write: (line: string) => void emulatorLog.push(line) }),
    },
  );
  // Reads, and the apply's lease, pass through to the emulator; every other create and delete is
  // refused with the request echoed.
  const leases = new Set<string>();
  const proxy = await startHostileServer((req, res, body) => {
    const path = req.url ?? '/';
    const isLease = body.includes('sinkops-lease') || [...leases].some((leaseSid) => path.endsWith(leaseSid));
    if ((req.method === 'POST' || req.method === 'DELETE') && !isLease) {
      const text = echo(req.method, path, req.headers, body);
      sendJson(res, 400, { code: 91000, message: text, more_info: `https://www.twilio.com/docs/errors/91000?echo=${encodeURIComponent(text)}`, status: 400 });
      return;
    }
    void forward(req, res, body, emu.url, proxyUrl()).then((text) => {
      if (isLease && req.method === 'POST') leases.add((JSON.parse(text) as { sid: string }).sid);
    });
  });
  const proxyUrl = (): string => proxy.url;
  // A GitHub that refuses every comment, quoting the request with its token.
  const github = await startHostileServer((req, res, body) => {
    sendJson(res, 422, { message: `Validation Failed for ${String(req.headers['authorization'])} ${Buffer.from(String(req.headers['authorization'])).toString('base64')} ${body.slice(0, 50)}` });
  });
  onCleanup(() => proxy.close());
  onCleanup(() => github.close());

  const cwd = await writeRepo({
    'sinks/kept.yaml': { name: 'kept', description: 'Kept', sink_type: 'webhook', sink_configuration: { destination: 'https://kept.example/in', method: 'POST' } },
    'sinks/hook.yaml': { name: 'hook', description: 'Hook', sink_type: 'webhook', sink_configuration: { destination: 'https://hooks.example/in?k=${HOOK_TOKEN}', method: 'POST' } },
    'sinks/stream.yaml': {
      name: 'stream',
      description: 'Stream',
      sink_type: 'kinesis',
      sink_configuration: { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/s', role_arn: 'arn:aws:iam::111111111111:role/r', external_id: '${EXT_ID}' },
    },
    'sinks/analytics.yaml': { name: 'analytics', description: 'Analytics', sink_type: 'segment', sink_configuration: { write_key: '${SEG_KEY}' } },
  });
  const env = {
    TWILIO_EVENTS_BASE_URL: proxy.url,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    EXT_ID,
    SEG_KEY,
    HOOK_TOKEN,
    GITHUB_TOKEN,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/sinks',
    LOG_LEVEL: 'trace',
  };
  return { cwd, env, emulatorLog, proxy, github };
}

describe('secrets against a hostile API', () => {
  it('reach no output, log, plan file, comment or result, in any encoding', { timeout: 120_000 }, async () => {
    const { cwd, env, emulatorLog, proxy, github } = await world();
    const texts: Record<string, string> = {};
    const record = (label: string, r: { stdout: string; stderr: string }): void => {
      texts[`${label} stdout`] = r.stdout;
      texts[`${label} stderr`] = r.stderr;
    };

    const plan = await runCli(['plan', '--out', 'plan.json'], { cwd, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('"https://hooks.example/in?k=(sensitive)"');
    record('plan text', plan);
    texts['plan.json'] = await readFile(join(cwd, 'plan.json'), 'utf8');
    const markdown = await runCli(['plan', '--format', 'markdown'], { cwd, env });
    record('plan markdown', markdown);
    await writeFile(join(cwd, 'plan.md'), markdown.stdout);
    record('plan json', await runCli(['plan', '--format', 'json'], { cwd, env }));

    for (const format of ['text', 'markdown', 'json']) {
      const apply = await runCli(['apply', '--yes', '--format', format], { cwd, env });
      expect(apply.code, `${apply.stdout}\n${apply.stderr}`).toBe(1); // every create and the delete refused
      record(`apply ${format}`, apply);
    }
    const saved = await runCli(['apply', 'plan.json', '--yes', '--format', 'markdown'], { cwd, env });
    record('apply saved plan', saved);

    const comment = await runCli(['github', 'comment', '--file', 'plan.md', '--pr', '7'], { cwd, env });
    expect(comment.code).toBe(1);
    record('github comment', comment);
    texts['emulator log'] = emulatorLog.join('');

    // The hostile servers did echo the secrets: the sweep below would see them if they got through.
    const echoed = proxy.requests.filter((r) => r.method === 'POST').map((r) => echo(r.method, r.path, r.headers, r.body)).join('\n');
    expect(leaks({ echoed }, [AUTH_TOKEN, EXT_ID, SEG_KEY, HOOK_TOKEN]).length).toBeGreaterThan(4);
    expect(github.requests.length).toBeGreaterThan(0);
    expect(texts['apply text stdout']).toMatch(/Twilio API error 91000 \(HTTP 400\)/);

    expect(leaks(texts, SECRETS)).toEqual([]);
  });
});
