/**
 * The plan codec: a saved plan (src/plan/saved-plan.ts) to its wire form (src/plan/plan-json.ts)
 * and back, side by side so the two cannot drift. `decode(encode(saved))` gives `saved` again; the
 * property test in test/plan/codec.test.ts holds it to that.
 *
 * A file is checked for its format version first (another version is refused, as Terraform refuses
 * another plan format), then against schemas/plan.schema.json. No secret is ever written: a
 * sensitive value is "(sensitive value)" with its `${VAR}` template in `sensitive_refs` (null for a
 * literal in the repository, which apply reads again from `--dir`).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { interpolate } from '../desired/env.js';
import type { ConfigValue, SinkType, SourceLocation } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { ActionReason, FieldChange, PlanError, PlanWarning, SinkSpec, SubscriptionAction } from './model.js';
import { planHash } from './plan-hash.js';
import {
  PLAN_FORMAT_VERSION,
  type JsonAction,
  type JsonChange,
  type JsonPlan,
  type JsonReason,
  type JsonScalar,
  type JsonSource,
  type JsonSubscriptionAction,
} from './plan-json.js';
import type { SavedAction, SavedPlan, SavedSubscriptionAction, SinkRef } from './saved-plan.js';
import { isHidden, SENSITIVE_DISPLAY } from './sensitive.js';

// ---- encode ----------------------------------------------------------------------------------

export function encodePlan(saved: SavedPlan): JsonPlan {
  return {
    format_version: PLAN_FORMAT_VERSION,
    summary: { ...saved.summary },
    actions: saved.actions.map(encodeAction),
    unmanaged: saved.unmanaged.map((s) => ({ sid: s.sid, description: s.description, sink_type: s.sinkType, status: s.status })),
    basis: saved.basis,
    plan_hash: planHash(saved),
    ...(saved.sinkCount === undefined ? {} : { sink_count: { ...saved.sinkCount } }),
    subscription_summary: { ...saved.subscriptionSummary },
    subscription_actions: saved.subscriptions.map(encodeSubscriptionAction),
    warnings: saved.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.name === undefined ? {} : { name: w.name }),
      ...(w.sid === undefined ? {} : { sid: w.sid }),
      ...(w.source === undefined ? {} : { source: encodeSource(w.source) }),
    })),
    errors: saved.errors.map((e) => ({ code: e.code, message: e.message, name: e.name, source: encodeSource(e.source) })),
  };
}

function encodeSource(s: SourceLocation): JsonSource {
  return { file: s.file, line: s.line, column: s.column };
}

function encodeChange(c: FieldChange): JsonChange {
  return {
    path: c.path,
    ...(c.before === undefined ? {} : { before: c.before }),
    ...(c.after === undefined ? {} : { after: c.after }),
    forces_replacement: c.forcesReplacement,
    sensitive: c.sensitive,
  };
}

function encodeReason(r: ActionReason): JsonReason {
  return r.kind === 'in-use' ? { kind: 'in-use', subscriptions: [...r.subscriptions] } : { ...r };
}

/** `after` plus its `sensitive_refs`: values a reader can see, and where the hidden ones come from. */
function encodeAfter(spec: SinkSpec): Pick<JsonAction, 'after' | 'sensitive_refs'> {
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

function encodeAction(action: SavedAction): JsonAction {
  const after = 'after' in action ? action.after : undefined;
  const before = 'before' in action ? action.before : undefined;
  const sinkType = after?.sinkType ?? before?.sinkType ?? '';
  return {
    action: action.action,
    name: action.name,
    ...(before === undefined ? {} : { sid: before.sid }),
    sink_type: sinkType,
    ...('source' in action && action.source !== undefined ? { source: encodeSource(action.source) } : {}),
    ...(before === undefined ? {} : { status: before.status }),
    reasons: action.reasons.map(encodeReason),
    changes: action.changes.map(encodeChange),
    ...(after === undefined ? {} : encodeAfter(after)),
    ...(before === undefined ? {} : { before_fingerprint: before.fingerprint }),
    ...(before !== undefined && before.sinkType !== sinkType ? { before_sink_type: before.sinkType } : {}),
    ...(action.action === 'adopt' ? { replace: action.replace } : {}),
    ...((action.action === 'replace' || action.action === 'adopt') && action.deleteFirst === true ? { delete_first: true as const } : {}),
    ...(action.action === 'delete' && action.beforeCreates === true ? { before_creates: true as const } : {}),
    ...(action.action === 'blocked'
      ? { intended: action.intended, reason: action.reason, subscriptions: [...action.subscriptions] }
      : {}),
  };
}

function encodeSubscriptionAction(a: SavedSubscriptionAction): JsonSubscriptionAction {
  return {
    action: a.action,
    sink: a.sink,
    name: a.name,
    ...(a.before === undefined ? {} : { sid: a.before.sid, sink_sid: a.before.sinkSid }),
    ...(a.sinkSid === undefined ? {} : { to_sink_sid: a.sinkSid }),
    ...(a.source === undefined ? {} : { source: encodeSource(a.source) }),
    reason: a.reason,
    changes: a.changes.map(encodeChange),
    events: a.events.map((e) => ({ ...e })),
    ...(a.after === undefined
      ? {}
      : { after: { description: a.after.description, events: a.after.events.map((e) => ({ type: e.type, schema_version: e.schemaVersion })) } }),
    ...(a.before === undefined ? {} : { before_fingerprint: a.before.fingerprint }),
  };
}

// ---- decode ----------------------------------------------------------------------------------

let validator: ValidateFunction | undefined;

/** Compiled once; the schema ships beside dist/ and src/ (package.json `files`). */
function validate(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: true }).compile(schema);
  }
  return validator;
}

