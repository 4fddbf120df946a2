/**
 * The Twilio client against a hostile API on a real socket: answers without end, huge answers,
 * answers that trickle forever, lists that never end or repeat themselves, and a caller's signal
 * (the CLI's --deadline) that must stop everything — requests in flight and retry waits alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { TwilioClient, type TwilioClientOptions } from '../../src/twilio/client.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type TwilioConfig } from '../../src/twilio/config.js';
import { drip, neverAnswer, sendJson, startHostileServer, writeForever, type HostileServer } from '../helpers/hostile-server.js';
import { sinkSid, testConfig, wireSink } from './helpers.js';

const MiB = 1024 * 1024;
/** Beyond the body cap, what a client can have in flight that it never read: socket buffers on both ends. */
const KERNEL_BUFFERS = 24 * MiB;

const clients: TwilioClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function clientOf(server: HostileServer, config: Partial<TwilioConfig> = {}, options: TwilioClientOptions = {}): TwilioClient {
  const client = new TwilioClient(testConfig({ baseUrl: server.url, maxRetries: 0, ...config }), { random: () => 0.5, ...options });
  clients.push(client);
  return client;
}

/** Closes the client so that every socket ends, then the bytes the server wrote to them. */
async function bytesWritten(server: HostileServer, client: TwilioClient): Promise<number> {
  await client.close();
  return server.bytesWrittenWhenIdle();
}

const INPUT = { description: 'Orders [sinkops:orders]', sinkType: 'webhook', sinkConfiguration: { destination: 'https://example.org/o' } };

describe('response bodies are bounded', () => {
  it('stops reading an endless body at the cap, and says so with the cap and the path', async () => {
    const server = await startHostileServer((_req, res) => writeForever(res));
    const client = clientOf(server, {}, { maxResponseBytes: MiB });
    const error = await client.listSinks().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkopsError);
    expect(error).toMatchObject({ code: 'TWILIO_API', message: "The Events API's answer to GET /v1/Sinks is larger than 1 MiB; sinkops stopped reading it." });
    // The query (and any header) stays out of the message.
    expect((error as Error).message).not.toContain('PageSize');
    // The server could write the cap plus what the sockets buffer, then the client hung up;
    // without the cap it would have written 512 MiB.
    expect(await bytesWritten(server, client)).toBeLessThan(MiB + KERNEL_BUFFERS);
    expect(server.requests).toHaveLength(1); // never retried
  });

  it('holds to the default cap of 32 MiB, and memory stays bounded', async () => {
    const server = await startHostileServer((_req, res) => writeForever(res));
    const client = clientOf(server);
    const rssBefore = process.memoryUsage().rss;
    await expect(client.listSinks()).rejects.toThrow(`larger than 32 MiB`);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MiB + DEFAULT_MAX_RESPONSE_BYTES);
    expect(await bytesWritten(server, client)).toBeLessThan(DEFAULT_MAX_RESPONSE_BYTES + KERNEL_BUFFERS);
  });

  it('refuses a body whose Content-Length is over the cap before reading it', async () => {
    const server = await startHostileServer((_req, res) => writeForever(res, { headers: { 'content-length': String(4 * 1024 * MiB) } }));
    const client = clientOf(server, {}, { maxResponseBytes: MiB });
    await expect(client.fetchSink(sinkSid(1))).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining(`GET /v1/Sinks/${sinkSid(1)} is larger than 1 MiB`) });
    expect(await bytesWritten(server, client)).toBeLessThan(KERNEL_BUFFERS);
  });

  it('refuses a small answer that arrived whole but is over the cap, without an uncaught error', async () => {
    // Content-Length over the cap, body complete: the client destroys a body undici has already
    // finished, whose abort must not surface as an uncaught 'error' event (vitest fails on one).
    const server = await startHostileServer((_req, res) => sendJson(res, 200, { sinks: [], meta: { padding: 'x'.repeat(500) } }));
    const client = clientOf(server, {}, { maxResponseBytes: 100 });
    await expect(client.listSinks()).rejects.toMatchObject({ code: 'TWILIO_API', message: expect.stringContaining('GET /v1/Sinks is larger than') });
    await client.close();
  });

  it('a create whose answer is too large says that the sink may exist', async () => {
    const server = await startHostileServer((_req, res) => writeForever(res));
    const client = clientOf(server, {}, { maxResponseBytes: 64 * 1024 });
    await expect(client.createSink(INPUT)).rejects.toMatchObject({
      code: 'TWILIO_API',
      details: expect.arrayContaining([expect.stringContaining('The sink may have been created')]),
    });
  });

  it('ends a body that trickles forever at the per-request timeout, which covers the whole body', async () => {
    // One byte every 20 ms keeps undici's bodyTimeout (a limit on each gap) from ever firing.
    const server = await startHostileServer((_req, res) => drip(res, 20));
    const client = clientOf(server, { timeoutMs: 300, maxRetries: 1 });
    await expect(client.listSinks()).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringMatching(/no complete answer within 300 ms \(after 2 attempts\)/),
    });
    expect(server.requests).toHaveLength(2);
  });
});

