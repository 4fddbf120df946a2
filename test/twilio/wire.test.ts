/**
 * SIDs read from the Events API are checked against the patterns of Twilio's OpenAPI description
 * (`^DG[0-9a-fA-F]{32}$`, `^DF[0-9a-fA-F]{32}$`): a malformed one is refused with a TWILIO_API
 * error, never passed on to the planner, a plan file or the terminal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { toEventType, toRemoteSink, toSchemaVersion, toSubscribedEvent, toSubscription } from '../../src/twilio/wire.js';
import { JSON_HEADERS, mockAgent, mockClient, ORIGIN, sinkSid, sinksPage, wireSink } from './helpers.js';

const HEX32 = '0123456789abcdef0123456789abcdef';

/** SIDs that are not sink SIDs, each for a reason of its own. */
const NOT_SINK_SIDS: Record<string, string> = {
  'too short': `DG${HEX32.slice(1)}`,
  'too long': `DG${HEX32}0`,
  'a subscription SID': `DF${HEX32}`,
  'a lower-case prefix': `dg${HEX32}`,
  'not hexadecimal': `DG${HEX32.slice(2)}zz`,
  'with an escape sequence': `DG${HEX32.slice(4)}\u001b[2J`,
  'with a trailing newline': `DG${HEX32}\n`,
  'with a bidi override': `DG\u202e${HEX32.slice(1)}`,
  'a path': 'DG../../v1/Subscriptions',
  'with markup': `DG${HEX32.slice(3)}<b>`,
};