/** Reads a saved plan's text: JSON syntax (located), format version, schema, then `decodePlan`. */
export function readPlanFile(text: string, file: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    throw new SinkopsError('PLAN_FILE', `${jsonErrorPlace(text, file, message)}: not a sinkops plan: ${message}`, { cause: e });
  }
  const version = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['format_version'] : undefined;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new SinkopsError(
      'PLAN_FILE',
      `${file} has plan format_version ${JSON.stringify(version ?? null)}; this sinkops reads version ${PLAN_FORMAT_VERSION}`,
      { details: ['re-create the plan with this version of sinkops: sinkops plan --out <file>'] },
    );
  }
  const check = validate();
  if (!check(data)) {
    const details = (check.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
    throw new SinkopsError('PLAN_FILE', `${file} does not match the plan schema`, { details });
  }
  return decodePlan(data as JsonPlan);
}

/** `file:line:column` of a JSON syntax error (V8 reports a character offset), or the file alone. */
function jsonErrorPlace(text: string, file: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (at === null) return file;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `${file}:${line}:${before.length - before.lastIndexOf('\n')}`;
}

/** The inverse of `encodePlan`, for data the schema has accepted. */
export function decodePlan(json: JsonPlan): SavedPlan {
  return {
    summary: { ...json.summary },
    actions: json.actions.map(decodeAction),
    unmanaged: json.unmanaged.map((u) => ({ sid: u.sid, description: u.description, sinkType: u.sink_type, status: u.status })),
    basis: json.basis,
    ...(json.sink_count === undefined ? {} : { sinkCount: { ...json.sink_count } }),
    warnings: json.warnings.map(
      (w): PlanWarning => ({
        code: w.code,
        message: w.message,
        ...(w.name === undefined ? {} : { name: w.name }),
        ...(w.sid === undefined ? {} : { sid: w.sid }),
        ...(w.source === undefined ? {} : { source: decodeSource(w.source) }),
      }),
    ),
    errors: json.errors.map((e): PlanError => ({ code: e.code, message: e.message, name: e.name, source: decodeSource(e.source) })),
    subscriptions: json.subscription_actions.map(decodeSubscriptionAction),
    subscriptionSummary: { ...json.subscription_summary },
  };
}

function decodeSubscriptionAction(a: JsonSubscriptionAction): SavedSubscriptionAction {
  const needsBefore = a.action !== 'create';
  if (needsBefore && (a.sid === undefined || a.sink_sid === undefined || a.before_fingerprint === undefined)) {
    throw new SinkopsError('PLAN_FILE', `subscription ${a.action} ${a.sink}#${a.name} has no sid, sink_sid or before_fingerprint`);
  }
  if ((a.action === 'create' || a.action === 'move' || a.action === 'update') && a.after === undefined) {
    throw new SinkopsError('PLAN_FILE', `subscription ${a.action} ${a.sink}#${a.name} has no "after"`);
  }
  const action: Omit<SubscriptionAction, 'before'> = {
    action: a.action,
    sink: a.sink,
    name: a.name,
    ...(a.after === undefined ? {} : { after: { description: a.after.description, events: a.after.events.map((e) => ({ type: e.type, schemaVersion: e.schema_version })) } }),
    ...(a.to_sink_sid === undefined ? {} : { sinkSid: a.to_sink_sid }),
    reason: a.reason,
    changes: a.changes.map(decodeChange),
    events: a.events.map((e) => ({ ...e })),
    ...(a.source === undefined ? {} : { source: decodeSource(a.source) }),
  };
  return needsBefore ? { ...action, before: { sid: a.sid ?? '', sinkSid: a.sink_sid ?? '', fingerprint: a.before_fingerprint ?? '' } } : action;
}

