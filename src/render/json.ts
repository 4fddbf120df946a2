/** The JSON renderer (SPEC §6): the plan in its wire form, noops listed only when verbose. */
import type { SourceLocation } from '../desired/model.js';
import { sinkFingerprint } from '../plan/canonical.js';
import type { ActionReason, FieldChange, Plan, PlannedAction, SinkSpec } from '../plan/model.js';
import { planHash } from '../plan/plan-hash.js';
import { PLAN_FORMAT_VERSION, type JsonAction, type JsonAfter, type JsonChange, type JsonPlan, type JsonReason, type JsonScalar, type JsonSource } from '../plan/plan-json.js';
import { isHidden, SENSITIVE_DISPLAY } from '../plan/sensitive.js';
import type { RenderOptions } from './options.js';

export function renderJson(plan: Plan, options: RenderOptions): string {
  return `${JSON.stringify(planToJson(plan, options), null, 2)}\n`;
}

export function planToJson(plan: Plan, options: Pick<RenderOptions, 'verbose'>): JsonPlan {
  return {
    format_version: PLAN_FORMAT_VERSION,
    summary: { ...plan.summary },
    actions: plan.actions.filter((a) => a.action !== 'noop' || options.verbose).map(actionToJson),
    unmanaged: plan.unmanaged.map((s) => ({ sid: s.sid, description: s.description, sink_type: s.sinkType, status: s.status })),
    basis: plan.basis,
    plan_hash: planHash(plan),
    warnings: plan.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.name === undefined ? {} : { name: w.name }),
      ...(w.sid === undefined ? {} : { sid: w.sid }),
      ...(w.source === undefined ? {} : { source: source(w.source) }),
    })),
    errors: plan.errors.map((e) => ({ code: e.code, message: e.message, name: e.name, source: source(e.source) })),
  };
}

function source(s: SourceLocation): JsonSource {
  return { file: s.file, line: s.line, column: s.column };
}

function change(c: FieldChange): JsonChange {
  return {
    path: c.path,
    ...(c.before === undefined ? {} : { before: c.before }),
    ...(c.after === undefined ? {} : { after: c.after }),
    forces_replacement: c.forcesReplacement,
    sensitive: c.sensitive,
  };
}

function reason(r: ActionReason): JsonReason {
  return r.kind === 'in-use' ? { kind: 'in-use', subscriptions: [...r.subscriptions] } : { ...r };
}

/** `after` plus its `sensitive_refs`: values a reader can see, and where the hidden ones come from. */
function after(spec: SinkSpec): { after: JsonAfter; sensitive_refs?: Record<string, string | null> } {
  const config: Record<string, JsonScalar> = {};
  const refs: Record<string, string | null> = {};
  for (const key of Object.keys(spec.sinkConfiguration).sort()) {
    const value = spec.sinkConfiguration[key];
    if (value === undefined) continue;
    if (isHidden(value)) {
      config[key] = SENSITIVE_DISPLAY;
      refs[key] = value.template ?? null;
    } else {
      config[key] = value.value as JsonScalar;
    }
  }
  return {
    after: { description: spec.description, sink_configuration: config },
    ...(Object.keys(refs).length > 0 ? { sensitive_refs: refs } : {}),
  };
}

function actionToJson(action: PlannedAction): JsonAction {
  const common = {
    action: action.action,
    name: action.name,
    ...(action.action === 'create' ? {} : { sid: action.sid }),
    sink_type: action.action === 'create' ? action.after.sinkType : 'after' in action ? action.after.sinkType : action.before.sinkType,
    ...('source' in action && action.source !== undefined ? { source: source(action.source) } : {}),
    ...(action.action === 'create' ? {} : { status: action.before.status }),
    reasons: action.reasons.map(reason),
    changes: action.changes.map(change),
  };
  const fingerprint = action.action === 'create' ? {} : { before_fingerprint: sinkFingerprint(action.before) };
  switch (action.action) {
    case 'create':
    case 'update':
    case 'replace':
      return { ...common, ...after(action.after), ...fingerprint };
    case 'adopt':
      return { ...common, ...after(action.after), ...fingerprint, replace: action.replace };
    case 'delete':
    case 'noop':
      return { ...common, ...fingerprint };
    case 'blocked':
      return {
        ...common,
        ...fingerprint,
        intended: action.intended,
        reason: action.reason,
        subscriptions: [...action.subscriptions],
      };
  }
}
