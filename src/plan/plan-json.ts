/**
 * The wire form of a plan (SPEC §6): what `plan --format json` prints and `plan --out` saves.
 * snake_case keys; sensitive values as "(sensitive value)" with their `${VAR}` template in
 * `sensitive_refs`, so a saved plan carries everything apply needs except the secrets themselves.
 * schemas/plan.schema.json describes it; readers check `format_version`. The codec
 * (src/plan/codec.ts) writes and reads it.
 */
import type { ActionKind, PlanErrorCode, PlanWarningCode, SubscriptionActionKind, SubscriptionReason } from './model.js';

/** 2 from sinkops 0.2: subscription actions (SPEC §6, §13). */
export const PLAN_FORMAT_VERSION = 2;

export type JsonScalar = string | number | boolean;

export interface JsonSource {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface JsonChange {
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
  readonly forces_replacement: boolean;
  readonly sensitive: boolean;
}

export type JsonReason =
  | { readonly kind: 'new' }
  | { readonly kind: 'fields-changed' }
  | { readonly kind: 'pinned'; readonly sid: string }
  | { readonly kind: 'renamed'; readonly from: string }
  | { readonly kind: 'replace-requested' }
  | { readonly kind: 'pruned' }
  | { readonly kind: 'duplicate-marker'; readonly keep: string }
  | { readonly kind: 'in-use'; readonly subscriptions: readonly string[] };

export interface JsonAfter {
  /** The full description sent to Twilio, marker included. */
  readonly description: string;
  readonly sink_configuration: Readonly<Record<string, JsonScalar>>;
}

export interface JsonAction {
  readonly action: ActionKind;
  readonly name: string;
  /** The sink acted on; absent for create. */
  readonly sid?: string;
  /** The desired type, or for delete / blocked-delete the remote one. */
  readonly sink_type: string;
  readonly source?: JsonSource;
  /** Remote status of the sink acted on. */
  readonly status?: string;
  readonly reasons: readonly JsonReason[];
  readonly changes: readonly JsonChange[];
  readonly after?: JsonAfter;
  /** Sensitive keys of `after.sink_configuration`: the `${VAR}` template, or null for a literal in the repository. */
  readonly sensitive_refs?: Readonly<Record<string, string | null>>;
  /** sinkFingerprint of the sink when planned: apply refuses to act on a sink that changed since. */
  readonly before_fingerprint?: string;
  /** The acted-on sink's type, when it differs from `sink_type` (a replace that changes the type). */
  readonly before_sink_type?: string;
  /** adopt: the configuration differs too, so the adopted sink is replaced. */
  readonly replace?: boolean;
  /** replace / adopt with replace: the old sink is deleted first, to stay within the sink limit. */
  readonly delete_first?: true;
  /** delete: runs before the creates, to free the slots they need. */
  readonly before_creates?: true;
  /** blocked: */
  readonly intended?: 'delete' | 'replace' | 'adopt';
  readonly reason?: string;
  readonly subscriptions?: readonly string[];
}

/** One event of a subscription action: added (`after` only), removed (`before` only), or a new version. */
export interface JsonEventChange {
  readonly type: string;
  readonly before?: number;
  readonly after?: number;
}

export interface JsonSubscriptionAction {
  readonly action: SubscriptionActionKind;
  /** The name of the sink it belongs to. */
  readonly sink: string;
  readonly name: string;
  /** The subscription acted on (for a move: the old one); absent for create. */
  readonly sid?: string;
  /** The sink that subscription delivers to now. */
  readonly sink_sid?: string;
  /** create, move: the existing sink it goes to; absent when it goes to the sink the apply creates. */
  readonly to_sink_sid?: string;
  readonly source?: JsonSource;
  readonly reason: SubscriptionReason;
  readonly changes: readonly JsonChange[];
  readonly events: readonly JsonEventChange[];
  readonly after?: { readonly description: string; readonly events: readonly { readonly type: string; readonly schema_version: number }[] };
  readonly before_fingerprint?: string;
}

export interface JsonPlan {
  readonly format_version: typeof PLAN_FORMAT_VERSION;
  readonly summary: Readonly<Record<ActionKind, number>>;
  readonly actions: readonly JsonAction[];
  readonly unmanaged: readonly { readonly sid: string; readonly description: string; readonly sink_type: string; readonly status: string }[];
  readonly basis: string;
  /** planHash of the plan (src/plan/plan-hash.ts): what apply would do. Absent in files written before it existed. */
  readonly plan_hash?: string;
  /** The account's sinks now and at the apply's peak, against its limit. Absent in files written before. */
  readonly sink_count?: { readonly limit: number; readonly now: number; readonly peak: number };
  readonly subscription_summary: Readonly<Record<SubscriptionActionKind, number>>;
  /** In the one documented order (src/plan/order.ts); noops only with --verbose. */
  readonly subscription_actions: readonly JsonSubscriptionAction[];
  readonly warnings: readonly {
    readonly code: PlanWarningCode;
    readonly message: string;
    readonly name?: string;
    readonly sid?: string;
    readonly source?: JsonSource;
  }[];
  readonly errors: readonly { readonly code: PlanErrorCode; readonly message: string; readonly name: string; readonly source: JsonSource }[];
}
