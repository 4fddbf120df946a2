import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createEmulatorCommand, emulatorCommand } from '../../src/cli/commands/emulator.js';
import type { Command } from '../../src/cli/command.js';
import { run as runCli } from '../../src/cli/main.js';
import type { Io } from '../../src/io.js';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '../../src/emulator/index.js';
import { createLogger } from '../../src/log/logger.js';
import { basic, KINESIS, tempDir, WEBHOOK } from './helpers.js';

interface Running {
  readonly stdout: () => string;
  readonly url: Promise<string>;
  readonly exit: Promise<number>;
}

/** Runs the command in-process with buffer streams; `url` resolves once it has printed where it listens. */
async function start(cmd: Command, args: string[], env: Record<string, string> = {}, logs?: { text: string }): Promise<Running> {
  let out = '';
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const io: Io = {
    stdout: {
      write: (s: string) => {
        out += s;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) listening(m[1]!);
      },
    },
    stderr: { write: (s: string) => (logs ? (logs.text += s) : true) },
    stdin: new PassThrough(),
    env,
    cwd: process.cwd(),
  };
  const { values, positionals } = parseArgs({ args, options: cmd.options, allowPositionals: true, strict: true });
  const exit = cmd.run({ values, positionals, io, logger: await createLogger(io, logs ? 'trace' : 'silent'), secrets: new Set() });
  const exitedFirst = exit.then(
    () => Promise.reject(new Error(`command exited before listening:\n${out}`)),
    () => Promise.reject(new Error(`command exited before listening:\n${out}`)),
  );
  // Whichever comes first: the URL printed, or the end of the command (a URL printed later is too late).
  const first = Promise.race([url, exitedFirst]);
  exitedFirst.catch(() => undefined);
  first.catch(() => undefined); // tests of failing commands await `exit` only
  return { stdout: () => out, url: first, exit };
}

function controlledStop(): { command: Command; stop: () => void } {
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  return { command: createEmulatorCommand(() => stopped), stop };
}

