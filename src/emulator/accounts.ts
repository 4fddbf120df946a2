import { SinkopsError } from '../errors.js';
import type { Credentials } from './auth.js';
import { ACCOUNT_SID_PATTERN, ACCOUNT_STATUSES, type AccountStatus } from './options.js';
import { OrderedTable, type Cursor, type TablePage } from './ordered-table.js';
import { AUTH_TOKEN_PATTERN, isoNow, newAuthToken, newSid } from './sids.js';
import { Store, type AccountRules } from './store.js';

/**
 * The accounts the emulator serves (SPEC §14), each with its own credentials and its own Store
 * (sinks, subscriptions, and a sink limit of its own). The emulator's own account, the *main* one,
 * always exists; others come from the seed, the state file, `POST /2010-04-01/Accounts.json` or
 * `RunningEmulator.addAccount`. An account either has no owner (a main account: Twilio shows its
 * `owner_account_sid` as its own SID) or is a subaccount of a main account. Subaccounts have no
 * subaccounts of their own, as on Twilio.
 */

/** Twilio's limit on an account's `friendly_name`. */
export const MAX_FRIENDLY_NAME_LENGTH = 64;

export interface AccountRecord {
  readonly sid: string;
  readonly authToken: string;
  friendlyName: string;
  status: AccountStatus;
  /** The main account that owns this subaccount; undefined for a main account. */
  readonly ownerAccountSid: string | undefined;
  readonly dateCreated: string;
  dateUpdated: string;
  readonly store: Store;
}

/** An account to add; what is left out is made up (random SID and token, `active`, now). */
export interface NewAccount {
  readonly friendlyName: string;
  readonly sid?: string | undefined;
  readonly authToken?: string | undefined;
  readonly status?: AccountStatus | undefined;
  readonly ownerAccountSid?: string | undefined;
  readonly dateCreated?: string | undefined;
  readonly dateUpdated?: string | undefined;
}

export interface AccountFilter {
  readonly friendlyName?: string;
  readonly status?: AccountStatus;
}

export function isAccountStatus(value: unknown): value is AccountStatus {
  return typeof value === 'string' && (ACCOUNT_STATUSES as readonly string[]).includes(value);
}

/** Field checks shared by seeds and `addAccount`; each returns a problem or undefined. */
export const accountFieldProblem = {
  sid: (v: unknown): string | undefined => (typeof v === 'string' && ACCOUNT_SID_PATTERN.test(v) ? undefined : 'must be AC followed by 32 hexadecimal digits'),
  authToken: (v: unknown): string | undefined => (typeof v === 'string' && AUTH_TOKEN_PATTERN.test(v) ? undefined : 'must be 32 hexadecimal digits (an auth token as Twilio issues them)'),
  friendlyName: (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' && v.length <= MAX_FRIENDLY_NAME_LENGTH ? undefined : `must be a non-empty string of at most ${MAX_FRIENDLY_NAME_LENGTH} characters`,
  status: (v: unknown): string | undefined => (isAccountStatus(v) ? undefined : `must be one of ${ACCOUNT_STATUSES.join(', ')}`),
} as const;

export class AccountRegistry {
  /** In creation order, the main account first: the order of the Accounts list. */
  private readonly table = new OrderedTable<AccountRecord>();
  readonly main: AccountRecord;

  /** The main account's token may be anything non-empty (a fixed test value by default); others are Twilio-shaped. */
  constructor(
    main: { readonly sid: string; readonly authToken: string; readonly friendlyName: string },
    readonly rules: AccountRules,
    private readonly credentials: Credentials,
  ) {
    this.main = this.insert({ sid: main.sid, authToken: main.authToken, friendlyName: main.friendlyName, status: 'active', ownerAccountSid: undefined });
  }

  get size(): number {
    return this.table.size;
  }

  /** Nothing but an empty main account: what a seed is applied to. */
  get isEmpty(): boolean {
    return this.table.size === 1 && this.main.store.isEmpty;
  }

  get(sid: string): AccountRecord | undefined {
    return this.table.get(sid);
  }

  all(): IterableIterator<AccountRecord> {
    return this.table.values();
  }

  /** Adds an account after checking it; throws a CONFIG error listing what is wrong. */
  add(input: NewAccount): AccountRecord {
    const problems: string[] = [];
    const check = (field: keyof typeof accountFieldProblem, value: unknown): void => {
      const problem = value === undefined && field !== 'friendlyName' ? undefined : accountFieldProblem[field](value);
      if (problem !== undefined) problems.push(`${field} ${problem}`);
    };
    check('sid', input.sid);
    check('authToken', input.authToken);
    check('friendlyName', input.friendlyName);
    check('status', input.status);
    if (input.sid !== undefined && this.table.has(input.sid)) problems.push(`sid ${input.sid} is taken by another account`);
    const owner = input.ownerAccountSid;
    if (owner !== undefined) {
      const found = this.table.get(owner);
      if (!found) problems.push(`ownerAccountSid ${owner} is not an account of this emulator`);
      else if (found.ownerAccountSid !== undefined) problems.push(`ownerAccountSid ${owner} is a subaccount, and subaccounts cannot own accounts`);
    }
    if (problems.length > 0) throw new SinkopsError('CONFIG', 'invalid emulator account', { details: problems });
    return this.insert({
      sid: input.sid ?? this.freshSid(),
      authToken: input.authToken ?? newAuthToken(),
      friendlyName: input.friendlyName,
      status: input.status ?? 'active',
      ownerAccountSid: owner,
      ...(input.dateCreated === undefined ? {} : { dateCreated: input.dateCreated }),
      ...(input.dateUpdated === undefined ? {} : { dateUpdated: input.dateUpdated }),
    });
  }

  /** The account `sid` if `caller` may see it: itself, or one of its subaccounts. */
  visibleTo(caller: AccountRecord, sid: string): AccountRecord | undefined {
    const account = this.table.get(sid);
    return account && (account === caller || account.ownerAccountSid === caller.sid) ? account : undefined;
  }

  /** One page of the accounts `caller` sees (itself and its subaccounts) that pass `filter`. */
  list(caller: AccountRecord, filter: AccountFilter, pageSize: number, cursor: Cursor | undefined): TablePage<AccountRecord> {
    const { friendlyName, status } = filter;
    return this.table.page(
      (a) =>
        (a === caller || a.ownerAccountSid === caller.sid) &&
        (friendlyName === undefined || a.friendlyName === friendlyName) &&
        (status === undefined || a.status === status),
      pageSize,
      cursor,
    );
  }

  private insert(fields: Omit<AccountRecord, 'store' | 'dateCreated' | 'dateUpdated'> & { dateCreated?: string; dateUpdated?: string }): AccountRecord {
    const now = isoNow();
    const record: AccountRecord = {
      ...fields,
      dateCreated: fields.dateCreated ?? now,
      dateUpdated: fields.dateUpdated ?? fields.dateCreated ?? now,
      store: new Store(this.rules),
    };
    this.table.add(record.sid, record);
    this.credentials.set(record.sid, record.authToken, record.sid);
    return record;
  }

  private freshSid(): string {
    let sid: string;
    do sid = newSid('AC');
    while (this.table.has(sid));
    return sid;
  }
}
