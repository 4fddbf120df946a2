/**
 * What import reads: every sink, then — only when some sink will be written — one list of
 * subscriptions and one SubscribedEvents list per subscription of those sinks, a few at a time.
 * Over a tiny local fake of the SinksApi seam: any other call fails the test.
 */
import { describe, expect, it } from 'vitest';
import { mapBounded, readAccountForImport } from '../../src/import/read-account.js';
import type { SinksApi } from '../../src/remote/api.js';
import type { RemoteSink, SubscribedEvent, Subscription } from '../../src/remote/model.js';
import { TwilioApiError } from '../../src/twilio/errors.js';

const dg = (n: number): string => `DG${n.toString(16).padStart(32, '0')}`;
const df = (n: number): string => `DF${n.toString(16).padStart(32, '0')}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const sink = (n: number, description: string, sinkType = 'webhook'): RemoteSink => ({
  sid: dg(n),
  description,
  sinkType,
  sinkConfiguration: { destination: `https://e.org/${n}`, method: 'POST' },
  status: 'active',
  dateCreated: null,
  dateUpdated: null,
});

interface Fake {
  readonly api: SinksApi;
  readonly calls: string[];
  peak(): number;
}

function fakeApi(sinks: RemoteSink[], subscriptions: Subscription[], events: (sid: string) => SubscribedEvent[] | Error): Fake {
  const calls: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const impl: Partial<SinksApi> = {
    async listSinks() {
      calls.push('listSinks');
      return sinks;
    },
    async listSubscriptions(options) {
      calls.push(`listSubscriptions${options?.sinkSid ? ` ${options.sinkSid}` : ''}`);
      return subscriptions;
    },
    async listSubscribedEvents(sid) {
      calls.push(`listSubscribedEvents ${sid}`);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        await sleep(2);
        const result = events(sid);
        if (result instanceof Error) throw result;
        return result;
      } finally {
        inFlight -= 1;
      }
    },
  };
  const api = new Proxy(impl, {
    get(target, prop) {
      const value = target[prop as keyof SinksApi];
      if (value === undefined && typeof prop === 'string' && prop !== 'then') throw new Error(`import must not call ${prop}`);
      return value;
    },
  }) as SinksApi;
  return { api, calls, peak: () => peak };
}

const EVENTS = [{ type: 'com.twilio.messaging.message.delivered', schemaVersion: 2 }];

describe('readAccountForImport', () => {
  it('reads the events of every subscription of the sinks it will write, at most 8 at a time', async () => {
    const subs = Array.from({ length: 30 }, (_, i): Subscription => ({ sid: df(i + 1), description: `S${i}`, sinkSid: dg(1 + (i % 2)) }));
    const fake = fakeApi([sink(1, 'One'), sink(2, 'Two')], subs, () => EVENTS);
    const read = await readAccountForImport(fake.api, new Map());
    expect(read.sinks.map((s) => s.sid)).toEqual([dg(1), dg(2)]);
    expect(read.subscriptions).toHaveLength(30);
    expect(read.subscriptions.every((s) => s.events === EVENTS)).toBe(true);
    expect(fake.calls.filter((c) => c.startsWith('listSubscribedEvents'))).toHaveLength(30);
    expect(fake.calls.filter((c) => c.startsWith('listSubscriptions'))).toEqual(['listSubscriptions']);
    expect(fake.peak()).toBe(8);
  });

  it('does not read the events of subscriptions on sinks it will not write (managed, pinned, other types)', async () => {
    const fake = fakeApi(
      [sink(1, 'Imported'), sink(2, 'Managed [sinkops:m]'), sink(3, 'Pinned'), sink(4, 'Digest', 'email')],
      [1, 2, 3, 4].map((n) => ({ sid: df(n), description: `S${n}`, sinkSid: dg(n) })),
      () => EVENTS,
    );
    const read = await readAccountForImport(fake.api, new Map([[dg(3), 'pinned']]));
    expect(read.subscriptions.map((s) => s.sid)).toEqual([df(1)]);
    expect(fake.calls).toEqual(['listSinks', 'listSubscriptions', `listSubscribedEvents ${df(1)}`]);
  });

  it('lists no subscriptions when there is no sink to write', async () => {
    const fake = fakeApi([sink(1, 'Managed [sinkops:m]')], [], () => EVENTS);
    expect(await readAccountForImport(fake.api, new Map())).toEqual({ sinks: [sink(1, 'Managed [sinkops:m]')], subscriptions: [] });
    expect(fake.calls).toEqual(['listSinks']);
  });

  it('marks a subscription deleted between the two reads (404) and fails on any other error', async () => {
    const subs = [1, 2].map((n) => ({ sid: df(n), description: `S${n}`, sinkSid: dg(1) }));
    const notFound = new TwilioApiError({ status: 404, twilioCode: 20404, twilioMessage: 'not found', moreInfo: null });
    const gone = await readAccountForImport(fakeApi([sink(1, 'One')], subs, (sid) => (sid === df(2) ? notFound : EVENTS)).api, new Map());
    expect(gone.subscriptions.map((s) => [s.sid, s.events])).toEqual([
      [df(1), EVENTS],
      [df(2), undefined],
    ]);
    const failure = new TwilioApiError({ status: 500, twilioCode: 20500, twilioMessage: 'boom', moreInfo: null });
    await expect(readAccountForImport(fakeApi([sink(1, 'One')], subs, (sid) => (sid === df(2) ? failure : EVENTS)).api, new Map())).rejects.toBe(failure);
  });
});

describe('mapBounded', () => {
  it('keeps the order of its input and starts nothing new after a failure', async () => {
    expect(await mapBounded([3, 1, 2], 2, async (n) => (await sleep(n), n * 10))).toEqual([30, 10, 20]);
    expect(await mapBounded([], 8, async () => 1)).toEqual([]);
    const started: number[] = [];
    await expect(
      mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await sleep(1);
        if (n === 1) throw new Error('first fails');
        return n;
      }),
    ).rejects.toThrow('first fails');
    await sleep(10);
    expect(started.length).toBeLessThanOrEqual(2);
  });
});
