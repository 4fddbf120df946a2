import { boundedMap } from '../bounded-map.js';
import type { DesiredSink } from '../desired/model.js';
import type { SinksApi } from './api.js';
import type { EventType, RemoteState, SubscribedEvent, Subscription } from './model.js';

/** What the plan needs to know of the repository to read the account (SPEC §13). */
export interface ReadOptions {
  /** Whether sinkops manages a subscription (its marker, read by the planner's rules): its events are read. */
  readonly ownsSubscription?: (subscription: Subscription) => boolean;
  /** The desired sinks: their pinned subscriptions are read too, and declared events need the catalogue. */
  readonly desired?: readonly DesiredSink[];
  /**
   * Reads that are the same in every account (the event-type catalogue, schema versions): given
   * by a run over many accounts, so they are made once per run, not once per account (SPEC §10).
   */
  readonly catalogue?: CatalogueReads;
}

/** The account-independent reads, made once and shared (see `sharedCatalogue`). */
export interface CatalogueReads {
  eventTypes(api: SinksApi): Promise<EventType[]>;
  schemaVersions(api: SinksApi, schemaId: string): Promise<number[]>;
}

/**
 * Twilio's event types and their schemas are the same for every account, so a run over a fleet
 * reads them once, through whichever account asks first. A read that fails (that account's
 * credentials are wrong, say) is forgotten, so the next account reads again with its own.
 */
export function sharedCatalogue(): CatalogueReads {
  let types: Promise<EventType[]> | undefined;
  const versions = new Map<string, Promise<number[]>>();
  return {
    eventTypes(api) {
      const read = (types ??= api.listEventTypes());
      read.catch(() => {
        if (types === read) types = undefined;
      });
      return read;
    },
    schemaVersions(api, schemaId) {
      const read = versions.get(schemaId) ?? api.listSchemaVersions(schemaId);
      versions.set(schemaId, read);
      read.catch(() => {
        if (versions.get(schemaId) === read) versions.delete(schemaId);
      });
      return read;
    },
  };
}

/** Each account reads for itself: what a run of one account uses. */
const OWN_READS: CatalogueReads = {
  eventTypes: (api) => api.listEventTypes(),
  schemaVersions: (api, schemaId) => api.listSchemaVersions(schemaId),
};

/** SubscribedEvents lists in flight at once: one per managed subscription, as Twilio has no bulk read. */
const EVENT_READS_IN_FLIGHT = 16;

/**
 * Reads the account in as few requests as the API allows (SPEC §4, §13):
 * 1. concurrently, every sink (`GET /v1/Sinks`, all pages), every subscription (one paginated list:
 *    it also says which sinks are in use, so no `InUse` listing is needed) and — only when the
 *    repository declares subscriptions — the event-type catalogue (`GET /v1/Types`);
 * 2. then, concurrently and bounded, the events of each subscription this stack manages or the
 *    repository pins (Twilio has no bulk read), and the versions of each schema the repository's
 *    events use.
 * Never one request per sink. Sinks keep the API's order (the planner sorts what it reads).
 */
export async function readRemoteState(api: SinksApi, options: ReadOptions = {}): Promise<RemoteState> {
  const desired = options.desired ?? [];
  const declared = desired.flatMap((d) => d.subscriptions);
  const reads = options.catalogue ?? OWN_READS;
  const [sinks, subscriptions, catalogue] = await Promise.all([
    api.listSinks(),
    api.listSubscriptions(),
    declared.length > 0 ? reads.eventTypes(api) : Promise.resolve(undefined),
  ]);

  const pinned = new Set(declared.flatMap((s) => (s.sid === undefined ? [] : [s.sid])));
  const owns = options.ownsSubscription ?? (() => false);
  const ours = subscriptions.filter((s) => pinned.has(s.sid) || owns(s));
  const eventTypes = catalogue === undefined ? undefined : new Map(catalogue.map((t) => [t.type, t] as const));
  const schemas = schemasUsed(declared.flatMap((s) => s.events.map((e) => e.type)), eventTypes);
  const [events, versions] = await Promise.all([
    boundedMap(ours, EVENT_READS_IN_FLIGHT, async (s) => [s.sid, await api.listSubscribedEvents(s.sid)] as const),
    Promise.all(schemas.map(async (id) => [id, [...(await reads.schemaVersions(api, id))].sort((a, b) => a - b)] as const)),
  ]);

  return {
    sinks,
    ...inUseFrom(subscriptions),
    subscriptions,
    subscribedEvents: new Map<string, readonly SubscribedEvent[]>(events),
    ...(eventTypes === undefined ? {} : { eventTypes }),
    schemaVersions: new Map(versions),
  };
}

/** Which sinks are in use, and by which subscriptions, from the one list of subscriptions. */
function inUseFrom(subscriptions: readonly Subscription[]): Pick<RemoteState, 'inUse' | 'subscriptionsBySink'> {
  const bySink = new Map<string, string[]>();
  for (const s of subscriptions) bySink.set(s.sinkSid, [...(bySink.get(s.sinkSid) ?? []), s.sid]);
  for (const list of bySink.values()) list.sort();
  return { inUse: new Set(bySink.keys()), subscriptionsBySink: bySink };
}

/** The schema ids of the declared types that the catalogue knows, each once, sorted. */
function schemasUsed(types: readonly string[], catalogue: ReadonlyMap<string, EventType> | undefined): string[] {
  if (catalogue === undefined) return [];
  return [...new Set(types.flatMap((t) => catalogue.get(t)?.schemaId ?? []))].sort();
}
