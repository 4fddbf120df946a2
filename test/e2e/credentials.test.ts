/**
 * SPEC §12: the Events API paths carry no account SID, so an API key alone is enough.
 */
import { describe, expect, it, vi } from 'vitest';
import { E2E_TEST_TIMEOUT_MS, runCli, startE2eEmulator, writeRepo } from './helpers/index.js';
import { listSinks } from './helpers/account.js';

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

const KEY = { sid: `SK${'5'.repeat(32)}`, secret: 'api-key-secret-never-printed-31c9' };

describe('credentials', () => {
  it('plans and applies with an API key and no TWILIO_ACCOUNT_SID', async () => {
    const emu = await startE2eEmulator(undefined, { apiKey: KEY });
    const cwd = await writeRepo({ 'sinks/a.yaml': { name: 'a', description: 'A', sink_type: 'webhook', sink_configuration: { destination: 'https://hooks.example.org/a' } } });
    const env = { TWILIO_EVENTS_BASE_URL: emu.url, TWILIO_API_KEY: KEY.sid, TWILIO_API_SECRET: KEY.secret };
    const applied = await runCli(['apply', '--yes'], { cwd, env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await listSinks(emu)).toHaveLength(1);
    expect(applied.stdout + applied.stderr).not.toContain(KEY.secret);
  });

  it('names the missing half of a key pair, and never a value', async () => {
    const cwd = await writeRepo({ 'sinks/a.yaml': { name: 'a', description: 'A', sink_type: 'webhook', sink_configuration: { destination: 'https://hooks.example.org/a' } } });
    const r = await runCli(['plan'], { cwd, env: { TWILIO_API_KEY: KEY.sid } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TWILIO_API_SECRET is not set');
    expect(r.stderr).not.toContain('TWILIO_ACCOUNT_SID is not set');
    expect(r.stderr).not.toContain(KEY.sid);
  });
});
