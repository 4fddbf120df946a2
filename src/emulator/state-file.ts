import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SinkopsError } from '../errors.js';
import { fileProblemError, tryReadTextFile } from '../files.js';
import type { AccountRecord, AccountRegistry } from './accounts.js';
import { CATALOGUE } from './event-catalogue.js';
import { Sealer } from './seal.js';
import { FORMAT, parseStateText, VERSION, type AccountJson, type ParsedState, type ResourcesJson, type SinkJson, type SubscriptionJson } from './state-json.js';
import { repeatedTypes, type SinkRecord, type Store } from './store.js';

/**
 * The accounts on disk (`statePath`). Loaded once at start; rewritten after mutations, atomically
 * (temporary file + rename, so a crash leaves the old or the new file, never half of one) and
 * coalesced: mutations that arrive while a write is running share the next write, so a burst of
 * concurrent creates costs two writes, not one per request. A request is answered only after a
 * write that includes its mutation has finished.
 */

/**
 * The emulator writes this file itself, at about 400 bytes a sink (sealed configuration, test
 * events): 10,000 sinks are 4.3 MB, the benchmark's 1,000 accounts of 100 sinks 38 MB. 64 MiB
 * leaves room beyond that, and bounds what a wrong path can cost.
 */
export const MAX_STATE_FILE_BYTES = 64 * 1024 * 1024;

export class StateFile {
  /** Sealed configurations and tokens by record: neither ever changes, so each is sealed once. */
  private readonly sealed = new WeakMap<SinkRecord | AccountRecord, string>();
  private pending: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  private running: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly sealer: Sealer,
    private readonly accounts: AccountRegistry,
  ) {}

  /**
   * Loads `path` into the registry (which holds nothing but an empty main account) when the file
   * exists. Secrets are sealed under a key derived from the main account's `authToken`.
   */
  static async open(path: string, authToken: string, accounts: AccountRegistry): Promise<StateFile> {
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
    if (text === undefined) return new StateFile(path, await Sealer.derive(authToken), accounts);
    const data = parseStateText(path, text);
    const sealer = await Sealer.derive(authToken, Buffer.from(data.salt, 'base64'));
    const file = new StateFile(path, sealer, accounts);
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
    const main = this.accounts.main;
    const accounts: AccountJson[] = [];
    for (const a of this.accounts.all()) {
      if (a === main) continue;
      accounts.push({
        sid: a.sid,
        auth_token_sealed: this.sealOnce(a, a.authToken),
        friendly_name: a.friendlyName,
        status: a.status,
        owner_account_sid: a.ownerAccountSid ?? null,
        date_created: a.dateCreated,
        date_updated: a.dateUpdated,
        ...this.resourcesJson(a.store),
      });
    }
    const seal = { alg: 'aes-256-gcm', kdf: 'scrypt', salt: this.sealer.salt.toString('base64') };
    const { sinks, subscriptions } = this.resourcesJson(main.store);
    return JSON.stringify({ format: FORMAT, version: VERSION, seal, account_sid: main.sid, sinks, subscriptions, accounts }) + '\n';
  }

  private sealOnce(record: SinkRecord | AccountRecord, value: unknown): string {
    let sealed = this.sealed.get(record);
    if (sealed === undefined) this.sealed.set(record, (sealed = this.sealer.seal(value)));
    return sealed;
  }

  private resourcesJson(store: Store): ResourcesJson {
    const sinks: SinkJson[] = [];
    for (const s of store.sinks()) {
      sinks.push({
        sid: s.sid,
        description: s.description,
        sink_type: s.sinkType,
        sink_configuration_sealed: this.sealOnce(s, s.sinkConfiguration),
        status: s.status,
        date_created: s.dateCreated,
        date_updated: s.dateUpdated,
        test_events: s.testEvents.map((e) => ({ test_id: e.testId, date_created: e.dateCreated })),
      });
    }
    const subscriptions: SubscriptionJson[] = [];
    for (const s of store.subscriptions()) {
      const types = [...s.types.values()].map((t) => ({ type: t.type, schema_version: t.schemaVersion }));
      subscriptions.push({ sid: s.sid, description: s.description, sink_sid: s.sinkSid, types, date_created: s.dateCreated, date_updated: s.dateUpdated });
    }
    return { sinks, subscriptions };
  }

  private damaged(message: string): SinkopsError {
    return new SinkopsError('CONFIG', `emulator state file ${this.path} is damaged: ${message}`, { details: ['Delete the file to start with an empty account.'] });
  }

  /** Opens a sealed value; a value that does not open was sealed under another main auth token. */
  private unseal(sealed: string): unknown {
    try {
      return this.sealer.open(sealed);
    } catch {
      throw new SinkopsError('CONFIG', `emulator state file ${this.path} was written by an emulator with another auth token`, {
        details: ['Start the emulator with the same credentials, or delete the file to start with an empty account.'],
      });
    }
  }

  private load(data: ParsedState): void {
    const main = this.accounts.main;
    this.loadResources(main.store, data);
    // In the file's order, which is the registry's: an owner always comes before its subaccounts.
    // A subaccount of the main account written under another main SID (the emulator restarted
    // with another --account-sid, same token) stays the main account's.
    const owned = (a: AccountJson): string | undefined =>
      a.owner_account_sid === null ? undefined : a.owner_account_sid === data.accountSid ? main.sid : a.owner_account_sid;
    for (const a of data.accounts) {
      const token = this.unseal(a.auth_token_sealed);
      if (typeof token !== 'string') throw this.damaged(`account ${a.sid} has no auth token`);
      let account: AccountRecord;
      try {
        account = this.accounts.add({
          sid: a.sid,
          authToken: token,
          friendlyName: a.friendly_name,
          status: a.status,
          ownerAccountSid: owned(a),
          dateCreated: a.date_created,
          dateUpdated: a.date_updated,
        });
      } catch (e) {
        const details = e instanceof SinkopsError ? e.details.join('; ') : String(e);
        throw this.damaged(`account ${a.sid} cannot be loaded (${details})`);
      }
      this.sealed.set(account, a.auth_token_sealed);
      this.loadResources(account.store, a);
    }
  }

  private loadResources(store: Store, data: ResourcesJson): void {
    for (const s of data.sinks) {
      const config = this.unseal(s.sink_configuration_sealed);
      if (typeof config !== 'object' || config === null || Array.isArray(config)) throw this.damaged(`sink ${s.sid} has no configuration object`);
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
      if (store.getSinkOrUndefined(s.sid)) throw this.damaged(`sink ${s.sid} appears twice`);
      store.insertSink(record);
      this.sealed.set(record, s.sink_configuration_sealed);
    }
    for (const s of data.subscriptions) {
      if (!store.getSinkOrUndefined(s.sink_sid)) throw this.damaged(`subscription ${s.sid} names sink ${s.sink_sid}, which is not in its account`);
      const [repeat] = repeatedTypes(s.types);
      if (repeat) throw this.damaged(`subscription ${s.sid} has event type ${repeat.type} twice`);
      const types = s.types.map((t) => ({ type: t.type, schemaVersion: t.schema_version ?? storedVersion(t.type) }));
      store.insertSubscription({ sid: s.sid, description: s.description, sinkSid: s.sink_sid, types, dateCreated: s.date_created, dateUpdated: s.date_updated });
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
