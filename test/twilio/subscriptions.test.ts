/**
 * The Subscription side of the Events API (SPEC §13): each call's request (method, path, form
 * fields), its parsing, pagination, deletes of something already gone, and a create or an event
 * added whose answer was lost (looked for, never blindly sent twice).
 */
import { errors } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateSubscriptionInput } from '../../src/remote/api.js';
import { calls, JSON_HEADERS, listPage, mockAgent, mockClient, ORIGIN, sinkSid, subscriptionSid, wireSubscribedEvent, wireSubscription } from './helpers.js';

let agent = mockAgent();
afterEach(async () => {
  await agent.close();
  agent = mockAgent();
});

const DELIVERED = 'com.twilio.messaging.message.delivered';
const FAILED = 'com.twilio.messaging.message.failed';
const SUB = subscriptionSid(5);
const EVENTS = `/v1/Subscriptions/${SUB}/SubscribedEvents`;
const SUBSCRIPTIONS = '/v1/Subscriptions?PageSize=1000';
const INPUT: CreateSubscriptionInput = {
  description: 'Delivery receipts [sinkops:orders#receipts]',
  sinkSid: sinkSid(3),
  events: [
    { type: DELIVERED, schemaVersion: 2 },
    { type: FAILED, schemaVersion: 1 },
  ],
};
/** What Twilio stores for INPUT. */
const STORED = wireSubscription(5, { description: INPUT.description, sink_sid: INPUT.sinkSid });
const SERVER_ERROR = { code: 20500, message: 'Internal Server Error', status: 500 };
const GONE = { code: 20404, message: 'The requested resource was not found', status: 404 };

/** `METHOD /path` of every request sent, the path as sent (still percent-encoded), without the query. */
function methods(): string[] {
  return calls(agent).map((c) => `${c.method} ${new URL(c.url).pathname}`);
}

function form(n = 0): URLSearchParams {
  return new URLSearchParams(calls(agent)[n]?.body ?? '');
}

