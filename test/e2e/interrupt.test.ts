/**
 * Ctrl-C and SIGTERM during `apply` (SPEC §9), on the real process (`node bin/sinkops.js`): the
 * first signal lets the requests in flight finish and starts nothing new; the lease is given back,
 * the result says what was and was not done, and the exit code is 130. A second signal exits 130 at
 * once. Before anything is applied (reading the account), a signal stops the apply at once, with
 * 130 and "nothing was applied".
 *
 * Nothing here waits a fixed time: signals are sent as the server sees (or answers) a chosen
 * request, and the tests wait for the process's output or exit.
 */
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed, LoggedRequest } from '../../src/emulator/index.js';
import { neverAnswer, sendJson, startHostileServer } from '../helpers/hostile-server.js';
import { expectConverged, listSinks, markerName, mutating } from './helpers/account.js';
import { managed, PROCESS_TEST_TIMEOUT_MS, runCli, sid, startCli, startE2eEmulator, writeRepo, type CliProcess, type SinkDoc } from './helpers/index.js';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const CREATES = 12;

/** An account with a sink to update, one to replace and one to delete; the repository adds 12. */
const SEED: EmulatorSeed = {
  sinks: [
    { sid: sid('DG', 1), description: managed('Old wording', 'upd'), sink_type: 'webhook', sink_configuration: hook('upd') },
    { sid: sid('DG', 2), description: managed('Replaced', 'repl'), sink_type: 'webhook', sink_configuration: hook('repl-v1') },
    { sid: sid('DG', 3), description: managed('Gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
  ],
  subscriptions: [],
};
const DESIRED: SinkDoc[] = [
  ...Array.from({ length: CREATES }, (_, i) => ({ name: `new-${i}`, description: `New ${i}`, sink_type: 'webhook', sink_configuration: hook(`new-${i}`) })),
  { name: 'upd', description: 'New wording', sink_type: 'webhook', sink_configuration: hook('upd') },
  { name: 'repl', description: 'Replaced', sink_type: 'webhook', sink_configuration: hook('repl-v2') },
];

/** Resolves once the process's stderr matches; rejects if it exits first. */
function waitForStderr(cli: CliProcess, match: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!match.test(cli.stderr())) return;
      cli.child.stderr!.off('data', check);
      resolve();
    };
    cli.child.stderr!.on('data', check);
    void cli.exited.then(() => {
      cli.child.stderr!.off('data', check);
      if (match.test(cli.stderr())) resolve();
      else reject(new Error(`the CLI exited before its stderr matched ${String(match)}\n--- stdout\n${cli.stdout()}\n--- stderr\n${cli.stderr()}`));
    });
    check();
  });
}

interface JsonResult {
  summary: Record<string, number>;
  results: { action: string; name: string; status: string; sid?: string; new_sid?: string }[];
}

