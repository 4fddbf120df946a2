/**
 * `sinkops activate` end to end. Against today's Twilio (the emulator's default) a sink is active
 * as soon as apply creates it, and `activate` says there is nothing to do without sending a
 * request that changes anything. With `activation: 'legacy'` a kinesis sink applied from the
 * repository starts `initialized`; `activate NAME` sends a test event (status `validating`), and
 * `activate NAME --test-id ID` with the id read from the stream (the emulator's
 * /__emulator/sinks/{Sid}/test-events) makes it `active`.
 */
import { describe, expect, it, vi } from 'vitest';
import { E2E_TEST_TIMEOUT_MS, runCli, startE2eEmulator, writeRepo, type SinkDoc } from './helpers/index.js';
import { listSinks, markerName, mutating } from './helpers/account.js';

const STREAM: SinkDoc = {
  name: 'orders-stream',
  description: 'Orders stream',
  sink_type: 'kinesis',
  sink_configuration: {
    arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/orders',
    role_arn: 'arn:aws:iam::111111111111:role/Twilio',
    external_id: '${ORDERS_EXTERNAL_ID}',
  },
};
const SECRET = { ORDERS_EXTERNAL_ID: 'activate-ext-id-s3cr3t' };

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

async function testIds(url: string, sid: string): Promise<string[]> {
  const res = await fetch(`${url}/__emulator/sinks/${sid}/test-events`);
  return ((await res.json()) as { test_events: { test_id: string }[] }).test_events.map((e) => e.test_id);
}

describe('activate, against Twilio as it is (sinks active on creation)', () => {
  it('applies a kinesis sink that is active at once, and says there is nothing to do without sending Test or Validate', async () => {
    const emu = await startE2eEmulator();
    const cwd = await writeRepo({ 'sinks/stream.yaml': STREAM });
    const env = { ...emu.env, ...SECRET };
    expect((await runCli(['apply', '--yes'], { cwd, env })).code).toBe(0);
    const sink = (await listSinks(emu)).find((s) => markerName(s.description) === 'orders-stream')!;
    expect(sink.status).toBe('active');
    const plan = await runCli(['plan'], { cwd, env });
    expect(plan.stdout).toContain('No changes. Twilio sinks match the repository.');
    expect(plan.stdout).not.toContain('activate');

    await emu.clearRequests();
    for (const args of [[], ['--test-id', 'some-test-id']]) {
      const r = await runCli(['activate', 'orders-stream', ...args], { cwd, env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`orders-stream (${sink.sid}) is active: nothing to do (Twilio activates sinks when they are created).\n`);
    }
    const sent = await emu.requests();
    expect(mutating(sent)).toEqual([]);
    expect(sent.filter((r) => /\/(Test|Validate)$/.test(r.path))).toEqual([]);
    expect(await testIds(emu.url, sink.sid)).toEqual([]);
  });
});

describe('activate, with the legacy kinesis flow', () => {
  it('applies a kinesis sink, sends a test event, and validates it with the test id from the stream', async () => {
    const emu = await startE2eEmulator(undefined, { activation: 'legacy' });
    const cwd = await writeRepo({ 'sinks/stream.yaml': STREAM });
    const env = { ...emu.env, ...SECRET };
    expect((await runCli(['apply', '--yes'], { cwd, env })).code).toBe(0);
    const status = async () => (await listSinks(emu)).find((s) => markerName(s.description) === 'orders-stream')!;
    const sink = await status();
    expect(sink.status).toBe('initialized');
    const plan = await runCli(['plan'], { cwd, env });
    expect(plan.stdout).toContain('sinkops activate orders-stream');

    const test = await runCli(['activate', 'orders-stream'], { cwd, env });
    expect(test.stderr).toBe('');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('Status: validating');
    expect(test.stdout).toContain('sinkops activate orders-stream --test-id <test_id>');
    expect((await status()).status).toBe('validating');
    const ids = await testIds(emu.url, sink.sid);
    expect(ids).toHaveLength(1);

    const wrong = await runCli(['activate', 'orders-stream', '--test-id', 'not-the-test-id'], { cwd, env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^Error: /m);
    expect((await status()).status).not.toBe('active');

    const validate = await runCli(['activate', 'orders-stream', '--test-id', ids[0]!], { cwd, env });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('Status: active');
    expect((await status()).status).toBe('active');

    await emu.clearRequests();
    const again = await runCli(['activate', 'orders-stream'], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is active: nothing to do');
    expect(mutating(await emu.requests())).toEqual([]);
    expect(await testIds(emu.url, sink.sid)).toHaveLength(1);
    const clean = await runCli(['plan'], { cwd, env });
    expect(clean.stdout).toContain('No changes. Twilio sinks match the repository.');
    expect(clean.stdout).not.toContain('activate');
  });
});

describe('activate, whatever the account', () => {
  it('exits 1 for a name that no managed sink carries', async () => {
    const emu = await startE2eEmulator();
    const cwd = await writeRepo({ 'sinks/stream.yaml': STREAM });
    const r = await runCli(['activate', 'orders-stream'], { cwd, env: emu.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no sink managed as 'orders-stream'");
  });
});