describe('createSubscription', () => {
  it('sends Description, SinkSid and one Types field per event, each a JSON object, and maps the answer', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(201, STORED, JSON_HEADERS);

    const sub = await mockClient(agent).createSubscription(INPUT);

    expect(sub).toEqual({ sid: SUB, description: INPUT.description, sinkSid: sinkSid(3) });
    expect(calls(agent)[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...form().keys()]).toEqual(['Description', 'SinkSid', 'Types', 'Types']);
    expect(form().get('Description')).toBe(INPUT.description);
    expect(form().get('SinkSid')).toBe(sinkSid(3));
    expect(form().getAll('Types')).toEqual([`{"type":"${DELIVERED}","schema_version":2}`, `{"type":"${FAILED}","schema_version":1}`]);
  });

  it('after its answer was lost, finds the subscription the server stored instead of creating a second one', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: SUBSCRIPTIONS, method: 'GET' }).reply(200, listPage('subscriptions', [wireSubscription(1), STORED]), JSON_HEADERS);
    // A second POST would find this and succeed: the test fails if the client re-sends.
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(201, wireSubscription(9), JSON_HEADERS);

    const sub = await mockClient(agent).createSubscription(INPUT);

    expect(sub.sid).toBe(SUB);
    expect(methods()).toEqual(['POST /v1/Subscriptions', 'GET /v1/Subscriptions']);
  });

  it('does not take a subscription with the same description on another sink (the old one of a move)', async () => {
    const old = wireSubscription(7, { description: INPUT.description, sink_sid: sinkSid(8) });
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(503, { code: 20503, message: 'busy', status: 503 }, JSON_HEADERS);
    pool.intercept({ path: SUBSCRIPTIONS, method: 'GET' }).reply(200, listPage('subscriptions', [old]), JSON_HEADERS);
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(201, STORED, JSON_HEADERS);

    expect((await mockClient(agent).createSubscription(INPUT)).sid).toBe(SUB);
    expect(methods()).toEqual(['POST /v1/Subscriptions', 'GET /v1/Subscriptions', 'POST /v1/Subscriptions']);
  });

  it('does not take one on the same sink with another description', async () => {
    const other = wireSubscription(7, { description: 'Delivery receipts [sinkops:orders#other]', sink_sid: INPUT.sinkSid });
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).replyWithError(new errors.HeadersTimeoutError());
    pool.intercept({ path: SUBSCRIPTIONS, method: 'GET' }).reply(200, listPage('subscriptions', [other]), JSON_HEADERS);
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(201, STORED, JSON_HEADERS);

    expect((await mockClient(agent).createSubscription(INPUT)).sid).toBe(SUB);
    expect(methods()).toEqual(['POST /v1/Subscriptions', 'GET /v1/Subscriptions', 'POST /v1/Subscriptions']);
  });

  it('shares one listing between subscription creates that failed together', async () => {
    const other: CreateSubscriptionInput = { ...INPUT, description: 'Failures [sinkops:orders#failures]' };
    const storedOther = wireSubscription(6, { description: other.description, sink_sid: other.sinkSid });
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(502, '').times(2);
    pool.intercept({ path: SUBSCRIPTIONS, method: 'GET' }).reply(200, listPage('subscriptions', [STORED, storedOther]), JSON_HEADERS);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sleeping = 0;
    const sleep = async (): Promise<void> => {
      if (++sleeping === 2) release();
      await gate;
    };
    const client = mockClient(agent, {}, { sleep });

    const [a, b] = await Promise.all([client.createSubscription(INPUT), client.createSubscription(other)]);

    expect([a.sid, b.sid]).toEqual([SUB, subscriptionSid(6)]);
    expect(methods().filter((m) => m.startsWith('GET'))).toHaveLength(1);
  });

  it('looks once more when the budget is spent, then says the subscription may have been created', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(500, SERVER_ERROR, JSON_HEADERS).times(2);
    pool.intercept({ path: SUBSCRIPTIONS, method: 'GET' }).reply(200, listPage('subscriptions', []), JSON_HEADERS).times(2);

    const failure = mockClient(agent, { maxRetries: 1 }).createSubscription(INPUT);

    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API', status: 500 });
    await expect(failure).rejects.toMatchObject({ details: [expect.stringContaining('The subscription may have been created'), 'Gave up after 2 attempts.'] });
    expect(methods()).toEqual(['POST /v1/Subscriptions', 'GET /v1/Subscriptions', 'POST /v1/Subscriptions', 'GET /v1/Subscriptions']);
  });

  it('does not retry a create Twilio refused, and keeps its code (91100: the sink is not active)', async () => {
    const body = { code: 91100, message: 'Sink is not active', more_info: 'https://www.twilio.com/docs/api/errors/91100', status: 400 };
    agent.get(ORIGIN).intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(400, body, JSON_HEADERS);
    await expect(mockClient(agent).createSubscription(INPUT)).rejects.toMatchObject({
      status: 400,
      twilioCode: 91100,
      details: [expect.stringContaining('activate the sink first')],
    });
    expect(methods()).toEqual(['POST /v1/Subscriptions']);
  });

  it('refuses a sink SID that is not one, and a schema version that is not a whole number ≥ 1, sending nothing', async () => {
    const client = mockClient(agent);
    await expect(client.createSubscription({ ...INPUT, sinkSid: SUB })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const schemaVersion of [0, -1, 1.5, Number.NaN]) {
      await expect(client.createSubscription({ ...INPUT, events: [{ type: DELIVERED, schemaVersion }] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(calls(agent)).toHaveLength(0);
  });

  it('refuses an answer whose sid is not a Subscription SID', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Subscriptions', method: 'POST' }).reply(201, { ...STORED, sid: sinkSid(5) }, JSON_HEADERS);
    await expect(mockClient(agent).createSubscription(INPUT)).rejects.toMatchObject({
      code: 'TWILIO_API',
      message: expect.stringContaining('which is not a Subscription SID'),
    });
  });
});

describe('updateSubscription', () => {
  it('sends Description only, to the subscription, and maps the answer', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'POST' }).reply(200, { ...STORED, description: 'new [sinkops:orders#receipts]' }, JSON_HEADERS);
    const sub = await mockClient(agent).updateSubscription(SUB, { description: 'new [sinkops:orders#receipts]' });
    expect(sub.description).toBe('new [sinkops:orders#receipts]');
    expect([...form().entries()]).toEqual([['Description', 'new [sinkops:orders#receipts]']]);
  });

  it('is sent again after a 5xx (the same description twice is harmless)', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'POST' }).reply(500, SERVER_ERROR, JSON_HEADERS);
    pool.intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'POST' }).reply(200, STORED, JSON_HEADERS);
    await mockClient(agent).updateSubscription(SUB, { description: 'd' });
    expect(methods()).toEqual([`POST /v1/Subscriptions/${SUB}`, `POST /v1/Subscriptions/${SUB}`]);
  });
});

