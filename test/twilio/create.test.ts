import { errors } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateSinkInput } from '../../src/remote/api.js';
import { calls, JSON_HEADERS, mockAgent, mockClient, ORIGIN, sinkSid, sinksPage, wireSink } from './helpers.js';

let agent = mockAgent();
afterEach(async () => {
  await agent.close();
  agent = mockAgent();
});

const LIST = '/v1/Sinks?PageSize=1000';
const INPUT: CreateSinkInput = {
  description: 'Orders [sinkops:orders]',
  sinkType: 'kinesis',
  sinkConfiguration: { arn: 'arn:aws:kinesis:us-east-1:1:stream/o', role_arn: 'arn:aws:iam::1:role/R', external_id: 'ext-secret' },
};
/** What Twilio stores for INPUT: same values, keys in another order. */
const STORED = wireSink(42, {
  description: INPUT.description,
  sink_type: 'kinesis',
  status: 'initialized',
  sink_configuration: { external_id: 'ext-secret', role_arn: 'arn:aws:iam::1:role/R', arn: 'arn:aws:kinesis:us-east-1:1:stream/o' },
});

function methods(): string[] {
  return calls(agent).map((c) => `${c.method} ${new URL(c.url).pathname}`);
}

/** The SinkConfiguration of every create sent, parsed. */
function sentConfigurations(): unknown[] {
  return calls(agent)
    .filter((c) => c.method === 'POST' && new URL(c.url).pathname === '/v1/Sinks')
    .map((c) => JSON.parse(new URLSearchParams(c.body ?? '').get('SinkConfiguration') ?? 'null') as unknown);
}

const MASK = '********';
const WEBHOOK: CreateSinkInput = { description: 'Hook [sinkops:hook]', sinkType: 'webhook', sinkConfiguration: { destination: 'https://example.org/hook' } };
const SEGMENT: CreateSinkInput = { description: 'Seg [sinkops:seg]', sinkType: 'segment', sinkConfiguration: { write_key: 'wk-secret' } };

