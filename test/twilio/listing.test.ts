import { afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { BASIC, calls, JSON_HEADERS, mockAgent, mockClient, ORIGIN, sinkSid, sinksPage, wireSink } from './helpers.js';

let agent = mockAgent();
afterEach(async () => {
  await agent.close();
  agent = mockAgent();
});

describe('listing', () => {
  it('follows next_page_url across pages with PageSize, sending credentials and User-Agent', async () => {
    const pool = agent.get(ORIGIN);
    const next1 = `${ORIGIN}/v1/Sinks?PageSize=2&Page=1&PageToken=PT1`;
    const next2 = `${ORIGIN}/v1/Sinks?PageSize=2&Page=2&PageToken=PT2`;
    pool.intercept({ path: '/v1/Sinks?PageSize=2', method: 'GET' }).reply(200, sinksPage([wireSink(1), wireSink(2)], next1), JSON_HEADERS);
    pool.intercept({ path: '/v1/Sinks?PageSize=2&Page=1&PageToken=PT1', method: 'GET' }).reply(200, sinksPage([wireSink(3), wireSink(4)], next2), JSON_HEADERS);
    pool.intercept({ path: '/v1/Sinks?PageSize=2&Page=2&PageToken=PT2', method: 'GET' }).reply(200, sinksPage([wireSink(5)]), JSON_HEADERS);

    const sinks = await mockClient(agent, { pageSize: 2 }).listSinks();

    expect(sinks.map((s) => s.sid)).toEqual([1, 2, 3, 4, 5].map(sinkSid));
    expect(sinks[0]).toEqual({
      sid: sinkSid(1),
      description: 'sink 1 [sinkops:sink-1]',
      sinkType: 'webhook',
      sinkConfiguration: { destination: 'https://example.org/hook/1', method: 'POST' },
      status: 'active',
      dateCreated: '2024-01-01T00:00:00Z',
      dateUpdated: '2024-01-01T00:00:00Z',
    });
    const sent = calls(agent);
    expect(sent.map((c) => c.url)).toEqual([`${ORIGIN}/v1/Sinks?PageSize=2`, next1, next2]);
    for (const c of sent) {
      expect(c.headers['authorization']).toBe(BASIC);
      expect(c.headers['user-agent']).toBe(`sinkops/${VERSION}`);
    }
  });

  it('sends the InUse and Status filters', async () => {
    agent.get(ORIGIN).intercept({ path: (p) => p.startsWith('/v1/Sinks?'), method: 'GET' }).reply(200, sinksPage([wireSink(7)]), JSON_HEADERS);
    const sinks = await mockClient(agent).listSinks({ inUse: true, status: 'active' });
    expect(sinks).toHaveLength(1);
    const [call] = calls(agent);
    expect(new URL(call!.url).searchParams.toString()).toBe('InUse=true&Status=active&PageSize=1000');
  });

  it('maps null description and configuration, and a configuration sent back as a JSON string', async () => {
    const page = sinksPage([
      wireSink(1, { description: null, sink_configuration: null }),
      wireSink(2, { sink_configuration: '{"write_key":"k"}', sink_type: 'segment' }),
      wireSink(3, { sink_type: 'email', date_created: null }),
    ]);
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' }).reply(200, page, JSON_HEADERS);
    const [a, b, c] = await mockClient(agent).listSinks();
    expect([a?.description, a?.sinkConfiguration]).toEqual(['', {}]);
    expect([b?.sinkType, b?.sinkConfiguration]).toEqual(['segment', { write_key: 'k' }]);
    expect([c?.sinkType, c?.dateCreated]).toEqual(['email', null]);
  });

  it('refuses a next_page_url on another origin and sends nothing there', async () => {
    const evil = agent.get('https://elsewhere.example.test');
    evil.intercept({ path: () => true, method: () => true }).reply(200, sinksPage([]), JSON_HEADERS);
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' })
      .reply(200, sinksPage([wireSink(1)], 'https://elsewhere.example.test/v1/Sinks?PageSize=1000&Page=1'), JSON_HEADERS);

    const failure = mockClient(agent).listSinks();
    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API' });
    await expect(failure).rejects.toThrow(/pointed the next page to https:\/\/elsewhere\.example\.test.*credentials were not sent/);
    expect(calls(agent).map((c) => new URL(c.url).origin)).toEqual([ORIGIN]);
    expect(agent.pendingInterceptors().map((i) => i.origin)).toEqual(['https://elsewhere.example.test']);
  });

  it('refuses a next page on the same host with another scheme or port', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' })
      .reply(200, sinksPage([], 'http://events.example.test/v1/Sinks?Page=1'), JSON_HEADERS);
    await expect(mockClient(agent).listSinks()).rejects.toThrow(/did not follow it/);
    expect(calls(agent)).toHaveLength(1);
  });

  it('stops a list whose next page loops back', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' })
      .reply(200, sinksPage([wireSink(1)], `${ORIGIN}/v1/Sinks?PageSize=1000`), JSON_HEADERS);
    await expect(mockClient(agent).listSinks()).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('already returned') });
  });

  it('lists subscriptions of one sink', async () => {
    const page = {
      subscriptions: [{ sid: `DF${'1'.repeat(32)}`, description: null, sink_sid: sinkSid(3), account_sid: 'AC' }],
      meta: { next_page_url: null },
    };
    agent.get(ORIGIN).intercept({ path: `/v1/Subscriptions?SinkSid=${sinkSid(3)}&PageSize=1000`, method: 'GET' }).reply(200, page, JSON_HEADERS);
    expect(await mockClient(agent).listSubscriptions({ sinkSid: sinkSid(3) })).toEqual([
      { sid: `DF${'1'.repeat(32)}`, description: '', sinkSid: sinkSid(3) },
    ]);
  });

  it('validates SIDs before putting them in a path or query', async () => {
    const client = mockClient(agent);
    await expect(client.fetchSink('DG../../v1/Subscriptions')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.deleteSink(`DF${'0'.repeat(32)}`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.listSubscriptions({ sinkSid: 'x&PageSize=1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls(agent)).toHaveLength(0);
  });

  it('rejects a page without its list', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' }).reply(200, { meta: {} }, JSON_HEADERS);
    await expect(mockClient(agent).listSinks()).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining("no 'sinks' array") });
  });
});
