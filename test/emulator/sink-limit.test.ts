import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SINK_LIMIT, startEmulator, type EmulatorSeed } from '../../src/emulator/index.js';
import { call, createSink, createSinkForm, emulator, tempDir, WEBHOOK } from './helpers.js';

/** `count` webhook sinks for a seed. */
function seedSinks(count: number): EmulatorSeed {
  return { sinks: Array.from({ length: count }, (_, i) => ({ description: `sink ${i}`, sink_type: 'webhook', sink_configuration: WEBHOOK })), subscriptions: [] };
}

const LIMIT_MESSAGE = (limit: number): string => `Cannot have more than ${limit} sinks. Make sure to delete at least one sinks before creating another`;

async function sinkCount(emu: Awaited<ReturnType<typeof emulator>>): Promise<number> {
  return (await call(emu, 'GET', '/v1/Sinks?PageSize=1000')).body.sinks.length;
}

describe('the sink limit (Twilio error 91003)', () => {
  it('is 100 by default: the 101st create is refused with Twilio\'s code and words', async () => {
    expect(DEFAULT_SINK_LIMIT).toBe(100);
    const emu = await emulator({ seed: seedSinks(99) });
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('the 100th', 'webhook', WEBHOOK))).status).toBe(201);
    const refused = await call(emu, 'POST', '/v1/Sinks', createSinkForm('the 101st', 'webhook', WEBHOOK));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ code: 91003, message: LIMIT_MESSAGE(100), more_info: 'https://www.twilio.com/docs/errors/91003', status: 400 });
    expect(await sinkCount(emu)).toBe(100);
  });

  it('frees a slot when a sink is deleted', async () => {
    const emu = await emulator({ sinkLimit: 2 });
    const a = await createSink(emu, 'a');
    await createSink(emu, 'b');
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('c', 'webhook', WEBHOOK))).body.code).toBe(91003);
    expect((await call(emu, 'DELETE', `/v1/Sinks/${a.sid}`)).status).toBe(204);
    expect((await createSink(emu, 'c')).description).toBe('c');
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('d', 'webhook', WEBHOOK))).body.message).toBe(LIMIT_MESSAGE(2));
  });

  it('lets concurrent creates through up to the limit and no further', async () => {
    const emu = await emulator({ sinkLimit: 5 });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => call(emu, 'POST', '/v1/Sinks', createSinkForm(`s${i}`, 'webhook', WEBHOOK))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 400).map((r) => r.body.code)).toEqual(Array(7).fill(91003));
    expect(await sinkCount(emu)).toBe(5);
  });

  it('does not limit seeds or state files, only creates through the API', async () => {
    const emu = await emulator({ seed: seedSinks(150) });
    expect(await sinkCount(emu)).toBe(150);
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('over', 'webhook', WEBHOOK))).body.code).toBe(91003);

    const statePath = join(await tempDir(), 'account.json');
    const first = await startEmulator({ statePath, sinkLimit: 3 });
    for (const name of ['a', 'b', 'c']) await createSink(first, name);
    await first.close();
    const smaller = await emulator({ statePath, sinkLimit: 1 });
    expect(await sinkCount(smaller)).toBe(3);
    expect((await call(smaller, 'POST', '/v1/Sinks', createSinkForm('d', 'webhook', WEBHOOK))).body.code).toBe(91003);
  });

  it('is raised with sinkLimit, as for an account whose limit Twilio raised', async () => {
    const emu = await emulator({ seed: seedSinks(100), sinkLimit: 101 });
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('101st', 'webhook', WEBHOOK))).status).toBe(201);
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('102nd', 'webhook', WEBHOOK))).body.message).toBe(LIMIT_MESSAGE(101));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a sinkLimit of %s at start', async (sinkLimit) => {
    await expect(emulator({ sinkLimit })).rejects.toMatchObject({
      code: 'CONFIG',
      message: 'invalid emulator options',
      details: [`sinkLimit must be a whole number of at least 1, not ${sinkLimit}`],
    });
  });
});