describe('lists end, and a SID is listed once', () => {
  it('stops a list whose next page is always a new one at the page cap', async () => {
    let n = 0;
    const server = await startHostileServer((_req, res) => {
      n += 1;
      sendJson(res, 200, { sinks: [wireSink(n)], meta: { next_page_url: `${server.url}/v1/Sinks?PageSize=1000&PageToken=PT${n}` } });
    });
    const client = clientOf(server, {}, { maxPages: 5 });
    await expect(client.listSinks()).rejects.toMatchObject({
      code: 'TWILIO_API',
      message: expect.stringContaining('the list of sinks did not end after 5 pages (5 sinks so far)'),
    });
    expect(server.requests).toHaveLength(5);
  });

  it('has a default page cap of 1,000', async () => {
    let n = 0;
    const server = await startHostileServer((_req, res) => {
      n += 1;
      sendJson(res, 200, { sinks: [], meta: { next_page_url: `${server.url}/v1/Sinks?PageToken=PT${n}` } });
    });
    await expect(clientOf(server).listSinks()).rejects.toThrow('did not end after 1000 pages');
    expect(server.requests).toHaveLength(1000);
  });

  it('keeps the first occurrence of a sink listed on two pages', async () => {
    const server = await startHostileServer((req, res) => {
      const second = req.url?.includes('PageToken=PT2') === true;
      const sinks = second ? [wireSink(2, { description: 'moved [sinkops:sink-2]' }), wireSink(3)] : [wireSink(1), wireSink(2)];
      sendJson(res, 200, { sinks, meta: { next_page_url: second ? null : `${server.url}/v1/Sinks?PageSize=1000&PageToken=PT2` } });
    });
    const sinks = await clientOf(server).listSinks();
    expect(sinks.map((s) => s.sid)).toEqual([sinkSid(1), sinkSid(2), sinkSid(3)]);
    expect(sinks[1]?.description).toBe('sink 2 [sinkops:sink-2]');
  });

  it('keeps the first occurrence of a subscription listed twice', async () => {
    const sub = (n: number) => ({ sid: `DF${n.toString(16).padStart(32, '0')}`, description: `sub ${n}`, sink_sid: sinkSid(1) });
    const server = await startHostileServer((req, res) => {
      const second = req.url?.includes('PageToken=PT2') === true;
      const subscriptions = second ? [sub(1), sub(2), sub(2)] : [sub(1)];
      sendJson(res, 200, { subscriptions, meta: { next_page_url: second ? null : `${server.url}/v1/Subscriptions?PageToken=PT2` } });
    });
    expect((await clientOf(server).listSubscriptions()).map((s) => s.description)).toEqual(['sub 1', 'sub 2']);
  });
});

describe("the caller's signal (--deadline)", () => {
  const deadlineError = () => new SinkopsError('DEADLINE', 'sinkops plan did not finish within its deadline of 1 s', { details: ['Raise it.'] });

  it('cancels a request in flight and fails with the abort reason', async () => {
    const server = await startHostileServer(neverAnswer);
    const controller = new AbortController();
    const client = clientOf(server, { timeoutMs: 60_000, maxRetries: 5 }, { signal: controller.signal });
    const listing = client.listSinks();
    await server.requestsReached(1);
    const reason = deadlineError();
    controller.abort(reason);
    await expect(listing).rejects.toBe(reason);
    // The connection was torn down, not left waiting for an answer.
    await bytesWritten(server, client);
    expect(server.requests).toHaveLength(1);
  });

  it('stops retrying: a wait between attempts ends when the signal aborts, and nothing more is sent', async () => {
    // Always 503 (and 429 with a long Retry-After): the retries would go on for minutes.
    const server = await startHostileServer((req, res) =>
      req.method === 'DELETE' ? sendJson(res, 503, { code: 20503, message: 'busy' }) : sendJson(res, 429, { code: 20429 }, { 'retry-after': '50' }),
    );
    const controller = new AbortController();
    const client = clientOf(server, { maxRetries: 10 }, { signal: controller.signal });
    const reason = deadlineError();
    const listing = client.listSinks();
    const deleting = client.deleteSink(sinkSid(1));
    await server.requestsReached(2);
    controller.abort(reason);
    await expect(listing).rejects.toBe(reason);
    await expect(deleting).rejects.toBe(reason);
    expect(server.requests.length).toBeLessThan(10);
    const sent = server.requests.length;
    // A new call after the deadline sends nothing.
    await expect(client.fetchSink(sinkSid(2))).rejects.toBe(reason);
    expect(server.requests).toHaveLength(sent);
  });

  it('says that a create cancelled in flight may have happened', async () => {
    const server = await startHostileServer(neverAnswer);
    const controller = new AbortController();
    const client = clientOf(server, { maxRetries: 3 }, { signal: controller.signal });
    const creating = client.createSink(INPUT);
    await server.requestsReached(1);
    controller.abort(deadlineError());
    await expect(creating).rejects.toMatchObject({
      code: 'DEADLINE',
      message: 'sinkops plan did not finish within its deadline of 1 s',
      details: ['Raise it.', expect.stringContaining('The sink may have been created')],
    });
    expect(server.requests.map((r) => r.method)).toEqual(['POST']); // no listing to reconcile after the deadline
  });

  it('turns any other abort reason into a DEADLINE error', async () => {
    const server = await startHostileServer(neverAnswer);
    const controller = new AbortController();
    const client = clientOf(server, {}, { signal: controller.signal });
    const listing = client.listSinks();
    await server.requestsReached(1);
    controller.abort();
    await expect(listing).rejects.toMatchObject({ code: 'DEADLINE', message: expect.stringContaining('GET /v1/Sinks to the Events API was cancelled') });
  });

  it('a signal that already aborted sends nothing', async () => {
    const server = await startHostileServer((_req, res) => sendJson(res, 200, { sinks: [], meta: { next_page_url: null } }));
    const reason = deadlineError();
    const client = clientOf(server, {}, { signal: AbortSignal.abort(reason) });
    await expect(client.listSinks()).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });
});
