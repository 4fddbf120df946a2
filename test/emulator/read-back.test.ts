import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASKED_SECRET, READ_BACKS, startEmulator, type ReadBack } from '../../src/emulator/index.js';
import { call, createSink, emulator, KINESIS, SEGMENT, tempDir, WEBHOOK } from './helpers.js';

/** A webhook configuration without Twilio's defaults, the one `defaults` read-back changes. */
const BARE_WEBHOOK = { destination: 'https://example.org/bare' };

/** Every answer that carries a sink resource, for the sink `sid`: list, fetch, and an update's answer. */
async function readsOf(emu: Awaited<ReturnType<typeof emulator>>, sid: string): Promise<Record<string, unknown>[]> {
  const listed = (await call(emu, 'GET', '/v1/Sinks')).body.sinks.find((s: { sid: string }) => s.sid === sid);
  const fetched = (await call(emu, 'GET', `/v1/Sinks/${sid}`)).body;
  const updated = (await call(emu, 'POST', `/v1/Sinks/${sid}`, { Description: 'touched' })).body;
  return [listed.sink_configuration, fetched.sink_configuration, updated.sink_configuration];
}

/** What each mode shows for each configuration the tests store. */
const EXPECTED: Record<ReadBack, Record<'bare' | 'webhook' | 'kinesis' | 'segment', Record<string, unknown>>> = {
  exact: { bare: BARE_WEBHOOK, webhook: WEBHOOK, kinesis: KINESIS, segment: SEGMENT },
  defaults: {
    bare: { ...BARE_WEBHOOK, method: 'POST', batch_events: false },
    webhook: WEBHOOK, // sets both already: nothing to fill in
    kinesis: KINESIS,
    segment: SEGMENT,
  },
  masked: { bare: BARE_WEBHOOK, webhook: WEBHOOK, kinesis: { ...KINESIS, external_id: MASKED_SECRET }, segment: { write_key: MASKED_SECRET } },
};

describe.each(READ_BACKS)('read-back %s', (readBack) => {
  it('shows the same sink_configuration in create, list, fetch and update answers', async () => {
    const emu = await emulator({ readBack });
    for (const [key, type, config] of [
      ['bare', 'webhook', BARE_WEBHOOK],
      ['webhook', 'webhook', WEBHOOK],
      ['kinesis', 'kinesis', KINESIS],
      ['segment', 'segment', SEGMENT],
    ] as const) {
      const created = await createSink(emu, key, type, config);
      const expected = EXPECTED[readBack][key];
      expect(created.sink_configuration, `${key} create`).toEqual(expected);
      for (const shown of await readsOf(emu, created.sid)) expect(shown, key).toEqual(expected);
    }
  });

  it('keeps what was sent in the store and the state file', async () => {
    const statePath = join(await tempDir(), 'account.json');
    const first = await startEmulator({ statePath, readBack, authToken: 'read-back-token' });
    const kinesis = await createSink(first, 'k', 'kinesis', KINESIS);
    const bare = await createSink(first, 'w', 'webhook', BARE_WEBHOOK);
    await first.close();
    // Sealed on disk whatever the mode: the secret is not readable there, masked or not.
    expect(await readFile(statePath, 'utf8')).not.toContain(KINESIS.external_id);
    const exact = await emulator({ statePath, authToken: 'read-back-token' });
    expect((await call(exact, 'GET', `/v1/Sinks/${kinesis.sid}`)).body.sink_configuration).toEqual(KINESIS);
    expect((await call(exact, 'GET', `/v1/Sinks/${bare.sid}`)).body.sink_configuration).toEqual(BARE_WEBHOOK);
  });
});

describe('read-back', () => {
  it('is exact by default', async () => {
    const emu = await emulator();
    expect((await createSink(emu, 'w', 'webhook', BARE_WEBHOOK)).sink_configuration).toEqual(BARE_WEBHOOK);
  });

  it('fills in only the webhook default that is missing', async () => {
    const emu = await emulator({ readBack: 'defaults' });
    const method = await createSink(emu, 'm', 'webhook', { ...BARE_WEBHOOK, method: 'GET' });
    expect(method.sink_configuration).toEqual({ ...BARE_WEBHOOK, method: 'GET', batch_events: false });
    const batched = await createSink(emu, 'b', 'webhook', { ...BARE_WEBHOOK, batch_events: true });
    expect(batched.sink_configuration).toEqual({ ...BARE_WEBHOOK, method: 'POST', batch_events: true });
  });

  it('is refused when the mode is unknown', async () => {
    await expect(emulator({ readBack: 'hidden' as never })).rejects.toMatchObject({ code: 'CONFIG', details: ['readBack must be one of exact, defaults, masked, not hidden'] });
  });
});
