/**
 * The plan: readonly data that every renderer and the executor read. The planner (src/plan/plan.ts)
 * is the only producer; nothing downstream computes diffs again.
 */
import type { ConfigValue, SinkType, SourceLocation } from '../desired/model.js';
import type { RemoteSink, SubscribedEvent, Subscription } from '../remote/model.js';
import type { ActionKind } from './action.js';

export type { ActionKind } from './action.js';

/** What a sink should look like once an action is applied. */
export interface SinkSpec {
  /** The full description sent to Twilio, ownership marker included. */
  readonly description: string;
  readonly sinkType: SinkType;
  readonly sinkConfiguration: Readonly<Record<string, ConfigValue>>;
}

/** Why a field is in an action (the renderers read these; they never compare values themselves). */
export interface FieldChange {
  /** `description`, `sink_type` or `sink_configuration.<key>`. */
  readonly path: string;
  /** Old value as displayed: sensitive values are already `(sensitive value)`; absent when added. */
  readonly before?: string;
  /** New value as displayed; `(known after apply)`-like text is never used: unknown is a warning. */
  readonly after?: string;
  /** Immutable fields (type, configuration) force a replacement. */
  readonly forcesReplacement: boolean;
  readonly sensitive: boolean;
}

/** Why an action exists, beyond its field changes. */
export type ActionReason =
  | { readonly kind: 'new' } // create: no managed sink carries the name's marker
  | { readonly kind: 'fields-changed' } // update / replace: see `changes`
  | { readonly kind: 'pinned'; readonly sid: string } // adopt: `sid:` pins an unmanaged sink
  | { readonly kind: 'renamed'; readonly from: string } // the marker follows a `sid:` pin to a new name
  | { readonly kind: 'replace-requested' } // replace: `--replace NAME` asked for a new sink
  | { readonly kind: 'pruned' } // delete: the name left the repository
  | { readonly kind: 'duplicate-marker'; readonly keep: string } // delete: another sink with this marker is kept
  | { readonly kind: 'in-use'; readonly subscriptions: readonly string[] }; // blocked

interface ActionBase {
  /** The desired name, or for deletes the name read from the marker. */
  readonly name: string;
  readonly reasons: readonly ActionReason[];
  /** Field-level differences, in a stable order; empty for create / delete / noop. */
  readonly changes: readonly FieldChange[];
}

export interface CreateAction extends ActionBase {
  readonly action: 'create';
  readonly source: SourceLocation;
  readonly after: SinkSpec;
}

export interface UpdateAction extends ActionBase {
  readonly action: 'update';
  readonly source: SourceLocation;
  readonly sid: string;
  readonly before: RemoteSink;
  readonly after: SinkSpec;
}

export interface AdoptAction extends ActionBase {
  readonly action: 'adopt';
  readonly source: SourceLocation;
  readonly sid: string;
  readonly before: RemoteSink;
  readonly after: SinkSpec;
  /** The configuration differs too: the adopted sink is replaced (new first, then the old deleted). */
  readonly replace: boolean;
  /** With `replace`: the old sink is deleted before the new one is created, to stay within the sink limit. */
  readonly deleteFirst?: boolean;
}

export interface ReplaceAction extends ActionBase {
  readonly action: 'replace';
  readonly source: SourceLocation;
  readonly sid: string;
  readonly before: RemoteSink;
  readonly after: SinkSpec;
  /**
   * The old sink is deleted before the new one is created, and before the creates: the account has
   * no free slot for both (SPEC §12). Only ever set for a sink no subscription uses.
   */
  readonly deleteFirst?: boolean;
}

export interface DeleteAction extends ActionBase {
  readonly action: 'delete';
  readonly sid: string;
  readonly before: RemoteSink;
  /** Runs before the creates, to free the slots they need under the sink limit (SPEC §12). */
  readonly beforeCreates?: boolean;
}

export interface NoopAction extends ActionBase {
  readonly action: 'noop';
  readonly source: SourceLocation;
  readonly sid: string;
  readonly before: RemoteSink;
}

/** A delete, or the delete half of a replace, of a sink a Subscription uses: not planned. */
export interface BlockedAction extends ActionBase {
  readonly action: 'blocked';
  readonly intended: 'delete' | 'replace' | 'adopt';
  readonly sid: string;
  readonly before: RemoteSink;
  /** One line for humans: `in use by subscription DF…`. */
  readonly reason: string;
  readonly subscriptions: readonly string[];
  readonly source?: SourceLocation;
}

export type PlannedAction =
  | CreateAction
  | UpdateAction
  | AdoptAction
  | ReplaceAction
  | DeleteAction
  | NoopAction
  | BlockedAction;

/** One event of a subscription action: added (`after` only), removed (`before` only) or a new version. */
export interface EventChange {
  readonly type: string;
  readonly before?: number;
  readonly after?: number;
}

/** What a subscription should look like once an action is applied. */
export interface SubscriptionSpec {
  /** The full description sent to Twilio, ownership marker included. */
  readonly description: string;
  /** Sorted by type. */
  readonly events: readonly SubscribedEvent[];
}

/** A remote subscription as the plan saw it, with its events. */
export interface SubscriptionState extends Subscription {
  readonly events: readonly SubscribedEvent[];
}

export const SUBSCRIPTION_ACTION_KINDS = ['create', 'update', 'move', 'delete', 'noop'] as const;
export type SubscriptionActionKind = (typeof SUBSCRIPTION_ACTION_KINDS)[number];

