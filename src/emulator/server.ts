import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SinkopsError } from '../errors.js';
import { AccountRegistry, type AccountRecord } from './accounts.js';
import { Credentials } from './auth.js';
import { ApiError, internalError, invalidParameter, notFound, unauthenticated } from './errors.js';
import { CATALOGUE } from './event-catalogue.js';
import { FaultInjector } from './faults.js';
import { readForm } from './form.js';
import {
  assertValidAccountRules,
  assertValidCredentials,
  DEFAULT_SINK_LIMIT,
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  type EmulatorAccount,
  type EmulatorFaults,
  type EmulatorOptions,
  type RunningEmulator,
} from './options.js';
import { RequestLog } from './request-log.js';
import type { RouteContext, RouteResult } from './route-types.js';
import { matchRoute } from './routes.js';
import { applySeed, checkSeed } from './seed.js';
import { StateFile } from './state-file.js';

/** What the Accounts API shows as the main account's name (the options give it none). */
const MAIN_ACCOUNT_FRIENDLY_NAME = 'sinkops emulator';

/**
 * The emulator's HTTP server (node:http, no framework). Per API request (Events v1 and the 2010
 * Accounts API alike): concurrency slot → latency → injected faults → Basic auth, which picks the
 * account → route, on that account's state → state write (when it mutated) → answer.
 * `/__emulator/*` control paths skip all of that: no credentials, no faults, not logged; those
 * that read an account's state take `?account=AC…` (default: the main account).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const accountSid = options.accountSid ?? EMULATOR_ACCOUNT_SID;
  const authToken = options.authToken ?? EMULATOR_AUTH_TOKEN;
  assertValidCredentials(accountSid, authToken, options.apiKey);
  assertValidAccountRules(options);
  const activation = options.activation ?? 'current';
  const readBack = options.readBack ?? 'exact';
  const faults = new FaultInjector(options.faults ?? {}, options.random ?? Math.random);
  const seed = options.seed === undefined ? undefined : checkSeed(options.seed, 'seed', activation, accountSid);

  const credentials = new Credentials();
  const accounts = new AccountRegistry({ sid: accountSid, authToken, friendlyName: MAIN_ACCOUNT_FRIENDLY_NAME }, { sinkLimit: options.sinkLimit ?? DEFAULT_SINK_LIMIT, activation }, credentials);
  // The API key is the main account's, as a key made in a Twilio account is that account's.
  if (options.apiKey) credentials.set(options.apiKey.sid, options.apiKey.secret, accountSid);
  const stateFile = options.statePath === undefined ? undefined : await StateFile.open(options.statePath, authToken, accounts);
  if (seed && accounts.isEmpty) {
    applySeed(accounts, seed);
    await stateFile?.commit();
  }

  const requestLog = new RequestLog();
  const logger = options.logger;
  const active = new Set<Promise<void>>();
  /** Wakes the requests sleeping out their latency, so close() need not wait for them. */
  const sleepers = new Set<() => void>();
  let closing = false;
  let boundOrigin = '';

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  const server = createServer((req, res) => {
    const work = handle(req, res).finally(() => active.delete(work));
    active.add(work);
  });

  /** Absolute URLs use the origin the client asked for, so a client that follows only same-origin pages accepts them. */
  function originOf(req: IncomingMessage): string {
    const host = req.headers.host;
    return host !== undefined && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `http://${host}` : boundOrigin;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    let url: URL;
    try {
      url = new URL(rawPath, 'http://emulator.invalid');
    } catch {
      return send(res, invalidParameter('Malformed request URL'));
    }
    if (url.pathname.startsWith('/__emulator/')) return handleControl(req, res, method, url);

    let account: AccountRecord | undefined;
    const record = (status: number): void => {
      const entry = account === undefined ? { method, path: rawPath, status } : { method, path: rawPath, status, account: account.sid };
      requestLog.add(entry);
      logger?.debug(entry, 'emulator request');
    };
    const admitted = faults.acquire();
    try {
      const latency = faults.latencyMs;
      if (latency > 0) await sleep(latency);
      if (closing) return drop(req, record);
      if (!admitted) return answer(res, faults.rejectBusy(), record);
      const decision = faults.decide();
      if (decision.kind === 'drop') return drop(req, record);
      if (decision.kind === 'fail') return answer(res, decision.error, record);
      const sid = credentials.check(req.headers.authorization);
      const found = sid === undefined ? undefined : accounts.get(sid);
      // A suspended or closed account's credentials are refused like wrong ones (see unauthenticated()).
      if (found === undefined || found.status !== 'active') return answer(res, unauthenticated(), record);
      account = found;

      const { handler, params } = matchRoute(method, url.pathname);
      const context: RouteContext = {
        origin: originOf(req),
        account,
        accountSid: account.sid,
        store: account.store,
        accounts,
        readBack,
        path: url.pathname,
        query: url.searchParams,
        form: () => readForm(req),
      };
      const result = await handler(context, params);
      if (result.mutated && stateFile) {
        try {
          await stateFile.commit();
        } catch (e) {
          logger?.error({ err: e, path: stateFile.path }, 'emulator state file write failed');
          return answer(res, internalError('The emulator could not save its state'), record);
        }
      }
      if (result.created === true && faults.dropAfterCommit()) return drop(req, record);
      return answer(res, result, record);
    } catch (e) {
      if (!(e instanceof ApiError)) logger?.error({ err: e }, 'emulator handler failed');
      return answer(res, e instanceof ApiError ? e : internalError(), record);
    } finally {
      if (admitted) faults.release();
    }
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const path = url.pathname;
    const accountParam = url.searchParams.get('account') ?? undefined;
    try {
      // The log is the emulator's, not an account's: every request unless `?account=` narrows it.
      // DELETE empties all of it.
      if (path === '/__emulator/requests' && method === 'GET') return send(res, { status: 200, body: { requests: requestLog.list(accountParam) } });
      if (path === '/__emulator/requests' && method === 'DELETE') {
        requestLog.clear();
        return send(res, { status: 204 });
      }
      const m = /^\/__emulator\/sinks\/([^/]+)\/test-events$/.exec(path);
      if (m && method === 'GET') {
        const account = accountParam === undefined ? accounts.main : accounts.get(accountParam);
        if (!account) throw notFound(`${path}?account=${accountParam}`);
        const sink = account.store.getSink(m[1]!);
        const events = sink.testEvents.map((e) => ({ test_id: e.testId, date_created: e.dateCreated }));
        return send(res, { status: 200, body: { test_events: events } });
      }
      // The JSON Schema documents that schema versions' `raw` links to (Twilio serves them, without
      // credentials, at events-schemas.twilio.com/{Id}/{Version}).
      const raw = /^\/__emulator\/event-schemas\/([^/]+)\/(\d{1,9})$/.exec(path);
      const version = raw && method === 'GET' ? CATALOGUE.getVersion(raw[1]!, Number(raw[2])) : undefined;
      if (version) return send(res, { status: 200, body: JSON.parse(version.raw) as unknown });
      throw notFound(path);
    } catch (e) {
      return send(res, e instanceof ApiError ? e : internalError());
    } finally {
      req.resume(); // control requests carry no body worth reading
    }
  }

  function answer(res: ServerResponse, outcome: ApiError | Pick<RouteResult, 'status' | 'body'>, record: (status: number) => void): void {
    record(outcome.status);
    send(res, outcome);
  }

  function drop(req: IncomingMessage, record: (status: number) => void): void {
    record(0);
    req.socket.destroy();
  }

  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  boundOrigin = `http://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl === '[::]' ? '[::1]' : hostForUrl}:${address.port}`;
  logger?.info({ url: boundOrigin }, 'emulator listening');

  return {
    url: boundOrigin,
    accountSid,
    authToken,
    setFaults(f: EmulatorFaults): void {
      faults.set(f);
    },
    async addAccount(input) {
      const account = accounts.add(input);
      await stateFile?.commit();
      return { sid: account.sid, authToken: account.authToken };
    },
    accounts(): EmulatorAccount[] {
      return [...accounts.all()].map((a) => ({
        sid: a.sid,
        friendlyName: a.friendlyName,
        status: a.status,
        ...(a.ownerAccountSid === undefined ? {} : { ownerAccountSid: a.ownerAccountSid }),
      }));
    },
    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled([...active]);
      await closed;
      await stateFile?.flush();
    },
  };
}

function send(res: ServerResponse, outcome: ApiError | Pick<RouteResult, 'status' | 'body'>): void {
  if (res.destroyed || res.headersSent) return;
  const isError = outcome instanceof ApiError;
  const body = isError ? outcome.body() : outcome.body;
  const headers: Record<string, string> = isError ? { ...outcome.headers } : {};
  if (body === undefined) {
    res.writeHead(outcome.status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(outcome.status, headers).end(text);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      const reason = e.code === 'EADDRINUSE' ? 'the address is already in use' : e.message;
      reject(new SinkopsError('CONFIG', `the emulator cannot listen on ${host}:${port}: ${reason}`, { cause: e }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