describe('apply interrupted', () => {
  it('SIGINT mid-apply: the requests in flight finish, nothing new starts, the lease is released, the result is printed, exit 130; a re-run converges', async () => {
    // The emulator logs each API request just before it answers: the signal goes out as the first
    // sink from the repository is created, while the other requests of the window are in flight.
    let onAnswer: (r: LoggedRequest) => void = () => undefined;
    const logger = pino(
      { level: 'debug', base: null },
      {
        write(line: string) {
          const entry = JSON.parse(line) as { msg?: string } & LoggedRequest;
          if (entry.msg === 'emulator request') onAnswer({ method: entry.method, path: entry.path, status: entry.status });
        },
      },
    );
    const emu = await startE2eEmulator(SEED, { faults: { latencyMs: 40 }, logger });
    const cwd = await writeRepo({ 'sinks/all.yaml': DESIRED });

    let creates = 0;
    let cli: CliProcess | undefined;
    onAnswer = (r) => {
      if (r.method !== 'POST' || r.path !== '/v1/Sinks' || r.status !== 201) return;
      creates += 1;
      // The first create is the apply's lease; the second, the first sink of the repository.
      if (creates === 2) cli?.child.kill('SIGINT');
    };
    cli = startCli(['apply', '--yes', '--parallelism', '2', '--format', 'json'], { cwd, env: emu.env });
    const interrupted = await cli.exited;

    expect(interrupted.signal, interrupted.stderr).toBeNull();
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toContain('Interrupted (SIGINT): letting the requests in flight finish and starting nothing new. Interrupt again to exit at once.');
    expect(interrupted.stderr).toMatch(/Error: sinkops apply was interrupted \(SIGINT\): the requests in flight finished, and the \d+ actions not yet started were skipped \(see above\)\./);
    expect(interrupted.stderr).toContain('Run sinkops apply again to finish');
    // The result, in the chosen format: what was done and what was not.
    const result = JSON.parse(interrupted.stdout) as JsonResult;
    expect(result.summary.applied).toBeGreaterThan(0);
    expect(result.summary.skipped).toBeGreaterThan(0);
    expect(result.summary.failed).toBe(0);
    expect(result.results).toHaveLength(CREATES + 3);

    // The lease was given back, and no action is half-done: each sink is as it was, or as the
    // repository says (a replacement may stand beside the sink it replaces: the next apply deletes it).
    const sinks = await listSinks(emu);
    expect(sinks.filter((s) => s.description.includes('[sinkops-lease:'))).toEqual([]);
    const desired = new Map(DESIRED.map((d) => [d.name, d]));
    const seeded = new Map(SEED.sinks.map((s) => [s.sid, s]));
    for (const sink of sinks) {
      const before = seeded.get(sink.sid);
      const wanted = desired.get(markerName(sink.description) ?? '');
      const asSeeded = before !== undefined && before.description === sink.description;
      const asDesired = wanted !== undefined && sink.description === managed(wanted.description, wanted.name) && sink.sink_configuration['destination'] === wanted.sink_configuration['destination'];
      expect(asSeeded || asDesired, `${sink.sid} ${sink.description}`).toBe(true);
    }
    const byName = new Map(result.results.map((r) => [r.name, r]));
    for (let i = 0; i < CREATES; i += 1) {
      const made = sinks.filter((s) => markerName(s.description) === `new-${i}`);
      expect(made, `new-${i}`).toHaveLength(byName.get(`new-${i}`)?.status === 'applied' ? 1 : 0);
    }
    expect(sinks.some((s) => s.sid === sid('DG', 3))).toBe(byName.get('gone')?.status !== 'applied');

    // Run again: it finishes the job.
    const again = await runCli(['apply', '--yes'], { cwd, env: emu.env });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    await expectConverged(emu, DESIRED);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd, env: emu.env })).code).toBe(0);
  });

  it('a second signal exits 130 at once, without waiting for the request in flight', async () => {
    // An account that stores the apply's lease but never answers the create of a repository sink.
    const stored: Record<string, unknown>[] = [];
    const server = await startHostileServer((req, res, body) => {
      const form = new URLSearchParams(body);
      const description = form.get('Description') ?? '';
      if (req.method === 'GET' && (req.url ?? '').startsWith('/v1/Subscriptions')) return sendJson(res, 200, { subscriptions: [], meta: { next_page_url: null } });
      if (req.method === 'GET') return sendJson(res, 200, { sinks: stored, meta: { next_page_url: null } });
      if (req.method === 'DELETE') return void res.writeHead(204).end();
      if (!/\[sinkops:new-\d+\]$/.test(description)) {
        const sink = { sid: sid('DG', 0xf0 + stored.length), description, sink_type: 'webhook', sink_configuration: JSON.parse(form.get('SinkConfiguration') ?? '{}') as unknown, status: 'active' };
        stored.push(sink);
        return sendJson(res, 201, sink);
      }
      neverAnswer();
    });
    const cwd = await writeRepo({ 'sinks/all.yaml': DESIRED.slice(0, 3) });
    const env = { TWILIO_EVENTS_BASE_URL: server.url, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'interrupt-test-token' };
    const cli = startCli(['apply', '--yes', '--parallelism', '1'], { cwd, env });
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (server.requests.some((q) => q.method === 'POST' && /sinkops%3Anew-0%5D/.test(q.body))) resolve();
        else void server.requestsReached(server.requests.length + 1).then(check);
      };
      check();
    });
    cli.child.kill('SIGINT');
    await waitForStderr(cli, /Interrupted \(SIGINT\): letting the requests in flight finish/);
    cli.child.kill('SIGTERM');
    const r = await cli.exited;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Interrupted again (SIGTERM): exiting now, without waiting for the requests in flight.');
    expect(r.stdout).not.toContain('Apply complete');
    // Nothing was started after the first signal: one create of the repository's three was sent.
    expect(server.requests.filter((q) => q.method === 'POST' && /sinkops%3Anew-\d+%5D/.test(q.body))).toHaveLength(1);
  });

  it('SIGTERM while reading the account: stops at once, exit 130, nothing was applied', async () => {
    const server = await startHostileServer(neverAnswer);
    const cwd = await writeRepo({ 'sinks/all.yaml': DESIRED.slice(0, 3) });
    const env = { TWILIO_EVENTS_BASE_URL: server.url, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'interrupt-test-token' };
    const cli = startCli(['apply', '--yes'], { cwd, env });
    await server.requestsReached(1);
    cli.child.kill('SIGTERM');
    const r = await cli.exited;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Error: sinkops apply was interrupted (SIGTERM) before it changed anything; nothing was applied.');
    expect(r.stdout).not.toContain('Apply complete');
    expect(mutating(server.requests.map((q) => ({ method: q.method, path: q.path, status: 0 })))).toEqual([]);
  });
});
