/**
 * Reading a saved plan (`plan --out plan.json`, then `apply plan.json`). The file is checked for
 * its format version first (another version is refused, as Terraform refuses another plan format),
 * then against schemas/plan.schema.json, and returned as typed data apply can execute exactly.
 *
 * A saved plan never holds a secret: a sensitive value comes back as a ConfigValue whose `value`
 * is undefined and whose `template` is the `${VAR}` text apply resolves from its own environment
 * (no template: the value was a literal in the repository, read again from `source`).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { interpolate } from '../desired/env.js';
import type { ConfigValue, SinkType, SourceLocation } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { ActionReason, FieldChange, PlanError, PlanSummary, PlanWarning, SinkSpec } from './model.js';
import { PLAN_FORMAT_VERSION, type JsonAction, type JsonChange, type JsonPlan, type JsonReason, type JsonSource } from './plan-json.js';

interface SavedBase {
  readonly name: string;
  readonly sinkType: string;
  readonly reasons: readonly ActionReason[];
  readonly changes: readonly FieldChange[];
  readonly status?: string;
}

interface SavedExisting extends SavedBase {
  readonly sid: string;
  /** sinkFingerprint of the sink when planned; apply refuses the action if it differs now. */
  readonly beforeFingerprint: string;
}

export type SavedAction =
  | (SavedBase & { readonly action: 'create'; readonly source: SourceLocation; readonly after: SinkSpec })
  | (SavedExisting & { readonly action: 'update' | 'replace'; readonly source: SourceLocation; readonly after: SinkSpec })
  | (SavedExisting & { readonly action: 'adopt'; readonly source: SourceLocation; readonly after: SinkSpec; readonly replace: boolean })
  | (SavedExisting & { readonly action: 'delete' | 'noop' })
  | (SavedExisting & {
      readonly action: 'blocked';
      readonly intended: 'delete' | 'replace' | 'adopt';
      readonly reason: string;
      readonly subscriptions: readonly string[];
      readonly source?: SourceLocation;
    });

export interface SavedPlan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  /** The file it was read from, for messages. */
  readonly file: string;
  /** Fingerprint of the remote sinks the plan was computed from: apply refuses a stale plan. */
  readonly basis: string;
  readonly summary: PlanSummary;
  /** In the documented order (src/plan/order.ts), as saved. */
  readonly actions: readonly SavedAction[];
  readonly unmanaged: readonly { readonly sid: string; readonly description: string; readonly sinkType: string; readonly status: string }[];
  readonly warnings: readonly PlanWarning[];
  /** A plan with errors is never applied. */
  readonly errors: readonly PlanError[];
}

let validator: ValidateFunction | undefined;

/** Compiled once; the schema ships beside dist/ and src/ (package.json `files`). */
function validate(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: true }).compile(schema);
  }
  return validator;
}

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
  return fromJson(data as JsonPlan, file);
}

/** `file:line:column` of a JSON syntax error (V8 reports a character offset), or the file alone. */
function jsonErrorPlace(text: string, file: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (at === null) return file;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `${file}:${line}:${before.length - before.lastIndexOf('\n')}`;
}

function fromJson(json: JsonPlan, file: string): SavedPlan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    file,
    basis: json.basis,
    summary: { ...json.summary },
    actions: json.actions.map(savedAction),
    unmanaged: json.unmanaged.map((u) => ({ sid: u.sid, description: u.description, sinkType: u.sink_type, status: u.status })),
    warnings: json.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.name === undefined ? {} : { name: w.name }),
      ...(w.sid === undefined ? {} : { sid: w.sid }),
      ...(w.source === undefined ? {} : { source: location(w.source) }),
    })),
    errors: json.errors.map((e) => ({ code: e.code, message: e.message, name: e.name, source: location(e.source) })),
  };
}

function location(s: JsonSource): SourceLocation {
  return { file: s.file, line: s.line, column: s.column };
}

/** The `${NAME}` references of a template, read by the loader's own parser (src/desired/env.ts). */
export function templateRefs(template: string): string[] {
  const parsed = interpolate(template, {});
  return parsed.ok ? [...parsed.envRefs] : [];
}

function spec(a: JsonAction): SinkSpec {
  const after = a.after;
  if (after === undefined) throw new SinkopsError('PLAN_FILE', `action ${a.action} ${a.name} has no "after"`);
  const refs = a.sensitive_refs ?? {};
  const config: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(after.sink_configuration)) {
    if (Object.hasOwn(refs, key)) {
      const template = refs[key];
      config[key] =
        typeof template === 'string'
          ? { value: undefined, sensitive: true, template, envRefs: templateRefs(template) }
          : { value: undefined, sensitive: true, envRefs: [] };
    } else {
      config[key] = { value, sensitive: false, envRefs: [] };
    }
  }
  return { description: after.description, sinkType: a.sink_type as SinkType, sinkConfiguration: config };
}

function reason(r: JsonReason): ActionReason {
  return r.kind === 'in-use' ? { kind: 'in-use', subscriptions: [...r.subscriptions] } : { ...r };
}

function change(c: JsonChange): FieldChange {
  return {
    path: c.path,
    ...(c.before === undefined ? {} : { before: c.before }),
    ...(c.after === undefined ? {} : { after: c.after }),
    forcesReplacement: c.forces_replacement,
    sensitive: c.sensitive,
  };
}

/** The schema guarantees the fields each kind needs; the `?? ''` fallbacks are never taken. */
function savedAction(a: JsonAction): SavedAction {
  const base: SavedBase = {
    name: a.name,
    sinkType: a.sink_type,
    reasons: a.reasons.map(reason),
    changes: a.changes.map(change),
    ...(a.status === undefined ? {} : { status: a.status }),
  };
  const source = a.source === undefined ? undefined : location(a.source);
  if (a.action === 'create') {
    if (source === undefined) throw new SinkopsError('PLAN_FILE', `create ${a.name} has no source`);
    return { ...base, action: 'create', source, after: spec(a) };
  }
  const existing = { ...base, sid: a.sid ?? '', beforeFingerprint: a.before_fingerprint ?? '' };
  switch (a.action) {
    case 'update':
    case 'replace':
    case 'adopt': {
      if (source === undefined) throw new SinkopsError('PLAN_FILE', `${a.action} ${a.name} has no source`);
      return a.action === 'adopt'
        ? { ...existing, action: 'adopt', source, after: spec(a), replace: a.replace === true }
        : { ...existing, action: a.action, source, after: spec(a) };
    }
    case 'delete':
    case 'noop':
      return { ...existing, action: a.action };
    case 'blocked':
      return {
        ...existing,
        action: 'blocked',
        intended: a.intended ?? 'delete',
        reason: a.reason ?? '',
        subscriptions: [...(a.subscriptions ?? [])],
        ...(source === undefined ? {} : { source }),
      };
  }
}
