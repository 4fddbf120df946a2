import { SinkopsError } from '../errors.js';
import { isAccountStatus } from './accounts.js';
import { ACCOUNT_SID_PATTERN, type AccountStatus } from './options.js';
import { SINK_SID_PATTERN, SUBSCRIPTION_SID_PATTERN } from './sids.js';
import { isSinkStatus, isSinkType } from './sink-config.js';
import type { SubscribedType } from './store.js';
import { toSubscribedType } from './subscribed-type.js';

/**
 * The state file's JSON (state-file.ts reads and writes it): its shape, and a parser that checks
 * it field by field, since a file on disk may have been edited or damaged.
 */

export const FORMAT = 'sinkops-emulator-state';
/**
 * 2: the main account's sinks and subscriptions at the top (as in 1), the other accounts under
 * `accounts`, each with its own. A version 1 file (one account) still loads; an emulator that
 * reads only 1 refuses a 2 rather than silently dropping its accounts.
 */
export const VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

export interface SinkJson {
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

export interface SubscriptionJson {
  sid: string;
  description: string;
  sink_sid: string;
  types: SubscribedType[];
  date_created: string;
  date_updated: string;
}

export interface ResourcesJson {
  sinks: SinkJson[];
  subscriptions: SubscriptionJson[];
}

/** An account other than the main one. Its auth token is a secret like a sink's configuration, and sealed like one. */
export interface AccountJson extends ResourcesJson {
  sid: string;
  auth_token_sealed: string;
  friendly_name: string;
  status: AccountStatus;
  /** Null for a main account. */
  owner_account_sid: string | null;
  date_created: string;
  date_updated: string;
}


export interface ParsedState extends ResourcesJson {
  salt: string;
  /** The main account's SID when the file was written (version 2; undefined in version 1). */
  accountSid: string | undefined;
  accounts: AccountJson[];
}

/** Checks the file's shape field by field; any surprise is a CONFIG error that names the file. */
export function parseStateText(path: string, text: string): ParsedState {
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
  if (!READABLE_VERSIONS.includes(obj['version'])) fail(`version ${String(obj['version'])} is not supported (expected ${READABLE_VERSIONS.join(' or ')})`);
  const salt = asObject(obj['seal'])?.['salt'];
  if (typeof salt !== 'string') fail('seal.salt is missing');
  /** A field's place in the file: `sinks[0].sid`, or `account_sid` at the top. */
  const at = (where: string, key: string): string => (where === '' ? key : `${where}.${key}`);
  const str = (o: Record<string, unknown>, key: string, where: string): string => {
    const v = o[key];
    return typeof v === 'string' ? v : fail(`${at(where, key)} must be a string`);
  };
  const array = (o: Record<string, unknown>, key: string, where: string): unknown[] => {
    const v = o[key];
    return Array.isArray(v) ? v : fail(`${at(where, key)} must be an array`);
  };
  const accountSid = (o: Record<string, unknown>, key: string, where: string): string => {
    const sid = str(o, key, where);
    return ACCOUNT_SID_PATTERN.test(sid) ? sid : fail(`${at(where, key)} is not an account SID`);
  };

  /** One account's sinks and subscriptions; `account` places them (`accounts[2]`, or '' for the main account). */
  const resources = (o: Record<string, unknown>, account: string): ResourcesJson => {
    const prefix = account === '' ? '' : `${account}.`;
    const sinks = array(o, 'sinks', account).map((item: unknown, i: number): SinkJson => {
      const where = `${prefix}sinks[${i}]`;
      const so = asObject(item) ?? fail(`${where} must be an object`);
      const sid = str(so, 'sid', where);
      if (!SINK_SID_PATTERN.test(sid)) fail(`${where}.sid is not a sink SID`);
      const sinkType = str(so, 'sink_type', where);
      if (!isSinkType(sinkType)) fail(`${where}.sink_type ${sinkType} is unknown`);
      const status = str(so, 'status', where);
      if (!isSinkStatus(status)) fail(`${where}.status ${status} is unknown`);
      return {
        sid,
        description: str(so, 'description', where),
        sink_type: sinkType,
        sink_configuration_sealed: str(so, 'sink_configuration_sealed', where),
        status,
        date_created: str(so, 'date_created', where),
        date_updated: str(so, 'date_updated', where),
        test_events: array(so, 'test_events', where).map((e: unknown, j: number) => {
          const eo = asObject(e) ?? fail(`${where}.test_events[${j}] must be an object`);
          return { test_id: str(eo, 'test_id', `${where}.test_events[${j}]`), date_created: str(eo, 'date_created', `${where}.test_events[${j}]`) };
        }),
      };
    });
    const subscriptions = array(o, 'subscriptions', account).map((item: unknown, i: number): SubscriptionJson => {
      const where = `${prefix}subscriptions[${i}]`;
      const so = asObject(item) ?? fail(`${where} must be an object`);
      const sid = str(so, 'sid', where);
      if (!SUBSCRIPTION_SID_PATTERN.test(sid)) fail(`${where}.sid is not a subscription SID`);
      const types = array(so, 'types', where).map((t: unknown, j: number) => {
        const entry = toSubscribedType(t);
        return typeof entry === 'string' ? fail(`${where}.types[${j}] ${entry}`) : entry;
      });
      return { sid, description: str(so, 'description', where), sink_sid: str(so, 'sink_sid', where), types, date_created: str(so, 'date_created', where), date_updated: str(so, 'date_updated', where) };
    });
    return { sinks, subscriptions };
  };

  const main = resources(obj, '');
  if (obj['version'] === 1) return { salt: salt as string, accountSid: undefined, accounts: [], ...main };
  const accounts = array(obj, 'accounts', '').map((item: unknown, i: number): AccountJson => {
    const where = `accounts[${i}]`;
    const o = asObject(item) ?? fail(`${where} must be an object`);
    const status = str(o, 'status', where);
    if (!isAccountStatus(status)) fail(`${where}.status ${status} is unknown`);
    const owner = o['owner_account_sid'] === null ? null : accountSid(o, 'owner_account_sid', where);
    return {
      sid: accountSid(o, 'sid', where),
      auth_token_sealed: str(o, 'auth_token_sealed', where),
      friendly_name: str(o, 'friendly_name', where),
      status: status as AccountStatus,
      owner_account_sid: owner,
      date_created: str(o, 'date_created', where),
      date_updated: str(o, 'date_updated', where),
      ...resources(o, where),
    };
  });
  return { salt: salt as string, accountSid: accountSid(obj, 'account_sid', ''), accounts, ...main };
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