describe('deleteSubscription', () => {
  it('sends DELETE to the subscription', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'DELETE' }).reply(204, '');
    await mockClient(agent).deleteSubscription(SUB);
    expect(methods()).toEqual([`DELETE /v1/Subscriptions/${SUB}`]);
  });

  it('counts a subscription already gone (404) as deleted', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'DELETE' }).reply(404, GONE, JSON_HEADERS);
    await expect(mockClient(agent).deleteSubscription(SUB)).resolves.toBeUndefined();
  });

  it('is sent again after a reset, and a 404 then means the first one worked', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'DELETE' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'DELETE' }).reply(404, GONE, JSON_HEADERS);
    await mockClient(agent).deleteSubscription(SUB);
    expect(methods()).toHaveLength(2);
  });

  it('reports any other refusal', async () => {
    agent.get(ORIGIN).intercept({ path: `/v1/Subscriptions/${SUB}`, method: 'DELETE' }).reply(403, { code: 20403, message: 'Forbidden', status: 403 }, JSON_HEADERS);
    await expect(mockClient(agent).deleteSubscription(SUB)).rejects.toMatchObject({ status: 403 });
  });

  it('refuses a SID that is not a Subscription SID, sending nothing', async () => {
    const client = mockClient(agent);
    await expect(client.deleteSubscription(sinkSid(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.updateSubscription('DF../../Sinks', { description: 'd' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.listSubscribedEvents(`DF${'0'.repeat(31)}`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls(agent)).toHaveLength(0);
  });
});

describe('listSubscribedEvents', () => {
  it('follows next_page_url and maps type and schema_version', async () => {
    const next = `${ORIGIN}${EVENTS}?PageSize=1000&Page=1&PageToken=PT1`;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' }).reply(200, listPage('types', [wireSubscribedEvent(SUB, DELIVERED, 2)], next), JSON_HEADERS);
    pool.intercept({ path: `${EVENTS}?PageSize=1000&Page=1&PageToken=PT1`, method: 'GET' }).reply(200, listPage('types', [wireSubscribedEvent(SUB, FAILED, 15)]), JSON_HEADERS);

    expect(await mockClient(agent).listSubscribedEvents(SUB)).toEqual([
      { type: DELIVERED, schemaVersion: 2 },
      { type: FAILED, schemaVersion: 15 },
    ]);
    expect(calls(agent).map((c) => c.url)).toEqual([`${ORIGIN}${EVENTS}?PageSize=1000`, next]);
  });

  it('keeps the first occurrence of a type listed on two pages', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' }).reply(200, listPage('types', [wireSubscribedEvent(SUB, DELIVERED, 2)], `${ORIGIN}${EVENTS}?PageToken=PT1`), JSON_HEADERS);
    pool.intercept({ path: `${EVENTS}?PageToken=PT1`, method: 'GET' }).reply(200, listPage('types', [wireSubscribedEvent(SUB, DELIVERED, 3)]), JSON_HEADERS);
    expect(await mockClient(agent).listSubscribedEvents(SUB)).toEqual([{ type: DELIVERED, schemaVersion: 2 }]);
  });

  it('refuses a next page on another origin', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' })
      .reply(200, listPage('types', [], `https://elsewhere.example.test${EVENTS}?Page=1`), JSON_HEADERS);
    await expect(mockClient(agent).listSubscribedEvents(SUB)).rejects.toThrow(/credentials were not sent/);
    expect(calls(agent)).toHaveLength(1);
  });

  it.each<[string, unknown, unknown, RegExp]>([
    ['a type with an escape sequence', `${DELIVERED}\u001b[2J`, 1, /has type ".*\\u001b\[2J", which contains control or invisible characters/],
    ['a type with a newline', `${DELIVERED}\nfake line`, 1, /which contains control or invisible characters/],
    ['a type with a bidi override', `com.twilio\u202e.x`, 1, /which contains control or invisible characters/],
    ['a type that is ..', '..', 1, /which is a relative path segment/],
    ['an empty type', '', 1, /a subscribed event has no type/],
    ['a type that is not a string', { evil: true }, 1, /a subscribed event has no type/],
    ['a negative schema_version', DELIVERED, -1, /has schema_version -1, which is not a schema version/],
    ['a schema_version of 0', DELIVERED, 0, /has schema_version 0, which is not a schema version/],
    ['a fractional schema_version', DELIVERED, 1.5, /has schema_version 1.5, which is not a schema version/],
    ['a schema_version as a string', DELIVERED, '2', /has schema_version "2", which is not a schema version/],
    ['no schema_version', DELIVERED, null, /has no schema_version/],
  ])('refuses %s', async (_name, type, version, message) => {
    agent.get(ORIGIN).intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' }).reply(200, listPage('types', [wireSubscribedEvent(SUB, type as string, version)]), JSON_HEADERS);
    const failure = mockClient(agent).listSubscribedEvents(SUB);
    await expect(failure).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringMatching(/^Unexpected response from the Events API: /) });
    await expect(failure).rejects.toThrow(message);
    // The value is quoted as JSON: no raw C0 control character reaches the message (the terminal
    // renderer escapes the rest, bidi included).
    await expect(failure).rejects.toSatisfy((e: Error) => !/[\u0000-\u001f\u007f]/.test(e.message));
  });

  it("rejects a page without its 'types' array", async () => {
    agent.get(ORIGIN).intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' }).reply(200, listPage('subscribed_events', []), JSON_HEADERS);
    await expect(mockClient(agent).listSubscribedEvents(SUB)).rejects.toThrow("no 'types' array");
  });
});

