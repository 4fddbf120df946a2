import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BASIC, sinkSid, subscriptionSid } from './helpers.js';

/**
 * - `drop-before`: close the connection without doing anything.
 * - `drop-after`: do the work, then close the connection instead of answering.
 * - `hang-after`: do the work and never answer (the client's timeout fires).
 */
export type Fault = 'drop-before' | 'drop-after' | 'hang-after';

/** A sink as a GET reads it back: what was stored, or what Twilio might make of it (defaults added, secrets masked). */
export type ReadBack = (stored: Record<string, unknown>) => Record<string, unknown>;

/**
 * A minimal Events API on a real socket, for behaviour that needs one (dropped connections,
 * timeouts, keep-alive). Only what these tests use; the full emulator lives in src/emulator.
 */
export interface FakeServer {
  readonly url: string;
  readonly sinks: Map<string, Record<string, unknown>>;
  readonly subscriptions: Map<string, Record<string, unknown>>;
  /** The event types of each subscription: type → schema version, by subscription SID. */
  readonly subscribedEvents: Map<string, Map<string, number>>;
  readonly requests: { method: string; path: string; authorization: string | undefined; userAgent: string | undefined }[];
  /** Faults applied, in order, to the next requests that match `METHOD /path` (path without query). */
  readonly faults: { match: string; fault: Fault }[];
  /** Applied to every sink a GET returns (the answer to a create is what was stored). */
  readBack: ReadBack;
  connections: number;
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  let next = 1000;
  const state = {
    sinks: new Map<string, Record<string, unknown>>(),
    subscriptions: new Map<string, Record<string, unknown>>(),
    subscribedEvents: new Map<string, Map<string, number>>(),
    requests: [] as FakeServer['requests'],
    faults: [] as FakeServer['faults'],
    readBack: ((stored) => stored) as ReadBack,
    connections: 0,
  };

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const notFound = (path: string): [number, unknown] => [404, { code: 20404, message: `The requested resource ${path} was not found`, status: 404 }];
  const badRequest = (message: string, code = 20001): [number, unknown] => [400, { code, message, status: 400 }];

  function subscribedEvent(sub: string, type: string, version: number, origin: string): Record<string, unknown> {
    return { subscription_sid: sub, type, schema_version: version, url: `${origin}/v1/Subscriptions/${sub}/SubscribedEvents/${encodeURIComponent(type)}` };
  }

  /** Subscriptions and their SubscribedEvents, as Twilio has them: Types repeated, each a JSON object. */
  function subscriptionRoute(method: string, path: string, form: URLSearchParams, origin: string): [number, unknown] | undefined {
    if (path === '/v1/Subscriptions') {
      if (method === 'GET') return [200, { subscriptions: [...state.subscriptions.values()], meta: { next_page_url: null } }];
      if (method !== 'POST') return undefined;
      const sink = state.sinks.get(form.get('SinkSid') ?? '');
      if (sink === undefined || sink['status'] !== 'active') return badRequest('Sink is not active', 91100);
      const types = form.getAll('Types').map((t) => JSON.parse(t) as { type: string; schema_version: number });
      if (types.length === 0) return badRequest('Missing required parameter Types');
      const sid = subscriptionSid(next++);
      const sub = { sid, description: form.get('Description'), sink_sid: sink['sid'], url: `${origin}/v1/Subscriptions/${sid}` };
      state.subscriptions.set(sid, sub);
      state.subscribedEvents.set(sid, new Map(types.map((t) => [t.type, t.schema_version])));
      return [201, sub];
    }
    const match = /^\/v1\/Subscriptions\/(DF[0-9a-f]{32})(\/SubscribedEvents(?:\/([^/]+))?)?$/.exec(path);
    if (match === null) return undefined;
    const [, sid = '', events, encodedType] = match;
    const sub = state.subscriptions.get(sid);
    const types = state.subscribedEvents.get(sid);
    if (sub === undefined || types === undefined) return notFound(path);
    if (events === undefined) {
      if (method !== 'DELETE') return undefined;
      state.subscriptions.delete(sid);
      state.subscribedEvents.delete(sid);
      return [204, undefined];
    }
    if (encodedType === undefined) {
      if (method === 'GET') return [200, { types: [...types].map(([t, v]) => subscribedEvent(sid, t, v, origin)), meta: { next_page_url: null } }];
      if (method !== 'POST') return undefined;
      const type = form.get('Type') ?? '';
      if (types.has(type)) return badRequest(`Type ${type} is already subscribed`);
      types.set(type, Number(form.get('SchemaVersion')));
      return [201, subscribedEvent(sid, type, types.get(type) ?? 0, origin)];
    }
    const type = decodeURIComponent(encodedType);
    if (!types.has(type)) return notFound(path);
    if (method === 'DELETE') {
      types.delete(type);
      return [204, undefined];
    }
    if (method !== 'POST') return undefined;
    types.set(type, Number(form.get('SchemaVersion')));
    return [200, subscribedEvent(sid, type, types.get(type) ?? 0, origin)];
  }

  function route(method: string, path: string, form: URLSearchParams, origin: string): [number, unknown] {
    if (path.startsWith('/v1/Subscriptions')) return subscriptionRoute(method, path, form, origin) ?? [405, { code: 20004, message: 'Method not allowed', status: 405 }];
    if (method === 'GET' && path === '/v1/Sinks') return [200, { sinks: [...state.sinks.values()].map(state.readBack), meta: { next_page_url: null } }];
    if (method === 'POST' && path === '/v1/Sinks') {
      const sid = sinkSid(next++);
      const sink = {
        sid,
        description: form.get('Description'),
        sink_type: form.get('SinkType'),
        sink_configuration: JSON.parse(form.get('SinkConfiguration') ?? 'null') as unknown,
        status: 'active',
        date_created: new Date().toISOString(),
        date_updated: new Date().toISOString(),
        url: `${origin}/v1/Sinks/${sid}`,
      };
      state.sinks.set(sid, sink);
      return [201, sink];
    }
    const sid = /^\/v1\/Sinks\/(DG[0-9a-f]{32})$/.exec(path)?.[1];
    const sink = sid === undefined ? undefined : state.sinks.get(sid);
    if (sid === undefined || sink === undefined) return [404, { code: 20404, message: `The requested resource ${path} was not found`, status: 404 }];
    if (method === 'GET') return [200, state.readBack(sink)];
    if (method === 'DELETE') {
      state.sinks.delete(sid);
      return [204, undefined];
    }
    return [405, { code: 20004, message: 'Method not allowed', status: 405 }];
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      state.requests.push({ method, path: url.pathname + url.search, authorization: req.headers.authorization, userAgent: req.headers['user-agent'] });
      if (req.headers.authorization !== BASIC) return send(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      const i = state.faults.findIndex((f) => f.match === `${method} ${url.pathname}`);
      const fault = i === -1 ? undefined : state.faults.splice(i, 1)[0]?.fault;
      if (fault === 'drop-before') return void req.socket.destroy();
      const [status, body] = route(method, url.pathname, new URLSearchParams(Buffer.concat(chunks).toString()), fake.url);
      if (fault === 'drop-after') return void req.socket.destroy();
      if (fault === 'hang-after') return;
      send(res, status, body);
    });
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    sinks: state.sinks,
    subscriptions: state.subscriptions,
    subscribedEvents: state.subscribedEvents,
    requests: state.requests,
    faults: state.faults,
    get readBack() {
      return state.readBack;
    },
    set readBack(f: ReadBack) {
      state.readBack = f;
    },
    get connections() {
      return state.connections;
    },
    set connections(n: number) {
      state.connections = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
