import type { SinksApi } from './api.js';
import type { RemoteState } from './model.js';

/**
 * Reads the account in as few requests as the API allows: every sink (`GET /v1/Sinks`, all pages) and
 * the in-use ones (`GET /v1/Sinks?InUse=true`), concurrently. Never one request per sink.
 * Sinks keep the API's order (the planner sorts what it reads). Subscriptions are not read here:
 * only the sinks a plan wants to remove need them (see `withSubscriptions`).
 */
export async function readRemoteState(api: SinksApi): Promise<RemoteState> {
  const [sinks, inUse] = await Promise.all([api.listSinks(), api.listSinks({ inUse: true })]);
  return {
    sinks,
    inUse: new Set(inUse.map((s) => s.sid)),
    subscriptionsBySink: new Map(),
  };
}

/**
 * Adds the subscriptions that hold the given in-use sinks (one `GET /v1/Subscriptions?SinkSid=` each,
 * concurrently): the plan names them in its blocked actions. Sinks already known are not asked again.
 */
export async function withSubscriptions(
  api: SinksApi,
  state: RemoteState,
  sinkSids: Iterable<string>,
): Promise<RemoteState> {
  const wanted = [...new Set(sinkSids)].filter((sid) => state.inUse.has(sid) && !state.subscriptionsBySink.has(sid));
  if (wanted.length === 0) return state;
  const found = await Promise.all(
    wanted.map(async (sid) => [sid, (await api.listSubscriptions({ sinkSid: sid })).map((s) => s.sid).sort()] as const),
  );
  return { ...state, subscriptionsBySink: new Map([...state.subscriptionsBySink, ...found]) };
}
