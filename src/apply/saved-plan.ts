/**
 * `apply plan.json`: turns a saved plan back into an executable Plan against the account as it is
 * now. Applied exactly as reviewed, or not at all: every sink an action touches must be unchanged
 * since the plan (its fingerprint), and no sink may have appeared under a name the plan creates.
 * Sensitive values come from this process's environment (the file holds only `${VAR}` templates).
 */
import type { ConfigValue } from '../desired/model.js';
import { interpolate, type EnvLookup } from '../desired/env.js';
import { SinkopsError } from '../errors.js';
import { sinkFingerprint } from '../plan/canonical.js';
import type { Plan, PlannedAction, PlanOptions, SinkSpec } from '../plan/model.js';
import type { SavedAction, SavedPlan } from '../plan/plan-file.js';
import type { OutgoingSink } from './preflight.js';
import type { RemoteSink, RemoteState } from '../remote/model.js';

/** Where a literal secret (written in the repository, no `${VAR}`) is read again from. */
export type LiteralSecretLookup = (name: string, key: string) => string | number | boolean | undefined;

const TRAILING_MARKER = /\[sinkops:[^\]\s]+\]$/;

/** Throws STALE_PLAN listing every change since the plan; returns nothing when it is current. */
export function assertCurrent(saved: SavedPlan, remote: RemoteState): void {
  const bySid = new Map(remote.sinks.map((s) => [s.sid, s]));
  const changed: string[] = [];
  for (const a of saved.actions) {
    if (a.action === 'create') {
      const marker = TRAILING_MARKER.exec(a.after.description)?.[0];
      const appeared = remote.sinks.find((s) => marker !== undefined && s.description.endsWith(marker));
      if (appeared) changed.push(`${a.name}: a sink with its marker appeared since the plan (${appeared.sid})`);
      continue;
    }
    if (a.action === 'blocked') continue;
    const now = bySid.get(a.sid);
    if (now === undefined) changed.push(`${a.name}: ${a.sid} no longer exists`);
    else if (sinkFingerprint(now) !== a.beforeFingerprint) changed.push(`${a.name}: ${a.sid} was changed since the plan`);
  }
  if (changed.length > 0) {
    throw new SinkopsError('STALE_PLAN', `${saved.file} is stale: the account changed since it was planned; nothing was applied`, {
      details: [...changed, 'Plan again (sinkops plan --out <file>), review, and apply the new plan.'],
    });
  }
}

/**
 * The saved plan with its sensitive values resolved: `${VAR}` templates from `env`, literals
 * (written in the repository, so not in the file) through `literal`. Needs no network, so a missing
 * variable is found before anything is sent (see `sinksToSend` and assertKnown).
 */
export function resolveSecrets(saved: SavedPlan, env: EnvLookup, literal: LiteralSecretLookup): SavedPlan {
  const resolve = (name: string, spec: SinkSpec): SinkSpec => ({
    ...spec,
    sinkConfiguration: Object.fromEntries(
      Object.entries(spec.sinkConfiguration).map(([key, v]) => [key, resolveValue(name, key, v, env, literal)]),
    ),
  });
  return { ...saved, actions: saved.actions.map((a) => ('after' in a ? { ...a, after: resolve(a.name, a.after) } : a)) };
}

/** What the saved plan would send, for the pre-flight check of its values. */
export function sinksToSend(saved: SavedPlan): OutgoingSink[] {
  return saved.actions.flatMap((a) => ('after' in a ? [{ name: a.name, source: a.source, sinkConfiguration: a.after.sinkConfiguration }] : []));
}

/** The saved plan as an executable Plan; call `assertCurrent` (and `resolveSecrets`) first. */
export function planFromSaved(saved: SavedPlan, remote: RemoteState, options: PlanOptions): Plan {
  if (saved.errors.length > 0) {
    throw new SinkopsError('PLAN_FILE', `${saved.file} has plan errors and cannot be applied`, {
      details: saved.errors.map((e) => `${e.source.file}:${e.source.line}:${e.source.column}: ${e.message}`),
    });
  }
  const bySid = new Map(remote.sinks.map((s) => [s.sid, s]));
  const current = (a: { sid: string; name: string }): RemoteSink => {
    const sink = bySid.get(a.sid);
    if (sink === undefined) throw new SinkopsError('STALE_PLAN', `${a.name}: ${a.sid} no longer exists`);
    return sink;
  };
  const toActions = (a: SavedAction): PlannedAction[] => {
    const common = { name: a.name, reasons: a.reasons, changes: a.changes };
    switch (a.action) {
      case 'noop':
        return []; // sends nothing; assertCurrent has checked that its sink is as planned
      case 'create':
        return [{ ...common, action: 'create', source: a.source, after: a.after }];
      case 'update':
      case 'replace':
        return [{ ...common, action: a.action, source: a.source, sid: a.sid, before: current(a), after: a.after }];
      case 'adopt':
        return [{ ...common, action: 'adopt', source: a.source, sid: a.sid, before: current(a), after: a.after, replace: a.replace }];
      case 'delete':
        return [{ ...common, action: 'delete', sid: a.sid, before: current(a) }];
      case 'blocked':
        return [
          {
            ...common,
            action: 'blocked',
            intended: a.intended,
            sid: a.sid,
            before: bySid.get(a.sid) ?? placeholder(a),
            reason: a.reason,
            subscriptions: a.subscriptions,
            ...(a.source ? { source: a.source } : {}),
          },
        ];
    }
  };
  return {
    actions: saved.actions.flatMap(toActions),
    summary: saved.summary,
    unmanaged: [],
    warnings: saved.warnings,
    errors: [],
    basis: saved.basis,
    options,
  };
}

function resolveValue(name: string, key: string, v: ConfigValue, env: EnvLookup, literal: LiteralSecretLookup): ConfigValue {
  if (!v.sensitive || v.value !== undefined) return v;
  if (v.template !== undefined) {
    const r = interpolate(v.template, env);
    return { ...v, value: r.ok ? r.value : undefined };
  }
  return { ...v, value: literal(name, key) };
}

/** A sink known only from the saved plan (for actions that send nothing). */
function placeholder(a: { sid: string; sinkType: string }): RemoteSink {
  return { sid: a.sid, description: '', sinkType: a.sinkType, sinkConfiguration: {}, status: 'unknown', dateCreated: null, dateUpdated: null };
}
