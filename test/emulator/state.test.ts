import { readFile, stat, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeed, startEmulator, type EmulatorSeed } from '../../src/emulator/index.js';
import { StateFile } from '../../src/emulator/state-file.js';
import { call, createSink, createSubscription, emulator, KINESIS, registry, SEGMENT, tempDir, WEBHOOK } from './helpers.js';

describe('state file', () => {
  it('keeps the account across a restart, with configurations sealed on disk', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'nested', 'account.json');
    // Legacy activation: the kinesis sink is left `validating`, a status only the file can bring back.
    const first = await startEmulator({ statePath, activation: 'legacy' });
    const kinesis = await createSink(first, 'k', 'kinesis', KINESIS);
    const segment = await createSink(first, 's', 'segment', SEGMENT);
    const webhook = await createSink(first, 'w', 'webhook', WEBHOOK);
    await call(first, 'POST', `/v1/Sinks/${kinesis.sid}/Test`);
    const sub = (await createSubscription(first, webhook.sid)).body;
    await call(first, 'POST', `/v1/Sinks/${segment.sid}`, { Description: 's2' });
    await first.close();

    const text = await readFile(statePath, 'utf8');
    for (const secret of [KINESIS.external_id, SEGMENT.write_key, WEBHOOK.destination]) expect(text).not.toContain(secret);
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    expect((await readdir(join(dir, 'nested'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const second = await emulator({ statePath });
    const sinks = (await call(second, 'GET', '/v1/Sinks')).body.sinks;
    expect(sinks.map((s: { sid: string; description: string; status: string }) => [s.sid, s.description, s.status])).toEqual([
      [kinesis.sid, 'k', 'validating'],
      [segment.sid, 's2', 'active'],
      [webhook.sid, 'w', 'active'],
    ]);
    expect(sinks[0].sink_configuration).toEqual(KINESIS);
    expect((await call(second, 'GET', `/v1/Subscriptions/${sub.sid}`)).body.sink_sid).toBe(webhook.sid);
    expect((await call(second, 'GET', '/v1/Sinks?InUse=true')).body.sinks.map((s: { sid: string }) => s.sid)).toEqual([webhook.sid]);
    const events = (await (await fetch(`${second.url}/__emulator/sinks/${kinesis.sid}/test-events`)).json()) as { test_events: unknown[] };
    expect(events.test_events).toHaveLength(1);
    expect((await call(second, 'DELETE', `/v1/Sinks/${webhook.sid}`)).status).toBe(409);
  });

  it('has every mutation on disk when its answer arrives', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'account.json');
    const emu = await emulator({ statePath });
    await Promise.all(Array.from({ length: 40 }, (_, i) => createSink(emu, `sink ${i}`)));
    const onDisk = JSON.parse(await readFile(statePath, 'utf8')) as { sinks: unknown[] };
    expect(onDisk.sinks).toHaveLength(40);
  });

  it('coalesces writes asked for while one is pending', async () => {
    const dir = await tempDir();
    const accounts = registry();
    const store = accounts.main.store;
    const file = await StateFile.open(join(dir, 's.json'), 'token', accounts);
    store.createSink({ description: 'a', sinkType: 'webhook', sinkConfiguration: WEBHOOK });
    const a = file.commit();
    store.createSink({ description: 'b', sinkType: 'webhook', sinkConfiguration: WEBHOOK });
    expect(file.commit()).toBe(a);
    await a;
    await file.flush();
    const reopened = registry();
    await StateFile.open(join(dir, 's.json'), 'token', reopened);
    expect([...reopened.main.store.sinks()].map((s) => s.description)).toEqual(['a', 'b']);
  });

  it('refuses a state file sealed under another token, or a damaged one, with a clear error', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'account.json');
    const first = await startEmulator({ statePath, authToken: 'token-one' });
    await createSink(first, 'w');
    await first.close();
    await expect(startEmulator({ statePath, authToken: 'token-two' })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('another auth token') });

    for (const [content, message] of [
      ['{not json', 'not valid JSON'],
      ['[]', 'not a JSON object'],
      ['{"format":"other"}', 'not an emulator state file'],
      [JSON.stringify({ format: 'sinkops-emulator-state', version: 1, seal: { salt: 'AA==' }, sinks: [{ sid: 'x' }], subscriptions: [] }), 'sinks[0].sid is not a sink SID'],
    ]) {
      await writeFile(statePath, content!);
      await expect(startEmulator({ statePath })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining(message!) });
    }
  });

  it('keeps state in memory only when no statePath is given', async () => {
    const first = await emulator();
    await createSink(first, 'w');
    const second = await emulator();
    expect((await call(second, 'GET', '/v1/Sinks')).body.sinks).toEqual([]);
  });
});

const SEED: EmulatorSeed = {
  sinks: [
    { sid: 'DG' + '1'.repeat(32), description: 'seeded webhook', sink_type: 'webhook', sink_configuration: WEBHOOK },
    { description: 'seeded kinesis', sink_type: 'kinesis', sink_configuration: KINESIS },
    { description: 'seeded email', sink_type: 'email', sink_configuration: { to: 'ops@example.org' }, status: 'active' },
  ],
  subscriptions: [{ description: 'holds the webhook', sink_sid: 'DG' + '1'.repeat(32), types: [{ type: 'com.twilio.messaging.message.delivered', schema_version: 1 }] }],
};