describe('addSubscribedEvent', () => {
  const EVENT = { type: FAILED, schemaVersion: 3 };

  it('sends Type and SchemaVersion', async () => {
    agent.get(ORIGIN).intercept({ path: EVENTS, method: 'POST' }).reply(201, wireSubscribedEvent(SUB, FAILED, 3), JSON_HEADERS);
    await mockClient(agent).addSubscribedEvent(SUB, EVENT);
    expect(methods()).toEqual([`POST ${EVENTS}`]);
    expect([...form().entries()]).toEqual([
      ['Type', FAILED],
      ['SchemaVersion', '3'],
    ]);
  });

  it('after its answer was lost, finds the type added (with that version) instead of adding it again', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: EVENTS, method: 'POST' }).replyWithError(new errors.HeadersTimeoutError());
    pool
      .intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' })
      .reply(200, listPage('types', [wireSubscribedEvent(SUB, DELIVERED, 2), wireSubscribedEvent(SUB, FAILED, 3)]), JSON_HEADERS);
    // A second POST would succeed here: the test fails if the client re-sends.
    pool.intercept({ path: EVENTS, method: 'POST' }).reply(201, wireSubscribedEvent(SUB, FAILED, 3), JSON_HEADERS);

    await mockClient(agent).addSubscribedEvent(SUB, EVENT);

    expect(methods()).toEqual([`POST ${EVENTS}`, `GET ${EVENTS}`]);
  });

  it.each([
    ['is not there', [wireSubscribedEvent(SUB, DELIVERED, 2)]],
    ['is there in another version', [wireSubscribedEvent(SUB, FAILED, 1)]],
  ])('sends the add again when the type %s', async (_name, listed) => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: EVENTS, method: 'POST' }).reply(500, SERVER_ERROR, JSON_HEADERS);
    pool.intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' }).reply(200, listPage('types', listed), JSON_HEADERS);
    pool.intercept({ path: EVENTS, method: 'POST' }).reply(201, wireSubscribedEvent(SUB, FAILED, 3), JSON_HEADERS);

    await mockClient(agent).addSubscribedEvent(SUB, EVENT);

    expect(methods()).toEqual([`POST ${EVENTS}`, `GET ${EVENTS}`, `POST ${EVENTS}`]);
  });

  it('does not retry an add Twilio refused (the type is there already)', async () => {
    agent.get(ORIGIN).intercept({ path: EVENTS, method: 'POST' }).reply(400, { code: 20001, message: 'Type already subscribed', status: 400 }, JSON_HEADERS);
    await expect(mockClient(agent).addSubscribedEvent(SUB, EVENT)).rejects.toMatchObject({ status: 400, twilioCode: 20001 });
    expect(methods()).toEqual([`POST ${EVENTS}`]);
  });

  it('when the listing fails too, says the type may have been added', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: EVENTS, method: 'POST' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: `${EVENTS}?PageSize=1000`, method: 'GET' }).reply(403, { code: 20403, message: 'Forbidden', status: 403 }, JSON_HEADERS);
    await expect(mockClient(agent).addSubscribedEvent(SUB, EVENT)).rejects.toMatchObject({
      message: expect.stringContaining('Forbidden'),
      details: [expect.stringContaining(`The event type may have been added to ${SUB}`)],
    });
  });
});

