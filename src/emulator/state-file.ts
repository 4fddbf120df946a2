import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SinkopsError } from '../errors.js';
import { fileProblemError, tryReadTextFile } from '../files.js';
import { CATALOGUE } from './event-catalogue.js';
import { Sealer } from './seal.js';
import { SINK_SID_PATTERN, SUBSCRIPTION_SID_PATTERN } from './sids.js';
import { isSinkStatus, isSinkType } from './sink-config.js';
import { repeatedTypes, type SinkRecord, type Store, type SubscribedType } from './store.js';
import { toSubscribedType } from './subscribed-type.js';

/**
 * The account on disk (`statePath`). Loaded once at start; rewritten after mutations, atomically
 * (temporary file + rename, so a crash leaves the old or the new file, never half of one) and
 * coalesced: mutations that arrive while a write is running share the next write, so a burst of
 * concurrent creates costs two writes, not one per request. A request is answered only after a
 * write that includes its mutation has finished.
 */

const FORMAT = 'sinkops-emulator-state';
/**
 * The emulator writes this file itself, at about 450 bytes a sink (sealed configuration, test
 * events): 10,000 sinks are 4.3 MB. 64 MiB leaves room for ten times that plus test events, and
 * bounds what a wrong path can cost.
 */
export const MAX_STATE_FILE_BYTES = 64 * 1024 * 1024;
const VERSION = 1;

interface SinkJson {
  sid: string;
  description: string;
  sink_type: string;
  /** The configuration, sealed (see seal.ts). */
  sink_configuration_sealed: string;
  status: string;
  date_created: string;
  date_updated: string;
  test_events: { test_id: string; date_created: string }[];
}

interface SubscriptionJson {
  sid: string;
  description: string;
  sink_sid: string;
  types: SubscribedType[];
  date_created: string;
  date_updated: string;
}

