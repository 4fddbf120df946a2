/**
 * The desired state: what the repository says the sinks should be, validated and positioned.
 * Plain, immutable data. Produced by the loader, consumed by the planner and renderers.
 */

export const SINK_TYPES = ['kinesis', 'webhook', 'segment'] as const;
export type SinkType = (typeof SINK_TYPES)[number];

export function isSinkType(value: string): value is SinkType {
  return (SINK_TYPES as readonly string[]).includes(value);
}

/**
 * Configuration keys whose values are secrets wherever they come from (the repository, Twilio):
 * never printed, logged, hashed or written to a plan file (SPEC §2).
 */
export const SECRET_CONFIG_KEYS: ReadonlySet<string> = new Set(['external_id', 'write_key']);

/** A place in a YAML source file; line and column are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * What a fleet's sinks may reference (SPEC §14): `${account.sid}` and `${account.friendly_name}`,
 * the SID and friendly name of each subaccount the sinks are stamped onto.
 */
export const ACCOUNT_VARS = ['sid', 'friendly_name'] as const;
export type AccountVar = (typeof ACCOUNT_VARS)[number];

/**
 * Text whose account references are still open: runs of text and references, in order. Stamping
 * (src/desired/stamp.ts) joins them for one account and never reads the inserted text again.
 */
export type AccountText = readonly (string | { readonly account: AccountVar })[];

/** A description that references the account, as loaded with `accountRefs` and not yet stamped. */
export interface UnstampedText {
  /** The runs are the description's final text (nothing in them is interpreted any more). */
  readonly parts: AccountText;
  /** Where the description is written: errors in what stamping makes of it point here. */
  readonly source: SourceLocation;
}

/**
 * One value of `sink_configuration`.
 * - `value` is the resolved value; `undefined` means *unknown*: it referenced an environment
 *   variable that is not set (a warning during plan, an error during apply).
 * - `sensitive` values are never printed, logged, or written to a plan file or comment.
 * - `template` is the raw string as written when it used `${…}` references; a saved plan keeps
 *   the template (never the value) so that apply can resolve it again from its own environment.
 */
export interface ConfigValue {
  readonly value: string | number | boolean | undefined;
  readonly sensitive: boolean;
  readonly template?: string;
  /** Names of the environment variables the template referenced. */
  readonly envRefs: readonly string[];
  /**
   * Only before stamping, in a fleet's sinks loaded with `accountRefs`, for a string that
   * references the account: `value` above is then undefined, and these hold what stamping fills in.
   */
  readonly unstamped?: UnstampedConfig;
}

/** A sink_configuration string that references the account, before stamping. */
export interface UnstampedConfig {
  /** The value with `${NAME}` resolved and the account left open; undefined when a variable is not set. */
  readonly value: AccountText | undefined;
  /** Present when the string also uses `${NAME}`: the template's runs, still in `${NAME}` syntax. */
  readonly template?: AccountText;
  /** Where the value is written. */
  readonly source: SourceLocation;
}

/** One event a subscription delivers (SPEC §13): `type: version` under `events:`. */
export interface DesiredEvent {
  /** Twilio's event type, for example `com.twilio.messaging.message.delivered`. */
  readonly type: string;
  /** The schema version to deliver it in (a whole number ≥ 1). */
  readonly schemaVersion: number;
  /** Where the type is written (the key under `events:`): plan errors about it point here. */
  readonly source: SourceLocation;
}

/**
 * A Subscription declared under its sink (SPEC §2, §13). Its marker is
 * `[sinkops:<sink>#<name>]`, so its name is unique within its sink.
 */
export interface DesiredSubscription {
  /** Unique within its sink; the same rule as a sink name. */
  readonly name: string;
  /** Twilio's Description, without the ownership marker. */
  readonly description: string;
  /** At least one, sorted by type, each type once. */
  readonly events: readonly DesiredEvent[];
  /** Adopt this existing subscription (DF + 32 hex digits) instead of creating one. */
  readonly sid?: string;
  /** Where the subscription's entry starts (its `name` key when present). */
  readonly source: SourceLocation;
  /** Only before stamping, when the description references the account; `description` is then as written. */
  readonly unstampedDescription?: UnstampedText;
}

export interface DesiredSink {
  /** The stable key: unique in the repository, carried in the ownership marker. */
  readonly name: string;
  /** Twilio's Description, without the ownership marker. */
  readonly description: string;
  readonly sinkType: SinkType;
  /** With defaults applied (webhook `method: POST`), so that comparison is semantic. */
  readonly sinkConfiguration: Readonly<Record<string, ConfigValue>>;
  /** Adopt this existing sink instead of creating one. */
  readonly sid?: string;
  /** The subscriptions that deliver events to it, sorted by name; empty when it declares none. */
  readonly subscriptions: readonly DesiredSubscription[];
  /** Where the document starts (the `name` key's position when present). */
  readonly source: SourceLocation;
  /** Only before stamping, when the description references the account; `description` is then as written. */
  readonly unstampedDescription?: UnstampedText;
}

export type Severity = 'error' | 'warning';

export type DiagnosticCode =
  | 'YAML_SYNTAX'
  | 'SCHEMA'
  | 'UNKNOWN_KEY'
  | 'DUPLICATE_NAME'
  | 'EMPTY_DOCUMENT'
  | 'NOT_A_MAPPING'
  | 'ENV_MISSING'
  | 'RESERVED_VARIABLE'
  | 'LITERAL_SECRET'
  | 'FILE_TOO_LARGE'
  | 'BINARY_FILE'
  | 'NOT_UTF8'
  | 'SYMLINK_OUTSIDE'
  | 'ALIAS_LIMIT'
  | 'READ_ERROR'
  | 'NO_FILES'
  | 'ACCOUNT_REF';

/** A problem in the user's input, located in its source. Collected, never thrown one by one. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface DesiredState {
  readonly sinks: readonly DesiredSink[];
  /** Errors and warnings, sorted by file, line, column. */
  readonly diagnostics: readonly Diagnostic[];
  /** Files read, relative to the working directory. */
  readonly files: readonly string[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:column: severity: message` — the one format every located message uses. */
export function formatDiagnostic(d: Pick<Diagnostic, 'severity' | 'message' | 'file' | 'line' | 'column'>): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}