describe('updateSubscribedEvent and removeSubscribedEvent', () => {
  it('updates the version at …/SubscribedEvents/{Type} with SchemaVersion only', async () => {
    agent.get(ORIGIN).intercept({ path: `${EVENTS}/${DELIVERED}`, method: 'POST' }).reply(200, wireSubscribedEvent(SUB, DELIVERED, 3), JSON_HEADERS);
    await mockClient(agent).updateSubscribedEvent(SUB, { type: DELIVERED, schemaVersion: 3 });
    expect(methods()).toEqual([`POST ${EVENTS}/${DELIVERED}`]);
    expect([...form().entries()]).toEqual([['SchemaVersion', '3']]);
  });

  it('sends an update again after a 5xx (setting a version twice is harmless)', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `${EVENTS}/${DELIVERED}`, method: 'POST' }).reply(502, '');
    pool.intercept({ path: `${EVENTS}/${DELIVERED}`, method: 'POST' }).reply(200, wireSubscribedEvent(SUB, DELIVERED, 3), JSON_HEADERS);
    await mockClient(agent).updateSubscribedEvent(SUB, { type: DELIVERED, schemaVersion: 3 });
    expect(methods()).toHaveLength(2);
  });

  it('removes with DELETE …/SubscribedEvents/{Type}; a type already gone (404) counts as removed', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `${EVENTS}/${DELIVERED}`, method: 'DELETE' }).reply(204, '');
    pool.intercept({ path: `${EVENTS}/${FAILED}`, method: 'DELETE' }).reply(404, GONE, JSON_HEADERS);
    const client = mockClient(agent);
    await client.removeSubscribedEvent(SUB, DELIVERED);
    await expect(client.removeSubscribedEvent(SUB, FAILED)).resolves.toBeUndefined();
    expect(methods()).toEqual([`DELETE ${EVENTS}/${DELIVERED}`, `DELETE ${EVENTS}/${FAILED}`]);
  });

  it('a remove sent again after a reset is done when it then finds the type gone', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `${EVENTS}/${DELIVERED}`, method: 'DELETE' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: `${EVENTS}/${DELIVERED}`, method: 'DELETE' }).reply(404, GONE, JSON_HEADERS);
    await mockClient(agent).removeSubscribedEvent(SUB, DELIVERED);
    expect(methods()).toHaveLength(2);
  });

  it('percent-encodes the type as one path segment', async () => {
    const type = 'com.example/../../Sinks?x=1#frag %';
    const encoded = 'com.example%2F..%2F..%2FSinks%3Fx%3D1%23frag%20%25';
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: (p) => p.startsWith(EVENTS), method: 'POST' }).reply(200, wireSubscribedEvent(SUB, DELIVERED, 1), JSON_HEADERS);
    pool.intercept({ path: (p) => p.startsWith(EVENTS), method: 'DELETE' }).reply(204, '');
    const client = mockClient(agent);
    await client.updateSubscribedEvent(SUB, { type, schemaVersion: 1 });
    await client.removeSubscribedEvent(SUB, type);
    expect(calls(agent).map((c) => c.url)).toEqual([`${ORIGIN}${EVENTS}/${encoded}`, `${ORIGIN}${EVENTS}/${encoded}`]);
  });

  it.each([
    ['..', 'is a relative path segment'],
    ['.', 'is a relative path segment'],
    ['', 'is empty'],
    [`${DELIVERED}\r\n`, 'contains control or invisible characters'],
  ])('refuses the type %j, which would not be one path segment or is unsafe, sending nothing', async (type, problem) => {
    const client = mockClient(agent);
    await expect(client.removeSubscribedEvent(SUB, type)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(problem) });
    await expect(client.updateSubscribedEvent(SUB, { type, schemaVersion: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls(agent)).toHaveLength(0);
  });
});

