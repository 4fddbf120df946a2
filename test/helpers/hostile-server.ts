/**
 * An HTTP server on 127.0.0.1 that behaves as badly as a test asks: the test's handler gets every
 * request (with its body read) and writes the response itself — or never does. Every request is
 * logged, and every socket's bytes are counted when it closes, so a test can prove how much a
 * client read before it gave up. Servers still open are closed after the test file's last test.
 *
 *   const server = await startHostileServer((req, res) => void writeForever(res));
 *   await expect(client.listSinks()).rejects.toMatchObject({ code: 'TWILIO_API' });
 *   expect(await server.bytesWrittenWhenIdle()).toBeLessThan(…);
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll } from 'vitest';

export type HostileHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface LoggedRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface HostileServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: readonly LoggedRequest[];
  /** Replaces the behaviour for the requests that arrive from now on. */
  handle(handler: HostileHandler): void;
  /** Resolves once `count` requests have arrived (at once if they already have). */
  requestsReached(count: number): Promise<void>;
  /** Resolves when no socket is open any more, with the bytes written to every socket so far. */
  bytesWrittenWhenIdle(): Promise<number>;
  close(): Promise<void>;
}

const open = new Set<HostileServer>();
afterAll(async () => {
  await Promise.all([...open].map((s) => s.close()));
});

export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  let current = handler;
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const w of [...waiters]) w();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      changed();
      current(req, res, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
      changed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const until = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });

  let closing: Promise<void> | undefined;
  const hostile: HostileServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    requestsReached: (count) => until(() => requests.length >= count),
    async bytesWrittenWhenIdle() {
      await until(() => sockets.size === 0);
      return closedBytes;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        open.delete(hostile);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
  open.add(hostile);
  return hostile;
}

/** A JSON answer, complete and well-formed. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Sends `chunk` again and again, as fast as the client takes it, until the client goes away or
 * `failSafeBytes` are written (so a client that never stops makes the test fail, not hang).
 */
export function writeForever(res: ServerResponse, options: { chunk?: Buffer; failSafeBytes?: number; headers?: Record<string, string> } = {}): void {
  const chunk = options.chunk ?? Buffer.alloc(64 * 1024, 0x20);
  const failSafe = options.failSafeBytes ?? 512 * 1024 * 1024;
  res.writeHead(200, { 'content-type': 'application/json', ...options.headers });
  let written = 0;
  const pump = (): void => {
    while (!res.destroyed && written < failSafe) {
      written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  res.write('{"sinks": [');
  pump();
}

/** Sends the headers, then one byte every `everyMs` for as long as the client listens. */
export function drip(res: ServerResponse, everyMs = 20): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"sinks": [');
  const timer = setInterval(() => res.write(' '), everyMs);
  res.on('close', () => clearInterval(timer));
}

/** Never answers: the request stays open until the client gives up. */
export function neverAnswer(): void {}

/**
 * Passes the request on to `upstream` (an emulator's origin) and its answer back, with upstream's
 * absolute URLs (pagination links) rewritten to `self`, so a hostile server can misbehave on some
 * requests and be an ordinary Events API on the rest. Resolves with the answer's text.
 */
export async function forward(req: IncomingMessage, res: ServerResponse, body: string, upstream: string, self: string): Promise<string> {
  const headers: Record<string, string> = { authorization: String(req.headers['authorization'] ?? '') };
  if (req.headers['content-type'] !== undefined) headers['content-type'] = String(req.headers['content-type']);
  const answer = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body === '' ? {} : { body }) });
  const text = (await answer.text()).replaceAll(upstream, self);
  res.writeHead(answer.status, { 'content-type': 'application/json' });
  res.end(text);
  return text;
}