describe('sinkops emulator', () => {
  it('prints its URL and the test credentials, serves until stopped, then exits 0', async () => {
    const { command, stop } = controlledStop();
    const run = await start(command, ['--port', '0']);
    const url = await run.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.stdout()).toContain(`Account SID: ${EMULATOR_ACCOUNT_SID}`);
    expect(run.stdout()).toContain(`Auth token:  ${EMULATOR_AUTH_TOKEN}`);
    expect(run.stdout()).toContain('State:       in memory');
    const res = await fetch(`${url}/v1/Sinks`, { headers: { Authorization: basic(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN) } });
    expect(res.status).toBe(200);
    stop();
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain('Emulator stopped.');
    await expect(fetch(`${url}/v1/Sinks`)).rejects.toThrow();
  });

  it('accepts the credentials from the environment without printing the token', async () => {
    const { command, stop } = controlledStop();
    const env = { TWILIO_ACCOUNT_SID: 'AC' + '12'.repeat(16), TWILIO_AUTH_TOKEN: 'real-looking-token-value', TWILIO_API_KEY: 'SK' + '34'.repeat(16), TWILIO_API_SECRET: 'api-secret-value' };
    const run = await start(command, ['--port', '0'], env);
    const url = await run.url;
    expect(run.stdout()).toContain(`Account SID: ${env.TWILIO_ACCOUNT_SID}`);
    expect(run.stdout()).toContain('the token in TWILIO_AUTH_TOKEN');
    expect(run.stdout()).not.toContain(env.TWILIO_AUTH_TOKEN);
    expect(run.stdout()).not.toContain(env.TWILIO_API_SECRET);
    const status = async (user: string, password: string): Promise<number> => (await fetch(`${url}/v1/Sinks`, { headers: { Authorization: basic(user, password) } })).status;
    expect(await status(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN)).toBe(200);
    expect(await status(env.TWILIO_API_KEY, env.TWILIO_API_SECRET)).toBe(200);
    expect(await status(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN)).toBe(401);
    stop();
    expect(await run.exit).toBe(0);
  });

  it('logs each request at debug level without credentials or sink secrets', async () => {
    const { command, stop } = controlledStop();
    const logs = { text: '' };
    const env = { TWILIO_AUTH_TOKEN: 'token-that-must-not-leak' };
    const run = await start(command, ['--port', '0'], env, logs);
    const url = await run.url;
    const body = new URLSearchParams({ Description: 'k', SinkType: 'kinesis', SinkConfiguration: JSON.stringify(KINESIS) });
    const res = await fetch(`${url}/v1/Sinks`, { method: 'POST', body, headers: { Authorization: basic(EMULATOR_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN) } });
    expect(res.status).toBe(201);
    stop();
    await run.exit;
    expect(logs.text).toContain('"path":"/v1/Sinks","status":201');
    for (const secret of [env.TWILIO_AUTH_TOKEN, KINESIS.external_id, Buffer.from(`${EMULATOR_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`).toString('base64')]) {
      expect(logs.text).not.toContain(secret);
      expect(run.stdout()).not.toContain(secret);
    }
  });

  it('applies --seed, --state and fault flags', async () => {
    const dir = await tempDir();
    const seedPath = join(dir, 'seed.json');
    await writeFile(seedPath, JSON.stringify({ sinks: [{ description: 'seeded', sink_type: 'webhook', sink_configuration: WEBHOOK }] }));
    const statePath = join(dir, 'state.json');
    const { command, stop } = controlledStop();
    const run = await start(command, ['--port', '0', '--seed', seedPath, '--state', statePath, '--error-rate', '1', '--latency', '1']);
    const url = await run.url;
    expect(run.stdout()).toContain(`State:       ${statePath}`);
    expect(run.stdout()).toContain('Faults:      latency 1 ms, errors 1');
    const auth = { headers: { Authorization: basic(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN) } };
    expect((await fetch(`${url}/v1/Sinks`, auth)).status).toBe(500);
    stop();
    expect(await run.exit).toBe(0);

    const again = controlledStop();
    const second = await start(again.command, ['--port', '0', '--state', statePath]);
    const body = (await (await fetch(`${await second.url}/v1/Sinks`, auth)).json()) as { sinks: { description: string }[] };
    expect(body.sinks.map((s) => s.description)).toEqual(['seeded']);
    again.stop();
    expect(await second.exit).toBe(0);
  });

  it('says how many accounts a seed brings, never their tokens, and checks its owners against the account it accepts', async () => {
    const dir = await tempDir();
    const seedPath = join(dir, 'seed.json');
    const sid = (n: number): string => 'AC' + String(n).padStart(32, '0');
    const token = (n: number): string => 'c'.repeat(31) + String(n);
    const accounts = [
      { sid: sid(1), auth_token: token(1), friendly_name: 'cust-1', owner_account_sid: EMULATOR_ACCOUNT_SID },
      { sid: sid(2), auth_token: token(2), friendly_name: 'cust-2', owner_account_sid: EMULATOR_ACCOUNT_SID },
      { sid: sid(3), auth_token: token(3), friendly_name: 'staging' },
      { sid: sid(4), auth_token: token(4), friendly_name: 'staging-child', owner_account_sid: sid(3) },
    ];
    await writeFile(seedPath, JSON.stringify({ accounts }));
    const { command, stop } = controlledStop();
    const run = await start(command, ['--port', '0', '--seed', seedPath]);
    const url = await run.url;
    expect(run.stdout()).toContain(
      "Accounts:    5 (the one above, 2 subaccounts of it, 1 other main account with 1 subaccount); their credentials: GET /2010-04-01/Accounts.json with their owner's",
    );
    for (const n of [1, 2, 3, 4]) expect(run.stdout()).not.toContain(token(n));
    const res = await fetch(`${url}/v1/Sinks`, { headers: { Authorization: basic(sid(4), token(4)) } });
    expect(res.status).toBe(200);
    stop();
    expect(await run.exit).toBe(0);

    // The seed's owners are checked against the account the emulator accepts (here from the environment).
    const other = controlledStop();
    const refused = await start(other.command, ['--port', '0', '--seed', seedPath], { TWILIO_ACCOUNT_SID: 'AC' + 'ab'.repeat(16) });
    await expect(refused.exit).rejects.toMatchObject({ code: 'CONFIG', details: expect.arrayContaining([expect.stringContaining('accounts[0].owner_account_sid: must be')]) });
  });

  it('says it serves one account when nothing adds others', async () => {
    const { command, stop } = controlledStop();
    const run = await start(command, ['--port', '0']);
    await run.url;
    expect(run.stdout()).toContain('Accounts:    1 (the one above)\n');
    stop();
    expect(await run.exit).toBe(0);
  });

  it('applies --sink-limit, --activation and --read-back, and says so at start', async () => {
    const { command, stop } = controlledStop();
    const run = await start(command, ['--port', '0', '--sink-limit', '1', '--activation', 'legacy', '--read-back', 'masked']);
    const url = await run.url;
    expect(run.stdout()).toContain('Account:     at most 1 sink, legacy activation (kinesis: Test, then Validate), read-back masked');
    const headers = { Authorization: basic(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN) };
    const create = (description: string) =>
      fetch(`${url}/v1/Sinks`, { method: 'POST', headers, body: new URLSearchParams({ Description: description, SinkType: 'kinesis', SinkConfiguration: JSON.stringify(KINESIS) }) });
    const first = (await (await create('k')).json()) as { status: string; sink_configuration: Record<string, unknown> };
    expect(first.status).toBe('initialized');
    expect(first.sink_configuration['external_id']).toBe('********');
    const second = await create('k2');
    expect(second.status).toBe(400);
    expect(((await second.json()) as { code: number }).code).toBe(91003);
    stop();
    expect(await run.exit).toBe(0);
  });

  it("says the defaults are Twilio's: 100 sinks, active on creation, read back as stored, no Retry-After", async () => {
    const { command, stop } = controlledStop();
    const run = await start(command, ['--port', '0']);
    await run.url;
    expect(run.stdout()).toContain('Account:     at most 100 sinks, sinks active on creation, configurations read back as stored');
    expect(run.stdout()).toContain('Faults:      none');
    stop();
    expect(await run.exit).toBe(0);
  });

  it('stops on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const run = await start(emulatorCommand, ['--port', '0']);
      await run.url;
      process.emit(signal, signal);
      expect(await run.exit).toBe(0);
      expect(process.listenerCount(signal)).toBe(0);
    }
  });

  it.each([
    [['--port', 'abc'], '--port must be a port number'],
    [['--port', '70000'], '--port must be a port number'],
    [['--error-rate', '2'], '--error-rate must be a fraction from 0 to 1'],
    [['--drop-rate=-0.5'], '--drop-rate must be a fraction'],
    [['--latency', '10ms'], '--latency must be a number of milliseconds'],
    [['--retry-after', '1.5'], '--retry-after must be a whole number of seconds'],
    [['--concurrency-limit', '0'], '--concurrency-limit must be a whole number of at least 1'],
    [['--host', ''], '--host must not be empty'],
    [['--sink-limit', '0'], '--sink-limit must be a whole number of at least 1'],
    [['--sink-limit', '2.5'], '--sink-limit must be a whole number of at least 1'],
    [['--activation', 'eventual'], "--activation must be one of current, legacy, not 'eventual'"],
    [['--read-back', 'Masked'], "--read-back must be one of exact, defaults, masked, not 'Masked'"],
  ])('refuses %j as a usage error', async (args, message) => {
    const { command } = controlledStop();
    const run = await start(command, args);
    await expect(run.exit).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining(message) });
  });

  it('refuses half an API key and a missing seed file', async () => {
    const { command } = controlledStop();
    await expect((await start(command, ['--port', '0'], { TWILIO_API_KEY: 'SK' + '1'.repeat(32) })).exit).rejects.toMatchObject({ code: 'CONFIG' });
    await expect((await start(command, ['--port', '0', '--seed', '/nonexistent/seed.json'])).exit).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('sinkops emulator through the CLI entry point', () => {
  it('is registered: --help prints its options, a bad flag exits 1 with the reason', async () => {
    let out = '';
    let err = '';
    const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin: new PassThrough(), env: {}, cwd: process.cwd() };
    expect(await runCli(['emulator', '--help'], io)).toBe(0);
    expect(out).toContain('Usage: sinkops emulator [--port 4010]');
    expect(out).toContain('--drop-after-commit-rate R');
    expect(out).toContain('--sink-limit N');
    expect(out).toContain('--activation MODE');
    expect(out).toContain('--read-back MODE');
    expect(out).toMatch(/--retry-after S\s+Retry-After seconds on 429 answers \(default: none, as Twilio\)/);
    expect(await runCli(['emulator', '--error-rate', 'x'], io)).toBe(1);
    expect(err).toContain("--error-rate must be a fraction from 0 to 1, not 'x'");
  });
});