describe('listEventTypes', () => {
  const wireType = (type: string, schemaId: unknown, status: unknown = 'available') => ({
    type,
    schema_id: schemaId,
    description: 'Message delivered',
    status,
    documentation_url: 'https://www.twilio.com/docs',
    date_created: '2020-01-01T00:00:00Z',
    date_updated: null,
    url: `${ORIGIN}/v1/Types/${type}`,
    links: {},
  });

  it('reads every page of /v1/Types with PageSize, mapping type, schema_id and status', async () => {
    const next = `${ORIGIN}/v1/Types?PageSize=1000&Page=1&PageToken=PT1`;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v1/Types?PageSize=1000', method: 'GET' }).reply(200, listPage('types', [wireType(DELIVERED, 'Messaging.MessageStatus')], next), JSON_HEADERS);
    pool
      .intercept({ path: '/v1/Types?PageSize=1000&Page=1&PageToken=PT1', method: 'GET' })
      .reply(200, listPage('types', [wireType('com.twilio.voice.old', 'Voice.Old', 'deprecated'), wireType('com.twilio.x', 'X.Y', null)]), JSON_HEADERS);

    expect(await mockClient(agent).listEventTypes()).toEqual([
      { type: DELIVERED, schemaId: 'Messaging.MessageStatus', status: 'available' },
      { type: 'com.twilio.voice.old', schemaId: 'Voice.Old', status: 'deprecated' },
      { type: 'com.twilio.x', schemaId: 'X.Y', status: '' },
    ]);
    expect(calls(agent).map((c) => c.url)).toEqual([`${ORIGIN}/v1/Types?PageSize=1000`, next]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a type with control characters', wireType(`${DELIVERED}\u0007`, 'Messaging.MessageStatus'), 'which contains control or invisible characters'],
    ['a schema_id with an escape sequence', wireType(DELIVERED, 'Messaging\u001b]0;owned\u0007'), 'has schema_id'],
    ['a schema_id that is ..', wireType(DELIVERED, '..'), 'which is a relative path segment'],
    ['no schema_id', wireType(DELIVERED, null), 'has no schema_id'],
    ['a status with control characters', wireType(DELIVERED, 'M.S', 'available\u001b[31m'), 'has status'],
    ['a huge type', wireType(`com.${'x'.repeat(10_000)}`, 'M.S'), 'is longer than 256 characters'],
  ])('refuses %s', async (_name, entry, message) => {
    agent.get(ORIGIN).intercept({ path: '/v1/Types?PageSize=1000', method: 'GET' }).reply(200, listPage('types', [entry]), JSON_HEADERS);
    const error = (await mockClient(agent).listEventTypes().then(
      () => new Error('expected a refusal'),
      (e: unknown) => e,
    )) as Error;
    expect(error).toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining(message) });
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message.length).toBeLessThan(300);
  });

  it('stops a list that does not end at the page cap', async () => {
    let n = 0;
    agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/v1/Types'), method: 'GET' })
      .reply(200, () => listPage('types', [], `${ORIGIN}/v1/Types?PageToken=PT${++n}`))
      .persist();
    await expect(mockClient(agent, {}, { maxPages: 3 }).listEventTypes()).rejects.toThrow('the list of event types did not end after 3 pages (0 event types so far)');
    expect(calls(agent)).toHaveLength(3);
  });
});