describe('seed', () => {
  it('starts an empty account from a seed, with default statuses and in-use sinks', async () => {
    const emu = await emulator({ seed: SEED });
    const sinks = (await call(emu, 'GET', '/v1/Sinks')).body.sinks;
    expect(sinks.map((s: { description: string; status: string; sink_type: string }) => [s.description, s.sink_type, s.status])).toEqual([
      ['seeded webhook', 'webhook', 'active'],
      ['seeded kinesis', 'kinesis', 'active'],
      ['seeded email', 'email', 'active'],
    ]);
    expect((await call(emu, 'GET', '/v1/Sinks?InUse=true')).body.sinks.map((s: { sid: string }) => s.sid)).toEqual(['DG' + '1'.repeat(32)]);
    expect((await call(emu, 'GET', '/v1/Subscriptions')).body.subscriptions[0].sid).toMatch(/^DF[0-9a-f]{32}$/);
  });

  it('gives a seeded sink without a status the one an API create would have in the activation mode', async () => {
    const legacy = await emulator({ seed: SEED, activation: 'legacy' });
    const statuses = (await call(legacy, 'GET', '/v1/Sinks')).body.sinks.map((s: { status: string }) => s.status);
    expect(statuses).toEqual(['active', 'initialized', 'active']);
    const held = { sinks: [{ sid: 'DG' + 'c'.repeat(32), description: 'k', sink_type: 'kinesis', sink_configuration: KINESIS }], subscriptions: [{ description: 's', sink_sid: 'DG' + 'c'.repeat(32) }] };
    expect((await emulator({ seed: held })).url).toMatch(/^http/);
    await expect(startEmulator({ seed: held, activation: 'legacy' })).rejects.toMatchObject({
      code: 'CONFIG',
      details: [`subscriptions[0].sink_sid: sink DG${'c'.repeat(32)} is initialized; a subscription needs an active sink`],
    });
    const dir = await tempDir();
    await writeFile(join(dir, 'held.json'), JSON.stringify(held));
    expect((await loadSeed(join(dir, 'held.json'))).subscriptions).toHaveLength(1);
    await expect(loadSeed(join(dir, 'held.json'), 'legacy')).rejects.toMatchObject({ code: 'CONFIG' });
  });

  it('is applied only when the state is empty', async () => {
    const dir = await tempDir();
    const statePath = join(dir, 'account.json');
    const first = await startEmulator({ statePath, seed: SEED });
    const sinks = (await call(first, 'GET', '/v1/Sinks')).body.sinks;
    await call(first, 'POST', `/v1/Sinks/${sinks[1].sid}`, { Description: 'edited' });
    await first.close();
    const second = await emulator({ statePath, seed: SEED });
    const after = (await call(second, 'GET', '/v1/Sinks')).body.sinks;
    expect(after).toHaveLength(3);
    expect(after[1].description).toBe('edited');
  });

  it('loads seed files in JSON and YAML', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'seed.json'), JSON.stringify({ sinks: SEED.sinks }));
    await writeFile(join(dir, 'seed.yaml'), 'sinks:\n  - description: from yaml\n    sink_type: segment\n    sink_configuration: {write_key: k}\n');
    expect((await loadSeed(join(dir, 'seed.json'))).sinks).toHaveLength(3);
    expect(await loadSeed(join(dir, 'seed.yaml'))).toEqual({
      sinks: [{ description: 'from yaml', sink_type: 'segment', sink_configuration: { write_key: 'k' } }],
      subscriptions: [],
    });
  });

  it('reports every problem in a seed at once', async () => {
    const dir = await tempDir();
    const path = join(dir, 'seed.json');
    await writeFile(
      path,
      JSON.stringify({
        sinks: [
          { sid: 'DG123', description: '', sink_type: 'webhook', sink_configuration: { destination: 'nope' } },
          { sid: 'DG' + 'a'.repeat(32), description: 'k', sink_type: 'kinesis', sink_configuration: KINESIS, status: 'initialized' },
          { description: 'x', sink_type: 'sqs', sink_configuration: {}, colour: 'red' },
        ],
        subscriptions: [{ description: 's', sink_sid: 'DG' + 'a'.repeat(32) }, { description: 's', sink_sid: 'DG' + 'b'.repeat(32) }],
        extra: true,
      }),
    );
    const error = await loadSeed(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG', message: `seed file ${path} is not valid` });
    expect((error as { details: string[] }).details).toEqual([
      'extra: unknown key (expected sinks, subscriptions, accounts)',
      'sinks[0].sid: must be DG followed by 32 hexadecimal digits',
      'sinks[0].description: must be a non-empty string',
      'sinks[0].sink_configuration: destination must be an absolute http(s) URL',
      'sinks[2].colour: unknown key',
      'sinks[2].sink_type: must be one of kinesis, webhook, segment, email',
      `subscriptions[0].sink_sid: sink DG${'a'.repeat(32)} is initialized; a subscription needs an active sink`,
      'subscriptions[1].sink_sid: must be the sid of a sink in this seed',
    ]);
    await expect(loadSeed(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writeFile(path, '{');
    await expect(loadSeed(path)).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('cannot be parsed') });
    await expect(startEmulator({ seed: { sinks: [{ description: 'd', sink_type: 'segment', sink_configuration: {} }], subscriptions: [] } })).rejects.toMatchObject({
      code: 'CONFIG',
    });
  });
});
