/**
 * What `sinkops import` reads from an account: every sink, and — for the sinks it will write — the
 * subscriptions that deliver to them with their events. Twilio has no bulk read of SubscribedEvents,
 * so there is one list per subscription, run a few at a time. Reads only; nothing is changed.
 */
import type { SinksApi } from '../remote/api.js';
import type { RemoteSink, SubscribedEvent } from '../remote/model.js';
import { importableSinks, type ImportSubscription } from './to-yaml.js';

/** SubscribedEvents lists in flight at once: quick for many subscriptions, gentle on the API. */
export const EVENT_READ_CONCURRENCY = 8;

export interface ImportRead {
  readonly sinks: readonly RemoteSink[];
  /** The subscriptions of the sinks import will write, each with its events. */
  readonly subscriptions: readonly ImportSubscription[];
}

/** `fn` over `items` with at most `limit` calls pending at once; results in the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (e) {
        next = items.length; // start no more: the first failure is the answer
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** A 404 from the API: the resource is gone (a subscription deleted between two reads). */
function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 404;
}

export async function readAccountForImport(
  api: SinksApi,
  pinned: ReadonlyMap<string, string>,
  concurrency: number = EVENT_READ_CONCURRENCY,
): Promise<ImportRead> {
  const sinks = await api.listSinks();
  const wanted = new Set(importableSinks(sinks, pinned).sinks.map((s) => s.sid));
  if (wanted.size === 0) return { sinks, subscriptions: [] };
  const delivering = (await api.listSubscriptions()).filter((s) => wanted.has(s.sinkSid));
  const events = await mapBounded(delivering, concurrency, async (s): Promise<readonly SubscribedEvent[] | undefined> => {
    try {
      return await api.listSubscribedEvents(s.sid);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });
  return { sinks, subscriptions: delivering.map((s, i) => ({ ...s, events: events[i] })) };
}