export class StateFile {
  /** Sealed configurations by record: a sink's configuration never changes, so it is sealed once. */
  private readonly sealed = new WeakMap<SinkRecord, string>();
  private pending: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  private running: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly sealer: Sealer,
    private readonly store: Store,
  ) {}

  /** Loads `path` into the (empty) store when the file exists. */
  static async open(path: string, authToken: string, store: Store): Promise<StateFile> {
    const read = tryReadTextFile(path, MAX_STATE_FILE_BYTES);
    let text: string | undefined;
    if (read.ok) text = read.text;
    else if (read.problem.kind !== 'unreadable' || read.problem.errno !== 'ENOENT') {
      throw fileProblemError(path, read.problem, {
        what: 'an emulator state file',
        maxBytes: MAX_STATE_FILE_BYTES,
        code: 'CONFIG',
        details: ['The state file must be a regular file that the emulator wrote. To start with an empty account, use another path, or remove this one if it is a leftover.'],
      });
    }
    if (text === undefined) return new StateFile(path, await Sealer.derive(authToken), store);
    const data = parseStateText(path, text);
    const sealer = await Sealer.derive(authToken, Buffer.from(data.salt, 'base64'));
    const file = new StateFile(path, sealer, store);
    file.load(data);
    return file;
  }

  /** Resolves once the state as it is now (and possibly later) is on disk. */
  commit(): Promise<void> {
    if (!this.pending) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.pending = { promise, resolve, reject };
      this.running ??= this.drain();
    }
    return this.pending.promise;
  }

  /** Waits for every write asked for so far. */
  async flush(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async drain(): Promise<void> {
    try {
      // Yield once so that mutations made in the same turn of the event loop share this write.
      await new Promise<void>((r) => setImmediate(r));
      while (this.pending) {
        const batch = this.pending;
        this.pending = undefined;
        try {
          await writeAtomically(this.path, this.serialize());
          batch.resolve();
        } catch (e) {
          batch.reject(e);
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  private serialize(): string {
    const sinks: SinkJson[] = [];
    for (const s of this.store.sinks()) {
      let sealed = this.sealed.get(s);
      if (sealed === undefined) this.sealed.set(s, (sealed = this.sealer.seal(s.sinkConfiguration)));
      sinks.push({
        sid: s.sid,
        description: s.description,
        sink_type: s.sinkType,
        sink_configuration_sealed: sealed,
        status: s.status,
        date_created: s.dateCreated,
        date_updated: s.dateUpdated,
        test_events: s.testEvents.map((e) => ({ test_id: e.testId, date_created: e.dateCreated })),
      });
    }
    const subscriptions: SubscriptionJson[] = [];
    for (const s of this.store.subscriptions()) {
      const types = [...s.types.values()].map((t) => ({ type: t.type, schema_version: t.schemaVersion }));
      subscriptions.push({ sid: s.sid, description: s.description, sink_sid: s.sinkSid, types, date_created: s.dateCreated, date_updated: s.dateUpdated });
    }
    const seal = { alg: 'aes-256-gcm', kdf: 'scrypt', salt: this.sealer.salt.toString('base64') };
    return JSON.stringify({ format: FORMAT, version: VERSION, seal, sinks, subscriptions }) + '\n';
  }

  private load(data: ParsedState): void {
    const problem = (message: string): SinkopsError =>
      new SinkopsError('CONFIG', `emulator state file ${this.path} is damaged: ${message}`, { details: ['Delete the file to start with an empty account.'] });
    for (const s of data.sinks) {
      let config: unknown;
      try {
        config = this.sealer.open(s.sink_configuration_sealed);
      } catch {
        throw new SinkopsError('CONFIG', `emulator state file ${this.path} was written by an emulator with another auth token`, {
          details: ['Start the emulator with the same credentials, or delete the file to start with an empty account.'],
        });
      }
      if (typeof config !== 'object' || config === null || Array.isArray(config)) throw problem(`sink ${s.sid} has no configuration object`);
      const record: SinkRecord = {
        sid: s.sid,
        description: s.description,
        sinkType: s.sink_type,
        sinkConfiguration: config as Record<string, unknown>,
        status: s.status,
        dateCreated: s.date_created,
        dateUpdated: s.date_updated,
        testEvents: s.test_events.map((e) => ({ testId: e.test_id, dateCreated: e.date_created })),
      };
      if (this.store.getSinkOrUndefined(s.sid)) throw problem(`sink ${s.sid} appears twice`);
      this.store.insertSink(record);
      this.sealed.set(record, s.sink_configuration_sealed);
    }
    for (const s of data.subscriptions) {
      if (!this.store.getSinkOrUndefined(s.sink_sid)) throw problem(`subscription ${s.sid} names sink ${s.sink_sid}, which is not in the file`);
      const [repeat] = repeatedTypes(s.types);
      if (repeat) throw problem(`subscription ${s.sid} has event type ${repeat.type} twice`);
      const types = s.types.map((t) => ({ type: t.type, schemaVersion: t.schema_version ?? storedVersion(t.type) }));
      this.store.insertSubscription({ sid: s.sid, description: s.description, sinkSid: s.sink_sid, types, dateCreated: s.date_created, dateUpdated: s.date_updated });
    }
  }
}

/**
 * The version of a type stored without one. Emulators before the catalogue kept `Types` entries as
 * sent, version or not, and did not check the type; such a file still loads: a known type gets its
 * schema's latest version (what Twilio uses when none is given), an unknown one version 1.
 */
function storedVersion(type: string): number {
  const known = CATALOGUE.getType(type);
  return known ? CATALOGUE.latest(CATALOGUE.getSchema(known.schemaId)!).version : 1;
}

interface ParsedState {
  salt: string;
  sinks: SinkJson[];
  subscriptions: SubscriptionJson[];
}

/** Checks the file's shape field by field; any surprise is a CONFIG error that names the file. */
function parseStateText(path: string, text: string): ParsedState {
  const fail = (message: string): never => {
    throw new SinkopsError('CONFIG', `emulator state file ${path} is damaged: ${message}`, { details: ['Delete the file to start with an empty account.'] });
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message})`);
  }
  const obj = asObject(raw) ?? fail('not a JSON object');
  if (obj['format'] !== FORMAT) fail(`not an emulator state file (format is not "${FORMAT}")`);
  if (obj['version'] !== VERSION) fail(`version ${String(obj['version'])} is not supported (expected ${VERSION})`);
  const salt = asObject(obj['seal'])?.['salt'];
  if (typeof salt !== 'string') fail('seal.salt is missing');
  const str = (o: Record<string, unknown>, key: string, where: string): string => {
    const v = o[key];
    return typeof v === 'string' ? v : fail(`${where}.${key} must be a string`);
  };
  const sinks = (Array.isArray(obj['sinks']) ? obj['sinks'] : fail('sinks must be an array')).map((item: unknown, i: number): SinkJson => {
    const where = `sinks[${i}]`;
    const o = asObject(item) ?? fail(`${where} must be an object`);
    const sid = str(o, 'sid', where);
    if (!SINK_SID_PATTERN.test(sid)) fail(`${where}.sid is not a sink SID`);
    const sinkType = str(o, 'sink_type', where);
    if (!isSinkType(sinkType)) fail(`${where}.sink_type ${sinkType} is unknown`);
    const status = str(o, 'status', where);
    if (!isSinkStatus(status)) fail(`${where}.status ${status} is unknown`);
    const events = Array.isArray(o['test_events']) ? o['test_events'] : fail(`${where}.test_events must be an array`);
    return {
      sid,
      description: str(o, 'description', where),
      sink_type: sinkType,
      sink_configuration_sealed: str(o, 'sink_configuration_sealed', where),
      status,
      date_created: str(o, 'date_created', where),
      date_updated: str(o, 'date_updated', where),
      test_events: events.map((e: unknown, j: number) => {
        const eo = asObject(e) ?? fail(`${where}.test_events[${j}] must be an object`);
        return { test_id: str(eo, 'test_id', `${where}.test_events[${j}]`), date_created: str(eo, 'date_created', `${where}.test_events[${j}]`) };
      }),
    };
  });
  const subscriptions = (Array.isArray(obj['subscriptions']) ? obj['subscriptions'] : fail('subscriptions must be an array')).map(
    (item: unknown, i: number): SubscriptionJson => {
      const where = `subscriptions[${i}]`;
      const o = asObject(item) ?? fail(`${where} must be an object`);
      const sid = str(o, 'sid', where);
      if (!SUBSCRIPTION_SID_PATTERN.test(sid)) fail(`${where}.sid is not a subscription SID`);
      const types = (Array.isArray(o['types']) ? o['types'] : fail(`${where}.types must be an array`)).map((t: unknown, j: number) => {
        const entry = toSubscribedType(t);
        return typeof entry === 'string' ? fail(`${where}.types[${j}] ${entry}`) : entry;
      });
      return { sid, description: str(o, 'description', where), sink_sid: str(o, 'sink_sid', where), types, date_created: str(o, 'date_created', where), date_updated: str(o, 'date_updated', where) };
    },
  );
  return { salt: salt as string, sinks, subscriptions };
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}