describe('createSink', () => {
  it('sends the form fields and maps the created sink', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, STORED, JSON_HEADERS);
    const sink = await mockClient(agent).createSink(INPUT);
    expect(sink.sid).toBe(sinkSid(42));
    const [call] = calls(agent);
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(call?.body ?? '');
    expect(form.get('Description')).toBe(INPUT.description);
    expect(form.get('SinkType')).toBe('kinesis');
    expect(JSON.parse(form.get('SinkConfiguration') ?? '')).toEqual(INPUT.sinkConfiguration);
  });

  it('after a timeout, finds the sink the server stored instead of creating a second one', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).replyWithError(new errors.HeadersTimeoutError());
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([wireSink(1), STORED]), JSON_HEADERS);
    // A second POST would find this and succeed: the test fails if the client re-sends.
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, wireSink(43), JSON_HEADERS);

    const sink = await mockClient(agent).createSink(INPUT);

    expect(sink.sid).toBe(sinkSid(42));
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks']);
  });

  it('after a 5xx with nothing stored, sends the create again', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(503, { code: 20503, message: 'Service Unavailable', status: 503 }, JSON_HEADERS);
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([wireSink(1)]), JSON_HEADERS);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, STORED, JSON_HEADERS);

    expect((await mockClient(agent).createSink(INPUT)).sid).toBe(sinkSid(42));
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'POST /v1/Sinks']);
  });

  it('does not mistake the old sink of a replace (same marker, other configuration) for the new one', async () => {
    const old = wireSink(7, { description: INPUT.description, sink_type: 'kinesis', sink_configuration: { ...INPUT.sinkConfiguration, arn: 'arn:old' } });
    const fewerKeys = wireSink(8, { description: INPUT.description, sink_type: 'kinesis', sink_configuration: { arn: INPUT.sinkConfiguration['arn'] } });
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([old, fewerKeys]), JSON_HEADERS);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, STORED, JSON_HEADERS);

    expect((await mockClient(agent).createSink(INPUT)).sid).toBe(sinkSid(42));
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'POST /v1/Sinks']);
  });

  it('re-sends a create that never reached the server without listing', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).replyWithError(new errors.ConnectTimeoutError());
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, STORED, JSON_HEADERS);
    await mockClient(agent).createSink(INPUT);
    expect(methods()).toEqual(['POST /v1/Sinks', 'POST /v1/Sinks']);
  });

  it('looks once more when the budget is spent, then says the outcome is unknown', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(500, { code: 20500, message: 'Internal Server Error', status: 500 }, JSON_HEADERS).times(2);
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([]), JSON_HEADERS).times(2);

    const failure = mockClient(agent, { maxRetries: 1 }).createSink(INPUT);

    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API', status: 500 });
    await expect(failure).rejects.toMatchObject({ details: [expect.stringContaining('may have been created'), 'Gave up after 2 attempts.'] });
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'POST /v1/Sinks', 'GET /v1/Sinks']);
  });

  it('does not retry a create Twilio rejected', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/Sinks', method: 'POST' })
      .reply(400, { code: 20001, message: 'Invalid SinkConfiguration', more_info: 'https://www.twilio.com/docs/errors/20001', status: 400 }, JSON_HEADERS);
    await expect(mockClient(agent).createSink(INPUT)).rejects.toMatchObject({ code: 'TWILIO_API', status: 400, twilioCode: 20001 });
    expect(methods()).toEqual(['POST /v1/Sinks']);
  });

  it('shares one listing between creates that failed together', async () => {
    const other: CreateSinkInput = { description: 'B [sinkops:b]', sinkType: 'webhook', sinkConfiguration: { destination: 'https://b.example' } };
    const storedOther = wireSink(43, { description: other.description, sink_configuration: other.sinkConfiguration });
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(502, '').times(2);
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage([STORED, storedOther]), JSON_HEADERS);
    // Both backoffs end together, after both failures were seen.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sleeping = 0;
    const sleep = async (): Promise<void> => {
      if (++sleeping === 2) release();
      await gate;
    };
    const client = mockClient(agent, {}, { sleep });

    const [a, b] = await Promise.all([client.createSink(INPUT), client.createSink(other)]);

    expect([a.sid, b.sid]).toEqual([sinkSid(42), sinkSid(43)]);
    expect(methods().filter((m) => m.startsWith('GET'))).toHaveLength(1);
  });
});

describe('createSink defaults (SPEC §12)', () => {
  it.each([
    ['adds method POST and batch_events false to a webhook without them', WEBHOOK.sinkConfiguration, { destination: 'https://example.org/hook', method: 'POST', batch_events: false }],
    ['sends the values a webhook gives as given', { destination: 'https://x.example', method: 'get', batch_events: true }, { destination: 'https://x.example', method: 'get', batch_events: true }],
    ['fills only the key a webhook leaves out', { destination: 'https://x.example', batch_events: 'true' }, { destination: 'https://x.example', batch_events: 'true', method: 'POST' }],
  ])('%s', async (_name, given, expected) => {
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, wireSink(42), JSON_HEADERS);
    await mockClient(agent).createSink({ ...WEBHOOK, sinkConfiguration: given });
    expect(sentConfigurations()).toEqual([expected]);
  });

  it('adds nothing to other sink types', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, STORED, JSON_HEADERS).times(2);
    const client = mockClient(agent);
    await client.createSink(INPUT);
    await client.createSink(SEGMENT);
    expect(sentConfigurations()).toEqual([INPUT.sinkConfiguration, SEGMENT.sinkConfiguration]);
  });
});

