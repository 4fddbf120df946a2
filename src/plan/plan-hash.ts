/**
 * The plan hash: a fingerprint of what apply would DO, published in the pull-request comment
 * (`<!-- sinkops:plan-hash sha256:… -->`) and checked on merge (`apply --expect-plan-hash`).
 *
 * It covers, for each action that sends something (noops excluded), in the one documented order
 * (src/plan/order.ts): its kind, name, SID, `intended` (blocked), the `after` sink (description with
 * marker, type, configuration), adopt's `replace` flag and the sink limit's order flags; and for each
 * subscription action that sends something, its kind, sink, name, SID, destination sink and `after`
 * (description with marker, events). It leaves out on purpose:
 * - the basis and each sink's `before` state: an unrelated edit elsewhere in the account, or a
 *   status change, does not invalidate a review (apply re-checks what it touches anyway);
 * - source positions and warnings: moving a document within a file changes nothing applied;
 * - secret values: a sensitive value counts as its `${VAR}` template, or a fixed placeholder for a
 *   literal in the repository. The hash is public, and a hash of a short secret could be tested
 *   against guesses offline.
 * A plan read back from a saved plan file hashes equal to the plan it was saved from.
 */
import type { ConfigValue } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import { canonicalJson, sha256 } from './canonical.js';
import type { PlannedAction, SinkSpec, SubscriptionAction } from './model.js';
import type { SavedAction, SavedSubscriptionAction } from './saved-plan.js';
import { compareText, sortActions, sortSubscriptionActions } from './order.js';
import { isHidden } from './sensitive.js';

/** Stands for a sensitive value written literally in the repository (no `${VAR}` template). */
const LITERAL_SECRET = '(sensitive literal)';

export const PLAN_HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;

function hashedValue(value: ConfigValue): unknown {
  // An unknown value (its variable unset) is shown like a secret, so it is hashed like one.
  if (isHidden(value)) return { template: value.template ?? LITERAL_SECRET };
  return { value: value.value };
}

function hashedSpec(spec: SinkSpec): unknown {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec.sinkConfiguration)) config[key] = hashedValue(value);
  return { description: spec.description, sink_type: spec.sinkType, sink_configuration: config };
}

/**
 * The sink limit's order (src/plan/sink-limit.ts) is part of what apply does: a plan reviewed as
 * "new sink first" must not be applied as "old sink first". Hashed only when set, so plans that the
 * limit does not touch hash as they did before it was counted.
 */
function deleteFirst(flag: boolean | undefined): { delete_first?: true } {
  return flag === true ? { delete_first: true } : {};
}

/** A planned action, or one read back from a saved plan: both hash alike. */
type Hashable = PlannedAction | SavedAction;

function hashedAction(action: Exclude<Hashable, { action: 'noop' }>): unknown {
  const base = { kind: action.action, name: action.name, sid: action.action === 'create' ? null : action.sid };
  switch (action.action) {
    case 'create':
    case 'update':
      return { ...base, after: hashedSpec(action.after) };
    case 'replace':
      return { ...base, after: hashedSpec(action.after), ...deleteFirst(action.deleteFirst) };
    case 'adopt':
      return { ...base, after: hashedSpec(action.after), replace: action.replace, ...deleteFirst(action.deleteFirst) };
    case 'delete':
      return action.beforeCreates === true ? { ...base, before_creates: true } : base;
    case 'blocked':
      return { ...base, intended: action.intended };
  }
}

/** A subscription action: what is sent (kind, which subscription, where it goes, what it becomes). */
function hashedSubscription(a: SubscriptionAction | SavedSubscriptionAction): unknown {
  return {
    kind: a.action,
    sink: a.sink,
    name: a.name,
    sid: a.before?.sid ?? null,
    to: a.sinkSid ?? null,
    after: a.after === undefined ? null : { description: a.after.description, events: a.after.events.map((e) => [e.type, e.schemaVersion]) },
  };
}

/**
 * `sha256:<hex>` of what applying `plan` would do (see the module comment for what it covers).
 * Subscription actions count when there are any, so a plan of sinks alone hashes as it always did.
 */
export function planHash(plan: {
  readonly actions: readonly Hashable[];
  readonly subscriptions?: readonly (SubscriptionAction | SavedSubscriptionAction)[];
}): string {
  const acting = sortActions(plan.actions).flatMap((a) => (a.action === 'noop' ? [] : [hashedAction(a)]));
  const subscriptions = sortSubscriptionActions(plan.subscriptions ?? []).flatMap((a) => (a.action === 'noop' ? [] : [hashedSubscription(a)]));
  return sha256(canonicalJson({ plan_hash_version: 1, actions: acting, ...(subscriptions.length === 0 ? {} : { subscriptions }) }));
}

/** One account's part of a repository's plan hash: its plan's hash, or that it could not be planned. */
export interface AccountHash {
  readonly name: string;
  /** planHash of the account's plan; undefined when the account failed (bad credentials, an outage). */
  readonly hash: string | undefined;
}

/**
 * The one hash of a repository with `sinkops.yaml` (SPEC §14): every account's name with its plan's
 * hash, in name order. An account that failed counts as failed, so a plan reviewed while an account
 * could not be read does not match one where it can (and would then change something unreviewed).
 */
export function accountsPlanHash(accounts: readonly AccountHash[]): string {
  const entries = [...accounts].sort((a, b) => compareText(a.name, b.name)).map((a) => [a.name, a.hash ?? 'failed']);
  return sha256(canonicalJson({ plan_hash_version: 1, accounts: entries }));
}

/** A `--expect-plan-hash` value, checked for shape so that a typo is a usage error, not a mismatch. */
export function parsePlanHash(text: string, what: string): string {
  const trimmed = text.trim();
  if (!PLAN_HASH_PATTERN.test(trimmed)) {
    throw new SinkopsError('USAGE', `${what} must be 'sha256:' followed by 64 lowercase hexadecimal digits, not '${text}'`);
  }
  return trimmed;
}

/** Refuses a plan that is not the one reviewed: apply sends nothing and says how to proceed. */
export function planChangedError(expected: string, actual: string): SinkopsError {
  return new SinkopsError('STALE_PLAN', 'The plan changed since it was reviewed; nothing was applied', {
    details: [
      `reviewed plan: ${expected}`,
      `current plan:  ${actual}`,
      'Review the current plan (shown above), then apply it without --expect-plan-hash (in GitHub Actions: run the apply workflow by hand).',
    ],
  });
}

/** The hidden marker the Markdown plan starts with; the PR comment carries it to the apply on merge. */
export function planHashComment(hash: string): string {
  return `<!-- sinkops:plan-hash ${hash} -->`;
}

/** Reads a marker written by `planHashComment` (the whole line). */
export function parsePlanHashComment(line: string): string | undefined {
  return /^<!-- sinkops:plan-hash (sha256:[0-9a-f]{64}) -->$/.exec(line.trim())?.[1];
}