function decodeSource(s: JsonSource): SourceLocation {
  return { file: s.file, line: s.line, column: s.column };
}

function decodeReason(r: JsonReason): ActionReason {
  return r.kind === 'in-use' ? { kind: 'in-use', subscriptions: [...r.subscriptions] } : { ...r };
}

function decodeChange(c: JsonChange): FieldChange {
  return {
    path: c.path,
    ...(c.before === undefined ? {} : { before: c.before }),
    ...(c.after === undefined ? {} : { after: c.after }),
    forcesReplacement: c.forces_replacement,
    sensitive: c.sensitive,
  };
}

/**
 * The `${NAME}` references of a template, read by the loader's own parser (src/desired/env.ts),
 * which also refuses sinkops's own credentials: a hand-edited plan file cannot make apply send them.
 */
function templateRefs(template: string, a: JsonAction, key: string): string[] {
  const parsed = interpolate(template, {});
  if (!parsed.ok) throw new SinkopsError('PLAN_FILE', `${a.action} ${a.name}: sensitive_refs.${key} ${parsed.message}`);
  return [...parsed.envRefs];
}

function decodeAfter(a: JsonAction): SinkSpec {
  const after = a.after;
  if (after === undefined) throw new SinkopsError('PLAN_FILE', `action ${a.action} ${a.name} has no "after"`);
  const refs = a.sensitive_refs ?? {};
  const config: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(after.sink_configuration)) {
    if (!Object.hasOwn(refs, key)) {
      config[key] = { value, sensitive: false, envRefs: [] };
      continue;
    }
    const template = refs[key];
    config[key] =
      typeof template === 'string'
        ? { value: undefined, sensitive: true, envRefs: templateRefs(template, a, key), template }
        : { value: undefined, sensitive: true, envRefs: [] };
  }
  return { description: after.description, sinkType: a.sink_type as SinkType, sinkConfiguration: config };
}

function decodeBefore(a: JsonAction): SinkRef {
  if (a.sid === undefined || a.before_fingerprint === undefined) {
    throw new SinkopsError('PLAN_FILE', `${a.action} ${a.name} has no sid or before_fingerprint`);
  }
  return { sid: a.sid, sinkType: a.before_sink_type ?? a.sink_type, status: a.status ?? '', fingerprint: a.before_fingerprint };
}

function decodeSourceOf(a: JsonAction): SourceLocation {
  if (a.source === undefined) throw new SinkopsError('PLAN_FILE', `${a.action} ${a.name} has no source`);
  return decodeSource(a.source);
}

/** The schema guarantees the fields each kind needs; the throws above are for a schema that lets one through. */
function decodeAction(a: JsonAction): SavedAction {
  const common = { name: a.name, reasons: a.reasons.map(decodeReason), changes: a.changes.map(decodeChange) };
  switch (a.action) {
    case 'create':
      return { ...common, action: 'create', source: decodeSourceOf(a), after: decodeAfter(a) };
    case 'update':
      return { ...common, action: 'update', source: decodeSourceOf(a), sid: a.sid ?? '', before: decodeBefore(a), after: decodeAfter(a) };
    case 'replace':
      return {
        ...common,
        action: 'replace',
        source: decodeSourceOf(a),
        sid: a.sid ?? '',
        before: decodeBefore(a),
        after: decodeAfter(a),
        ...(a.delete_first === true ? { deleteFirst: true } : {}),
      };
    case 'adopt':
      return {
        ...common,
        action: 'adopt',
        source: decodeSourceOf(a),
        sid: a.sid ?? '',
        before: decodeBefore(a),
        after: decodeAfter(a),
        replace: a.replace === true,
        ...(a.delete_first === true ? { deleteFirst: true } : {}),
      };
    case 'delete':
      return { ...common, action: 'delete', sid: a.sid ?? '', before: decodeBefore(a), ...(a.before_creates === true ? { beforeCreates: true } : {}) };
    case 'noop':
      return { ...common, action: 'noop', source: decodeSourceOf(a), sid: a.sid ?? '', before: decodeBefore(a) };
    case 'blocked':
      return {
        ...common,
        action: 'blocked',
        intended: a.intended ?? 'delete',
        sid: a.sid ?? '',
        before: decodeBefore(a),
        reason: a.reason ?? '',
        subscriptions: [...(a.subscriptions ?? [])],
        ...(a.source === undefined ? {} : { source: decodeSource(a.source) }),
      };
  }
}