describe('createSink after its answer was lost (the sink was stored)', () => {
  /** A create whose answer is lost, a listing of `listed`, and a second create that must not be needed. */
  function lostAnswer(listed: readonly unknown[]): void {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: LIST, method: 'GET' }).reply(200, sinksPage(listed), JSON_HEADERS);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, wireSink(99), JSON_HEADERS);
  }

  it.each<[string, CreateSinkInput, Record<string, unknown>]>([
    ['exactly as sent', WEBHOOK, { destination: 'https://example.org/hook', method: 'POST', batch_events: false }],
    ['exactly as sent, kinesis', INPUT, INPUT.sinkConfiguration],
    ["with Twilio's defaults added", { ...WEBHOOK, sinkConfiguration: { destination: 'https://example.org/hook', method: 'post' } }, { destination: 'https://example.org/hook', method: 'POST', batch_events: false }],
    ["with Twilio's defaults added to a webhook that set neither", WEBHOOK, { batch_events: 'false', destination: 'https://example.org/hook', method: 'POST' }],
    ['with external_id masked', INPUT, { ...INPUT.sinkConfiguration, external_id: MASK }],
    ['with external_id left out', INPUT, { arn: INPUT.sinkConfiguration['arn'], role_arn: INPUT.sinkConfiguration['role_arn'] }],
    ['with write_key masked', SEGMENT, { write_key: MASK }],
  ])('finds the sink read back %s, and sends one POST', async (_name, input, readBack) => {
    const stored = wireSink(42, { description: input.description, sink_type: input.sinkType, sink_configuration: readBack });
    lostAnswer([wireSink(1), stored]);

    const sink = await mockClient(agent).createSink(input);

    expect(sink.sid).toBe(sinkSid(42));
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks']);
  });

  it('never takes the sink being replaced (same marker, secret masked) for the new one', async () => {
    const rotated: CreateSinkInput = { ...INPUT, sinkConfiguration: { ...INPUT.sinkConfiguration, external_id: 'rotated-secret' }, replacing: sinkSid(7) };
    const old = wireSink(7, { description: INPUT.description, sink_type: 'kinesis', sink_configuration: { ...INPUT.sinkConfiguration, external_id: MASK } });
    lostAnswer([old]);

    const sink = await mockClient(agent).createSink(rotated);

    expect(sink.sid).toBe(sinkSid(99));
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'POST /v1/Sinks']);
  });

  it('finds the new sink beside the one it replaces', async () => {
    const rotated: CreateSinkInput = { ...INPUT, replacing: sinkSid(7) };
    const masked = { ...INPUT.sinkConfiguration, external_id: MASK };
    const old = wireSink(7, { description: INPUT.description, sink_type: 'kinesis', sink_configuration: masked });
    lostAnswer([old, wireSink(42, { description: INPUT.description, sink_type: 'kinesis', sink_configuration: masked })]);

    expect((await mockClient(agent).createSink(rotated)).sid).toBe(sinkSid(42));
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks']);
  });

  it('does not send `replacing` to Twilio', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks', method: 'POST' }).reply(201, STORED, JSON_HEADERS);
    await mockClient(agent).createSink({ ...INPUT, replacing: sinkSid(7) });
    expect([...new URLSearchParams(calls(agent)[0]?.body ?? '').keys()]).toEqual(['Description', 'SinkType', 'SinkConfiguration']);
  });

  it.each([
    ['another destination', { destination: 'https://example.org/other', method: 'POST', batch_events: false }],
    ['a method other than the one sent', { destination: 'https://example.org/hook', method: 'GET', batch_events: false }],
    ['batch_events other than the default sent', { destination: 'https://example.org/hook', method: 'POST', batch_events: true }],
  ])('does not take a sink with the same marker and %s', async (_name, readBack) => {
    lostAnswer([wireSink(42, { description: WEBHOOK.description, sink_configuration: readBack })]);
    expect((await mockClient(agent).createSink(WEBHOOK)).sid).toBe(sinkSid(99));
    expect(methods()).toEqual(['POST /v1/Sinks', 'GET /v1/Sinks', 'POST /v1/Sinks']);
  });
});

describe('createSink when the listing fails too', () => {
  it('says that the create may have happened', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Sinks', method: 'POST' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: LIST, method: 'GET' }).reply(403, { code: 20403, message: 'Forbidden', status: 403 }, JSON_HEADERS);
    const failure = mockClient(agent).createSink(INPUT);
    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('Forbidden') });
    await expect(failure).rejects.toMatchObject({ details: [expect.stringContaining('may have been created')] });
  });
});