function refusal(run: () => unknown): SinkopsError {
  try {
    run();
  } catch (e) {
    if (e instanceof SinkopsError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('toRemoteSink', () => {
  it('accepts a sink SID in lower, upper or mixed case hex, as the OpenAPI pattern does', () => {
    for (const sid of [`DG${HEX32}`, `DG${HEX32.toUpperCase()}`, `DG${'aBcDeF01'.repeat(4)}`]) {
      expect(toRemoteSink(wireSink(1, { sid })).sid).toBe(sid);
    }
  });

  it.each(Object.entries(NOT_SINK_SIDS))('refuses a sid: %s', (_reason, sid) => {
    const e = refusal(() => toRemoteSink(wireSink(1, { sid })));
    expect(e.code).toBe('TWILIO_API');
    expect(e.message).toMatch(/^Unexpected response from the Events API: a sink has sid ".*", which is not a Sink SID\.$/);
    // The value is quoted as JSON: no raw control character reaches the message.
    expect(e.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(e.message).toContain(JSON.stringify(sid));
  });

  it('cuts a huge malformed sid short in the message', () => {
    const e = refusal(() => toRemoteSink(wireSink(1, { sid: `DG${'x'.repeat(100_000)}` })));
    expect(e.message.length).toBeLessThan(200);
  });

  it('refuses a sid that is missing or not a string before anything else is read', () => {
    expect(refusal(() => toRemoteSink(wireSink(1, { sid: 42 }))).message).toContain('a sink has no sid');
    expect(refusal(() => toRemoteSink(wireSink(1, { sid: undefined, sink_type: 7 }))).message).toContain('a sink has no sid');
  });

  it('still checks that sink_type is a string; status and description read as text or empty', () => {
    expect(refusal(() => toRemoteSink(wireSink(1, { sink_type: { evil: true } }))).message).toContain(`sink ${sinkSid(1)} has no sink_type`);
    const sink = toRemoteSink(wireSink(1, { status: 5, description: ['x'] }));
    expect(sink.status).toBe('');
    expect(sink.description).toBe('');
  });
});

describe('toSubscription', () => {
  const sub = (overrides: Record<string, unknown>) => ({ sid: `DF${HEX32}`, description: 'd', sink_sid: sinkSid(3), ...overrides });

  it('accepts a subscription whose SID and sink SID match their patterns', () => {
    expect(toSubscription(sub({ sid: `DF${HEX32.toUpperCase()}` }))).toEqual({ sid: `DF${HEX32.toUpperCase()}`, description: 'd', sinkSid: sinkSid(3) });
  });

  it.each([
    ['a sink SID', `DG${HEX32}`],
    ['too short', `DF${HEX32.slice(1)}`],
    ['with an escape sequence', `DF${HEX32.slice(4)}\u001b[2J`],
    ['with a bidi override', `DF\u202e${HEX32.slice(1)}`],
  ])('refuses a subscription sid: %s', (_reason, sid) => {
    const e = refusal(() => toSubscription(sub({ sid })));
    expect(e.code).toBe('TWILIO_API');
    expect(e.message).toContain(`a subscription has sid ${JSON.stringify(sid)}, which is not a Subscription SID`);
  });

  it.each([
    ['a subscription SID', `DF${HEX32}`],
    ['a mixed-case prefix', `Dg${HEX32}`],
    ['with control characters', `DG${HEX32.slice(2)}\r\b`],
  ])('refuses a sink_sid: %s', (_reason, sinkSidValue) => {
    const e = refusal(() => toSubscription(sub({ sink_sid: sinkSidValue })));
    expect(e.code).toBe('TWILIO_API');
    expect(e.message).toContain(`subscription DF${HEX32} has sink_sid ${JSON.stringify(sinkSidValue)}, which is not a Sink SID`);
  });
});

describe('toSubscribedEvent, toEventType, toSchemaVersion', () => {
  const TYPE = 'com.twilio.messaging.message.delivered';

  it('map the fields sinkops reads', () => {
    expect(toSubscribedEvent({ type: TYPE, schema_version: 2, subscription_sid: `DF${HEX32}` })).toEqual({ type: TYPE, schemaVersion: 2 });
    expect(toEventType({ type: TYPE, schema_id: 'Messaging.MessageStatus', status: 'deprecated' })).toEqual({ type: TYPE, schemaId: 'Messaging.MessageStatus', status: 'deprecated' });
    expect(toSchemaVersion({ id: 'Messaging.MessageStatus', schema_version: 3 })).toBe(3);
  });

  it.each([
    ['an escape sequence', `${TYPE}\u001b[2J`],
    ['a carriage return', `${TYPE}\r`],
    ['DEL', `${TYPE}\u007f`],
    ['a C1 control', `${TYPE}\u009b`],
    ['a zero-width space', `com.twilio\u200b.x`],
    ['a line separator', `${TYPE}\u2028`],
  ])('refuse a type with %s', (_reason, type) => {
    for (const read of [() => toSubscribedEvent({ type, schema_version: 1 }), () => toEventType({ type, schema_id: 'S' })]) {
      const e = refusal(read);
      expect(e.code).toBe('TWILIO_API');
      expect(e.message).toContain('contains control or invisible characters');
      // Quoted as JSON: no raw C0 control (the terminal renderer escapes DEL, C1 and the rest).
      expect(e.message).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it.each([-1, 0, 1.5, Number.MAX_SAFE_INTEGER + 1, '1', true, [1]])('refuse the schema_version %j', (version) => {
    expect(refusal(() => toSubscribedEvent({ type: TYPE, schema_version: version })).message).toContain('which is not a schema version');
    expect(refusal(() => toSchemaVersion({ schema_version: version })).message).toContain('which is not a schema version');
  });

  it('refuse anything that is not an object', () => {
    expect(refusal(() => toSubscribedEvent([TYPE])).message).toContain('a subscribed event is not an object');
    expect(refusal(() => toEventType(null)).message).toContain('an event type is not an object');
    expect(refusal(() => toSchemaVersion(3)).message).toContain('a schema version is not an object');
  });
});

describe('the client refuses a response with a malformed SID', () => {
  let agent = mockAgent();
  afterEach(async () => {
    await agent.close();
    agent = mockAgent();
  });

  it('in a list of sinks: the whole listing fails, nothing is returned', async () => {
    const page = sinksPage([wireSink(1), wireSink(2, { sid: `DG${HEX32.slice(4)}\u001b[2J` })]);
    agent.get(ORIGIN).intercept({ path: '/v1/Sinks?PageSize=1000', method: 'GET' }).reply(200, page, JSON_HEADERS);
    await expect(mockClient(agent).listSinks()).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('is not a Sink SID') });
  });

  it('in a list of subscriptions', async () => {
    const page = { subscriptions: [{ sid: `DF${HEX32}`, description: null, sink_sid: `DF${HEX32}` }], meta: { next_page_url: null } };
    agent
      .get(ORIGIN)
      .intercept({ path: `/v1/Subscriptions?SinkSid=${sinkSid(3)}&PageSize=1000`, method: 'GET' })
      .reply(200, page, JSON_HEADERS);
    await expect(mockClient(agent).listSubscriptions({ sinkSid: sinkSid(3) })).rejects.toMatchObject({
      code: 'TWILIO_API',
      message: expect.stringContaining('is not a Sink SID'),
    });
  });
});