/** Why a subscription action exists. */
export type SubscriptionReason =
  | 'new' // declared, and no subscription carries its marker
  | 'changed' // its description or events differ
  | 'pinned' // `sid:` adopts it: the marker is added
  | 'sink-replaced' // move: its sink is replaced, and Twilio cannot change a subscription's sink
  | 'other-sink' // move: it delivers to another sink than its own (an interrupted move, or a Console edit)
  | 'duplicate' // delete: another subscription with its marker is kept
  | 'pruned'; // delete: no longer in the repository

/**
 * A change to one Subscription (SPEC §13). Twilio fixes a subscription's sink when it is created,
 * so `move` is a create on the sink it belongs to, then a delete of the old one.
 */
export interface SubscriptionAction {
  readonly action: SubscriptionActionKind;
  /** The name of the sink it belongs to (declared, or read from its marker). */
  readonly sink: string;
  readonly name: string;
  /** The remote subscription acted on (for a move: the old one); absent for create. */
  readonly before?: SubscriptionState;
  /** create, update, move: what it should be. */
  readonly after?: SubscriptionSpec;
  /**
   * create, move: the SID of the sink it goes to when that sink exists and is kept; absent when it
   * goes to the sink this apply creates for `sink` (a create or a replacement).
   */
  readonly sinkSid?: string;
  readonly reason: SubscriptionReason;
  /** The description, when it changes. */
  readonly changes: readonly FieldChange[];
  /** Sorted by type; for a move, relative to the old subscription. */
  readonly events: readonly EventChange[];
  readonly source?: SourceLocation;
}

export type SubscriptionSummary = Readonly<Record<SubscriptionActionKind, number>>;

export type PlanWarningCode =
  | 'UNKNOWN_SENSITIVE' // a sensitive value's variable is absent: compared as unknown
  | 'LOOKALIKE_UNMANAGED' // an unmanaged sink matches a desired one: pin its SID to adopt it
  | 'DUPLICATE_MARKER' // two managed sinks carry one marker
  | 'NOT_ACTIVE' // a managed sink is not active (kinesis: activation steps attached)
  | 'PRUNE_DISABLED' // --no-prune left managed sinks that are no longer in the repository
  | 'STALE_PIN' // `sid:` names a sink that is gone, but the name's marker found its successor
  | 'REMOTE_ONLY_KEY' // Twilio returns a configuration key the repository does not set: kept, never a replacement
  | 'SECRETS_UNVERIFIABLE' // Twilio reads secrets back masked or not at all: their drift cannot be seen
  | 'SINK_LIMIT_ORDER' // the apply deletes before it creates, to stay within the account's sink limit
  | 'REPLACE_NOTHING' // `--replace NAME` names a sink that does not exist yet: it is created
  | 'DEPRECATED_EVENT_TYPE' // a declared event type is deprecated in Twilio's catalogue
  | 'SUBSCRIPTION_DEFERRED'; // its sink is not active yet: the subscription waits for `sinkops activate`

export interface PlanWarning {
  readonly code: PlanWarningCode;
  readonly message: string;
  readonly name?: string;
  readonly sid?: string;
  readonly source?: SourceLocation;
}

export type PlanErrorCode =
  | 'PINNED_SID_NOT_FOUND' // `sid:` names a sink the account does not have
  | 'PINNED_SID_CONFLICT' // `sid:` names a sink managed under another name that is still desired
  | 'PINNED_SID_TYPE' // `sid:` names a sink of a type sinkops cannot manage
  | 'SINK_LIMIT' // the apply would need more sinks at once than the account may hold
  | 'UNKNOWN_EVENT_TYPE' // a declared event type is not in Twilio's catalogue
  | 'UNKNOWN_SCHEMA_VERSION' // a declared schema version does not exist for its event type
  | 'SUBSCRIPTION_PIN_NOT_FOUND' // a subscription's `sid:` names one the account does not have
  | 'SUBSCRIPTION_PIN_CONFLICT'; // a subscription's `sid:` names one another declaration claims

/** A plan with errors is shown but never applied. */
export interface PlanError {
  readonly code: PlanErrorCode;
  readonly message: string;
  readonly name: string;
  readonly source: SourceLocation;
}

export type PlanSummary = Readonly<Record<ActionKind, number>>;

export interface PlanOptions {
  /** `--stack S`: the marker becomes `[sinkops:S/<name>]`. */
  readonly stack?: string;
  /** Delete managed sinks that left the repository (default true; `--no-prune`). */
  readonly prune: boolean;
  /** `--sink-limit N`: the most sinks the account may hold (Twilio's is 100; src/plan/sink-limit.ts). */
  readonly sinkLimit?: number;
  /** `--replace NAME`: desired names whose sinks are replaced even when nothing differs (a secret rotation). */
  readonly replace?: readonly string[];
}

/** How many sinks the account holds through the apply, against its limit (SPEC §12). */
export interface SinkCount {
  readonly limit: number;
  /** Sinks in the account now (this stack's apply leases aside). */
  readonly now: number;
  /** The most the account holds at once through the apply order, counting creates in flight together. */
  readonly peak: number;
}

export interface Plan {
  /** In the one documented order (src/plan/order.ts); noops included. */
  readonly actions: readonly PlannedAction[];
  readonly summary: PlanSummary;
  /** Remote sinks sinkops does not manage (no marker of this stack); never changed. */
  readonly unmanaged: readonly RemoteSink[];
  readonly warnings: readonly PlanWarning[];
  readonly errors: readonly PlanError[];
  /** `sha256:<hex>` fingerprint of the remote sinks the plan was computed from. */
  readonly basis: string;
  readonly sinkCount: SinkCount;
  /** Subscription changes (SPEC §13), in the one order (src/plan/order.ts); noops included. */
  readonly subscriptions: readonly SubscriptionAction[];
  readonly subscriptionSummary: SubscriptionSummary;
  readonly options: PlanOptions;
}
