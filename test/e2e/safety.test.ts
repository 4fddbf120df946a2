/**
 * Deletes and concurrency, end to end (in-process): a sink whose marker is removed while apply
 * waits at its prompt, a tampered saved plan, a mistyped --dir, two applies at once on one account
 * and on the local account. Each ends with the account intact and a clear refusal.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { sinkFingerprint } from '../../src/plan/canonical.js';
import type { RemoteSink } from '../../src/remote/model.js';
import { forward, startHostileServer } from '../helpers/hostile-server.js';
import { cliEnv, managed, onCleanup, runCli, sid, startE2eEmulator, writeRepo, type E2eEmulator } from './helpers/index.js';

const TIMEOUT = { timeout: 120_000 };

const hook = (name: string) => ({ destination: `https://example.org/${name}`, method: 'POST' });
const doc = (name: string) => ({ name, description: name, sink_type: 'webhook', sink_configuration: hook(name) });

async function account() {
  return startE2eEmulator({
    sinks: [
      { sid: sid('DG', 1), description: managed('kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
      { sid: sid('DG', 2), description: managed('gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
      { sid: sid('DG', 3), description: 'Someone else’s hook', sink_type: 'webhook', sink_configuration: hook('theirs') },
    ],
    subscriptions: [],
  });
}

async function sinkNow(emu: E2eEmulator, n: number): Promise<RemoteSink | undefined> {
  const res = await emu.api('GET', `/v1/Sinks/${sid('DG', n)}`);
  if (res.status === 404) return undefined;
  const b = res.body as { sid: string; description: string; sink_type: string; sink_configuration: Record<string, unknown>; status: string; date_created: string; date_updated: string };
  return { sid: b.sid, description: b.description, sinkType: b.sink_type, sinkConfiguration: b.sink_configuration, status: b.status, dateCreated: b.date_created, dateUpdated: b.date_updated };
}

describe('apply re-reads each sink right before it changes it', () => {
  it('keeps a sink whose marker was removed while apply waited at its prompt', TIMEOUT, async () => {
    const emu = await account();
    const cwd = await writeRepo({ 'sinks/kept.yaml': doc('kept') });
    // A terminal: apply shows the plan and waits for `yes`.
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let out = '';
    let err = '';
    let prompted: () => void = () => undefined;
    const atPrompt = new Promise<void>((resolve) => (prompted = resolve));
    const exit = run(['apply'], {
      stdout: { isTTY: false, write: (chunk: string) => ((out += chunk), out.includes('Enter a value:') && prompted()) },
      stderr: { isTTY: false, write: (chunk: string) => (err += chunk) },
      stdin,
      env: cliEnv(emu.env),
      cwd,
    });
    await atPrompt;
    expect(out).toContain('Plan: 0 to create, 0 to update, 0 to replace, 1 to delete.');
    // Meanwhile, in the Console: someone takes the sink over (the marker goes).
    expect((await emu.api('POST', `/v1/Sinks/${sid('DG', 2)}`, { Description: 'Now the billing team’s' })).status).toBe(200);
    stdin.end('yes\n');

    // Once it holds the lease, apply reads the account again: it changed since the plan.
    expect(await exit).toBe(1);
    expect(err).toContain('The account changed between the plan and the apply (another apply, or an edit in the Console); nothing was applied');
    expect((await sinkNow(emu, 2))?.description).toBe('Now the billing team’s');
    expect((await emu.requests()).filter((r) => r.method === 'DELETE' && r.path.endsWith(sid('DG', 2)))).toEqual([]);
  });

  it('keeps a sink whose marker was removed during the apply, right before its delete', TIMEOUT, async () => {
    const emu = await account();
    const cwd = await writeRepo({ 'sinks/kept.yaml': doc('kept') });
    // The Console edit lands just before apply reads the sink again to delete it.
    const proxy = await startHostileServer((req, res, body) => {
      const takeOver = req.method === 'GET' && req.url === `/v1/Sinks/${sid('DG', 2)}`;
      const edit = takeOver ? emu.api('POST', `/v1/Sinks/${sid('DG', 2)}`, { Description: 'Now the billing team’s' }) : Promise.resolve();
      void edit.then(() => forward(req, res, body, emu.url, proxy.url));
    });
    onCleanup(() => proxy.close());
    const r = await runCli(['apply', '--yes'], { cwd, env: { ...emu.env, TWILIO_EVENTS_BASE_URL: proxy.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`refused: ${sid('DG', 2)} no longer carries [sinkops:gone]`);
    expect((await sinkNow(emu, 2))?.description).toBe('Now the billing team’s');
  });
});

describe('a saved plan is not trusted about ownership', () => {
  async function savedPlan() {
    const emu = await account();
    const cwd = await writeRepo({ 'sinks/kept.yaml': doc('kept') });
    const plan = await runCli(['plan', '--out', 'plan.json'], { cwd, env: emu.env });
    expect(plan.code, plan.stderr).toBe(0);
    const file = JSON.parse(await readFile(join(cwd, 'plan.json'), 'utf8')) as { actions: Record<string, unknown>[] };
    return { emu, cwd, file };
  }

  it('refuses to delete an unmanaged sink that a hand-edited plan names, fingerprint and all', TIMEOUT, async () => {
    const { emu, cwd, file } = await savedPlan();
    const theirs = await sinkNow(emu, 3);
    // The attacker points the planned delete at someone else's sink, with a matching fingerprint.
    const del = file.actions.find((a) => a['action'] === 'delete')!;
    Object.assign(del, { sid: theirs!.sid, before_fingerprint: sinkFingerprint(theirs!) });
    await writeFile(join(cwd, 'plan.json'), JSON.stringify(file));

    const r = await runCli(['apply', 'plan.json', '--yes'], { cwd, env: emu.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`refused: ${sid('DG', 3)} no longer carries [sinkops:gone]`);
    expect(await sinkNow(emu, 3)).toEqual(theirs);
  });

  it('refuses a plan that passes an unmanaged sink off as pinned by the repository', TIMEOUT, async () => {
    const { emu, cwd, file } = await savedPlan();
    const theirs = await sinkNow(emu, 3);
    const del = file.actions.find((a) => a['action'] === 'delete')!;
    Object.assign(del, { sid: theirs!.sid, before_fingerprint: sinkFingerprint(theirs!), reasons: [{ kind: 'pinned', sid: theirs!.sid }] });
    await writeFile(join(cwd, 'plan.json'), JSON.stringify(file));

    const r = await runCli(['apply', 'plan.json', '--yes'], { cwd, env: emu.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('plan.json takes sinks that the repository does not pin; nothing was applied');
    expect(r.stderr).toContain(`gone: ${sid('DG', 3)} is not pinned`);
    expect(await sinkNow(emu, 3)).toEqual(theirs);
  });
});

describe('a mistyped --dir', () => {
  it('that holds one unrelated sink file does not prune every managed sink', TIMEOUT, async () => {
    const emu = await account();
    const cwd = await writeRepo({ 'other/unrelated.yaml': doc('unrelated') });
    const plan = await runCli(['plan', '--dir', 'other'], { cwd, env: emu.env });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('the plan deletes all 2 managed sink(s) and keeps none of them (is --dir right?)');
    const apply = await runCli(['apply', '--dir', 'other', '--yes'], { cwd, env: emu.env });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('--allow-empty');
    expect((await emu.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('two applies at once', () => {
  it('on one account: the second finds the first one’s lease and stops; the first finishes alone', TIMEOUT, async () => {
    const emu = await account();
    const cwd = await writeRepo({ 'sinks/kept.yaml': doc('kept'), 'sinks/fresh.yaml': doc('fresh'), 'sinks/gone.yaml': doc('gone') });
    // Hold the first apply's create of `fresh` until the second apply has given up.
    let holding: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const proxy = await startHostileServer((req, res, body) => {
      if (req.method === 'POST' && body.includes('sinkops%3Afresh')) {
        holding?.();
        void released.then(() => forward(req, res, body, emu.url, proxy.url));
      } else {
        void forward(req, res, body, emu.url, proxy.url);
      }
    });
    onCleanup(() => proxy.close());
    const env = { ...emu.env, TWILIO_EVENTS_BASE_URL: proxy.url };

    const first = runCli(['apply', '--yes'], { cwd, env });
    await held;
    const second = await runCli(['apply', '--yes'], { cwd, env });
    release();
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('another sinkops apply holds the lease on this account; nothing was applied');
    expect(second.stderr).toMatch(/lease sink DG[0-9a-f]{32}, held by \S+:\d+, until /);

    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    const sinks = ((await emu.api('GET', '/v1/Sinks?PageSize=1000')).body as { sinks: { description: string }[] }).sinks.map((s) => s.description).sort();
    // One `fresh`, no lease left behind.
    expect(sinks).toEqual(['Someone else’s hook', 'fresh [sinkops:fresh]', 'gone [sinkops:gone]', 'kept [sinkops:kept]']);
  });

  it('on the local account: the second is refused while the first holds its lock', TIMEOUT, async () => {
    const cwd = await writeRepo({ 'sinks/kept.yaml': doc('kept') });
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    let prompted: () => void = () => undefined;
    const atPrompt = new Promise<void>((resolve) => (prompted = resolve));
    let out = '';
    const first = run(['apply', '--local'], {
      stdout: { isTTY: false, write: (chunk: string) => ((out += chunk), out.includes('Enter a value:') && prompted()) },
      stderr: { isTTY: false, write: () => true },
      stdin,
      env: cliEnv({}),
      cwd,
    });
    await atPrompt; // the first holds the local account, waiting for its answer
    const second = await runCli(['plan', '--local'], { cwd });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`the local account is in use by another sinkops (pid ${process.pid}`);
    stdin.end('no\n');
    expect(await first).toBe(1);
    expect((await runCli(['plan', '--local'], { cwd })).code).toBe(0); // the lock was given back
  });
});
