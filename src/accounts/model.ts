/**
 * sinkops.yaml as data (SPEC §14): named accounts and fleets as declared, and the targets —
 * the accounts a run plans and applies — they expand to. Credentials appear here only as the
 * names of environment variables; their values are read when a target's `credentials(env)` is
 * called, and never kept in a field anything could print.
 */

/** A place in sinkops.yaml; line and column are 1-based. */
export interface SourceSpot {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Names of environment variables, as sinkops.yaml gives them: never the credentials themselves. */
export interface CredentialNames {
  readonly api_key?: string;
  readonly api_secret?: string;
  readonly account_sid?: string;
  readonly auth_token?: string;
}

export interface NamedAccountSpec {
  readonly name: string;
  /** Repository-relative, normalised (`sinks/production`): never absolute, never out through `..`. */
  readonly dir: string;
  /** One complete pair: api_key + api_secret (account_sid optional), or account_sid + auth_token. */
  readonly credentials: CredentialNames;
  /** Where the entry starts (its `name`). */
  readonly at: SourceSpot;
  /** Where `credentials:` is written: errors about a variable that is not set point here. */
  readonly credentialsAt: SourceSpot;
}

export const SUBACCOUNT_STATUSES = ['active', 'suspended', 'closed'] as const;
export type SubaccountStatus = (typeof SUBACCOUNT_STATUSES)[number];

export interface SubaccountFilter {
  /** A glob on the friendly name: `*` any run of characters, `?` any one character. Left out: every name. */
  readonly friendly_name?: string;
  /** Left out: `active` (see DEFAULT_SUBACCOUNT_STATUS). */
  readonly status?: SubaccountStatus;
}

/** The status a fleet's subaccounts must have when its filter does not say. */
export const DEFAULT_SUBACCOUNT_STATUS: SubaccountStatus = 'active';

export interface FleetSpec {
  readonly name: string;
  readonly dir: string;
  /** The main account's: account_sid + auth_token, or api_key + api_secret with account_sid (whose subaccounts are the fleet's). */
  readonly parent: CredentialNames;
  readonly subaccounts: SubaccountFilter;
  readonly at: SourceSpot;
  /** Where `parent:` is written. */
  readonly parentAt: SourceSpot;
}

export interface RepoConfig {
  /** The file as messages show it: `sinkops.yaml`. */
  readonly file: string;
  readonly accounts: readonly NamedAccountSpec[];
  readonly fleets: readonly FleetSpec[];
}

/** Basic-auth credentials of one account (the shape of TwilioConfig's). Never printed. */
export interface AccountCredentials {
  readonly username: string;
  readonly password: string;
  readonly accountSid?: string;
}

/** What `${account.sid}` and `${account.friendly_name}` expand to for a fleet member. */
export interface AccountVars {
  readonly sid: string;
  readonly friendly_name: string;
}

export interface AccountTarget {
  /** `production`, or `customers/cust-a` for a fleet member: terminal-safe by construction. */
  readonly name: string;
  /** Repository-relative, as normalised from sinkops.yaml. */
  readonly dir: string;
  /** The fleet's name, for a fleet member. */
  readonly fleet?: string;
  /** A fleet member's: what its sinks are stamped with (the friendly name is Twilio's, as it is: escape it to show it). */
  readonly vars?: AccountVars;
  /**
   * The account's credentials. A named account's are read from `env` (the variables sinkops.yaml
   * names): SinkopsError CONFIG naming the account and the variables when one is not set, never a
   * value. A fleet member's come from the Accounts API listing, held in a closure, not a field.
   */
  credentials(env: Readonly<Record<string, string | undefined>>): AccountCredentials;
}
