/**
 * Small builders for Plan objects, so executor tests do not depend on the planner.
 */
import type { ConfigValue, SinkType, SourceLocation } from '../../src/desired/model.js';
import type {
  ActionKind,
  AdoptAction,
  BlockedAction,
  CreateAction,
  DeleteAction,
  NoopAction,
  Plan,
  PlannedAction,
  ReplaceAction,
  SinkSpec,
  UpdateAction,
} from '../../src/plan/model.js';
import type { RemoteSink } from '../../src/remote/model.js';

export const marker = (name: string): string => `[sinkops:${name}]`;

export function source(name: string): SourceLocation {
  return { file: `sinks/${name}.yaml`, line: 1, column: 1 };
}

export function plain(value: string | number | boolean): ConfigValue {
  return { value, sensitive: false, envRefs: [] };
}

/** A `${VAR}` value: sensitive; `undefined` when the variable is not set. */
export function fromEnv(variable: string, value: string | undefined): ConfigValue {
  return { value, sensitive: true, template: `\${${variable}}`, envRefs: [variable] };
}

export function webhookConfig(destination = 'https://example.org/hook'): Record<string, ConfigValue> {
  return { destination: plain(destination), method: plain('POST') };
}

export function spec(
  name: string,
  options: { description?: string; sinkType?: SinkType; config?: Record<string, ConfigValue> } = {},
): SinkSpec {
  return {
    description: `${options.description ?? `${name} events`} ${marker(name)}`,
    sinkType: options.sinkType ?? 'webhook',
    sinkConfiguration: options.config ?? webhookConfig(),
  };
}

export function createAction(name: string, after: SinkSpec = spec(name)): CreateAction {
  return { action: 'create', name, reasons: [{ kind: 'new' }], changes: [], source: source(name), after };
}

export function updateAction(before: RemoteSink, name: string, description = 'new words'): UpdateAction {
  return {
    action: 'update',
    name,
    reasons: [{ kind: 'fields-changed' }],
    changes: [{ path: 'description', before: before.description, after: description, forcesReplacement: false, sensitive: false }],
    source: source(name),
    sid: before.sid,
    before,
    after: spec(name, { description }),
  };
}

export function adoptAction(before: RemoteSink, name: string, replace = false, after: SinkSpec = spec(name)): AdoptAction {
  return {
    action: 'adopt',
    name,
    reasons: [{ kind: 'pinned', sid: before.sid }],
    changes: [],
    source: source(name),
    sid: before.sid,
    before,
    after,
    replace,
  };
}

export function replaceAction(before: RemoteSink, name: string, after: SinkSpec = spec(name)): ReplaceAction {
  return {
    action: 'replace',
    name,
    reasons: [{ kind: 'fields-changed' }],
    changes: [{ path: 'sink_configuration.destination', forcesReplacement: true, sensitive: false }],
    source: source(name),
    sid: before.sid,
    before,
    after,
  };
}

export function deleteAction(before: RemoteSink, name: string): DeleteAction {
  return { action: 'delete', name, reasons: [{ kind: 'pruned' }], changes: [], sid: before.sid, before };
}

export function noopAction(before: RemoteSink, name: string): NoopAction {
  return { action: 'noop', name, reasons: [], changes: [], source: source(name), sid: before.sid, before };
}

export function blockedAction(before: RemoteSink, name: string, subscriptions: readonly string[]): BlockedAction {
  return {
    action: 'blocked',
    intended: 'delete',
    name,
    reasons: [{ kind: 'in-use', subscriptions }],
    changes: [],
    sid: before.sid,
    before,
    reason: `in use by subscription ${subscriptions.join(', ')}`,
    subscriptions,
  };
}

export function planOf(actions: readonly PlannedAction[], overrides: Partial<Plan> = {}): Plan {
  const summary: Record<ActionKind, number> = { create: 0, update: 0, adopt: 0, replace: 0, delete: 0, noop: 0, blocked: 0 };
  for (const a of actions) summary[a.action] += 1;
  return {
    actions,
    summary,
    unmanaged: [],
    warnings: [],
    errors: [],
    basis: 'sha256:0000',
    sinkCount: { limit: 100, now: 0, peak: 0 },
    subscriptions: [],
    subscriptionSummary: { create: 0, update: 0, move: 0, delete: 0, noop: 0 },
    options: { prune: true },
    ...overrides,
  };
}