describe('listSchemaVersions', () => {
  const VERSIONS = '/v1/Schemas/Messaging.MessageStatus/Versions';
  const wireVersion = (version: unknown) => ({ id: 'Messaging.MessageStatus', schema_version: version, date_created: '2020-01-01T00:00:00Z', url: `${ORIGIN}${VERSIONS}/${String(version)}`, raw: null });

  it('reads every page of /v1/Schemas/{Id}/Versions, as version numbers', async () => {
    const next = `${ORIGIN}${VERSIONS}?PageSize=1000&Page=1&PageToken=PT1`;
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: `${VERSIONS}?PageSize=1000`, method: 'GET' }).reply(200, listPage('schema_versions', [wireVersion(1), wireVersion(2)], next), JSON_HEADERS);
    pool.intercept({ path: `${VERSIONS}?PageSize=1000&Page=1&PageToken=PT1`, method: 'GET' }).reply(200, listPage('schema_versions', [wireVersion(3), wireVersion(2)]), JSON_HEADERS);

    expect(await mockClient(agent).listSchemaVersions('Messaging.MessageStatus')).toEqual([1, 2, 3]);
    expect(calls(agent).map((c) => c.url)).toEqual([`${ORIGIN}${VERSIONS}?PageSize=1000`, next]);
  });

  it('percent-encodes the schema id as one path segment', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/v1/Schemas/'), method: 'GET' })
      .reply(200, listPage('schema_versions', [wireVersion(1)]), JSON_HEADERS);
    await mockClient(agent).listSchemaVersions('A/../Sinks?x #');
    expect(calls(agent).map((c) => c.url)).toEqual([`${ORIGIN}/v1/Schemas/A%2F..%2FSinks%3Fx%20%23/Versions?PageSize=1000`]);
    await expect(mockClient(agent).listSchemaVersions('..')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls(agent)).toHaveLength(1);
  });

  it.each([
    ['negative', -2, 'has schema_version -2'],
    ['zero', 0, 'has schema_version 0'],
    ['a string', '1; rm -rf /', 'has schema_version "1; rm -rf /"'],
    ['missing', undefined, 'a schema version has no schema_version'],
  ])('refuses a version that is %s', async (_name, version, message) => {
    agent.get(ORIGIN).intercept({ path: `${VERSIONS}?PageSize=1000`, method: 'GET' }).reply(200, listPage('schema_versions', [wireVersion(version)]), JSON_HEADERS);
    await expect(mockClient(agent).listSchemaVersions('Messaging.MessageStatus')).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining(message) });
  });

  it('keeps the HTTP status of an unknown schema', async () => {
    agent.get(ORIGIN).intercept({ path: '/v1/Schemas/Nope/Versions?PageSize=1000', method: 'GET' }).reply(404, GONE, JSON_HEADERS);
    await expect(mockClient(agent).listSchemaVersions('Nope')).rejects.toMatchObject({ code: 'TWILIO_API', status: 404, twilioCode: 20404 });
  });
});
