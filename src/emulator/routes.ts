import { createAccount, fetchAccount, listAccounts } from './account-routes.js';
import { methodNotAllowed, notFound } from './errors.js';
import { fetchEventType, listEventTypes } from './event-type-routes.js';
import type { Handler } from './route-types.js';
import { fetchSchema, fetchSchemaVersion, listSchemaVersions } from './schema-routes.js';
import { createSink, deleteSink, fetchSink, listSinks, testSink, updateSink, validateSink } from './sink-routes.js';
import { createSubscribedEvent, deleteSubscribedEvent, fetchSubscribedEvent, listSubscribedEvents, updateSubscribedEvent } from './subscribed-event-routes.js';
import { createSubscription, deleteSubscription, fetchSubscription, listSubscriptions, updateSubscription } from './subscription-routes.js';

/** The operations the emulator serves (Events v1, and the 2010 API's Accounts), by path pattern and method. */
const ROUTES: ReadonlyArray<{ readonly pattern: RegExp; readonly methods: Readonly<Record<string, Handler>> }> = [
  { pattern: /^\/v1\/Sinks$/, methods: { GET: listSinks, POST: createSink } },
  { pattern: /^\/v1\/Sinks\/([^/]+)$/, methods: { GET: fetchSink, POST: updateSink, DELETE: deleteSink } },
  { pattern: /^\/v1\/Sinks\/([^/]+)\/Test$/, methods: { POST: testSink } },
  { pattern: /^\/v1\/Sinks\/([^/]+)\/Validate$/, methods: { POST: validateSink } },
  { pattern: /^\/v1\/Subscriptions$/, methods: { GET: listSubscriptions, POST: createSubscription } },
  { pattern: /^\/v1\/Subscriptions\/([^/]+)$/, methods: { GET: fetchSubscription, POST: updateSubscription, DELETE: deleteSubscription } },
  { pattern: /^\/v1\/Subscriptions\/([^/]+)\/SubscribedEvents$/, methods: { GET: listSubscribedEvents, POST: createSubscribedEvent } },
  {
    pattern: /^\/v1\/Subscriptions\/([^/]+)\/SubscribedEvents\/([^/]+)$/,
    methods: { GET: fetchSubscribedEvent, POST: updateSubscribedEvent, DELETE: deleteSubscribedEvent },
  },
  { pattern: /^\/v1\/Types$/, methods: { GET: listEventTypes } },
  { pattern: /^\/v1\/Types\/([^/]+)$/, methods: { GET: fetchEventType } },
  { pattern: /^\/v1\/Schemas\/([^/]+)$/, methods: { GET: fetchSchema } },
  { pattern: /^\/v1\/Schemas\/([^/]+)\/Versions$/, methods: { GET: listSchemaVersions } },
  { pattern: /^\/v1\/Schemas\/([^/]+)\/Versions\/([^/]+)$/, methods: { GET: fetchSchemaVersion } },
  { pattern: /^\/2010-04-01\/Accounts\.json$/, methods: { GET: listAccounts, POST: createAccount } },
  { pattern: /^\/2010-04-01\/Accounts\/([^/]+)\.json$/, methods: { GET: fetchAccount } },
];

export interface Matched {
  readonly handler: Handler;
  readonly params: readonly string[];
}

/** Finds the handler for a request; an unknown path is a 404 and a known path with another method a 405. */
export function matchRoute(method: string, pathname: string): Matched {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    const handler = route.methods[method];
    if (!handler) throw methodNotAllowed(method, pathname);
    return { handler, params: m.slice(1).map((p) => decodeParam(p, pathname)) };
  }
  throw notFound(pathname);
}

function decodeParam(raw: string, pathname: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw notFound(pathname); // malformed %-escape: no resource can have that name
  }
}
