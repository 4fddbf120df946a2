/**
 * A schema-valid document → DesiredSink: `${ENV}` resolved, secrets marked, defaults applied,
 * subscriptions built (see subscriptions.ts), and — in a fleet's sinks — `${account.…}` kept open
 * for stamping (see account-refs.ts).
 */
import { SECRET_CONFIG_KEYS, type ConfigValue, type DesiredSink, type Diagnostic, type DiagnosticCode, type Severity, type SinkType, type UnstampedConfig, type UnstampedText } from './model.js';
import { interpolateRuns, outsideFleetMessage, readDescription, splitConfigText } from './account-refs.js';
import { interpolate, type EnvLookup } from './env.js';
import type { ParsedDocument } from './parse-documents.js';
import { buildSubscriptions } from './subscriptions.js';
import { locateOffset, toPosition } from './yaml-locate.js';

/** Values Twilio assumes when a key is left out, so that leaving it out compares equal. */
const DEFAULTS: Readonly<Record<SinkType, Readonly<Record<string, string | boolean>>>> = {
  webhook: { method: 'POST' },
  kinesis: {},
  segment: {},
};

/** The variable name a literal secret would conventionally move to. */
const SUGGESTED_VARIABLE: Readonly<Record<string, string>> = {
  external_id: 'KINESIS_EXTERNAL_ID',
  write_key: 'SEGMENT_WRITE_KEY',
};

export interface BuildOptions {
  /** A fleet's sinks: `${account.sid}` and `${account.friendly_name}` are kept for stampAccount instead of being errors. */
  readonly accountRefs?: boolean;
}

export interface BuiltSink {
  /** Absent when the document has an error that only shows after interpolation. */
  readonly sink?: DesiredSink;
  readonly diagnostics: readonly Diagnostic[];
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

type ResolvedString =
  | {
      readonly ok: true;
      /** Undefined while a variable is not set, or while the account is open. */
      readonly value: string | undefined;
      readonly envRefs: readonly string[];
      readonly missing: readonly string[];
      /** Only for a string that references the account: what stamping fills in. */
      readonly open?: Omit<UnstampedConfig, 'source'>;
    }
  | { readonly ok: false; readonly code: DiagnosticCode; readonly message: string };

/** One sink_configuration string: its `${NAME}` references resolved, its account references (when allowed) kept open. */
function resolveConfigString(raw: string, env: EnvLookup, accountRefs: boolean): ResolvedString {
  const split = splitConfigText(raw);
  if (!split.ok) return { ok: false, code: 'ACCOUNT_REF', message: split.message };
  if (split.refs.length === 0) {
    const result = interpolate(raw, env);
    if (!result.ok) return { ok: false, code: result.reserved ? 'RESERVED_VARIABLE' : 'SCHEMA', message: result.message };
    return { ok: true, value: result.value, envRefs: result.envRefs, missing: result.missing };
  }
  if (!accountRefs) return { ok: false, code: 'ACCOUNT_REF', message: outsideFleetMessage(split.refs) };
  const result = interpolateRuns(split.parts, env);
  if (!result.ok) return { ok: false, code: result.reserved ? 'RESERVED_VARIABLE' : 'SCHEMA', message: result.message };
  const usesEnv = result.envRefs.length > 0;
  return {
    ok: true,
    value: undefined,
    envRefs: result.envRefs,
    missing: result.missing,
    open: { value: result.value, ...(usesEnv ? { template: split.parts } : {}) },
  };
}

export function buildSink(parsed: ParsedDocument, env: EnvLookup, options: BuildOptions = {}): BuiltSink {
  const { data, doc, lineCounter, file } = parsed;
  const accountRefs = options.accountRefs === true;
  const diagnostics: Diagnostic[] = [];
  const locate = (path: readonly string[]): { file: string; line: number; column: number } => ({
    file,
    ...toPosition(lineCounter, locateOffset(doc, path, 'value')),
  });
  const report = (severity: Severity, code: DiagnosticCode, path: readonly string[], message: string): void => {
    diagnostics.push({ severity, code, message, ...locate(path) });
  };

  const sinkType = data['sink_type'] as SinkType;
  const rawConfig = data['sink_configuration'] as Record<string, string | boolean>;
  const config: Record<string, ConfigValue> = {};
  let valid = true;

  for (const [key, raw] of Object.entries(rawConfig)) {
    const path = ['sink_configuration', key];
    const secretKey = SECRET_CONFIG_KEYS.has(key);
    if (typeof raw !== 'string') {
      config[key] = { value: raw, sensitive: false, envRefs: [] };
      continue;
    }
    const result = resolveConfigString(raw, env, accountRefs);
    if (!result.ok) {
      report('error', result.code, path, `sink_configuration.${key} ${result.message}`);
      valid = false;
      continue;
    }
    const usesEnv = result.envRefs.length > 0;
    config[key] = {
      value: result.value,
      sensitive: secretKey || usesEnv,
      envRefs: result.envRefs,
      ...(usesEnv ? { template: raw } : {}),
      ...(result.open === undefined ? {} : { unstamped: { ...result.open, source: locate(path) } }),
    };
    if (result.missing.length > 0) {
      const names = result.missing.map((n) => `\${${n}}`).join(', ');
      const verb = result.missing.length === 1 ? 'is' : 'are';
      report(
        'warning',
        'ENV_MISSING',
        path,
        `sink_configuration.${key} uses ${names}, which ${verb} not set: its value is unknown (plan treats it as unknown; apply needs it)`,
      );
    }
    if (secretKey && !usesEnv) {
      report(
        'warning',
        'LITERAL_SECRET',
        path,
        `sink_configuration.${key} is a secret written in the repository; use an environment reference such as ${key}: \${${SUGGESTED_VARIABLE[key] ?? 'SECRET'}}`,
      );
    }
    // An open value is checked once stamped (stamp.ts), when it is known.
    if (key === 'destination' && result.value !== undefined && !isHttpUrl(result.value)) {
      // Only a value written literally is repeated: a substituted one may be secret.
      const message = usesEnv
        ? 'sink_configuration.destination (after ${…} substitution) must be an absolute http:// or https:// URL'
        : `sink_configuration.destination must be an absolute http:// or https:// URL, not ${JSON.stringify(result.value)}`;
      report('error', 'SCHEMA', path, message);
      valid = false;
    }
  }
  for (const [key, value] of Object.entries(DEFAULTS[sinkType])) {
    if (!(key in config)) config[key] = { value, sensitive: false, envRefs: [] };
  }
  const description = readDescriptionAt(data['description'] as string, ['description'], 'description');
  const subscriptions = buildSubscriptions(parsed, (raw, path) => readDescriptionAt(raw, path, `${path[0] ?? ''}[${path[1] ?? ''}].description`));
  if (!valid || description === undefined || subscriptions === undefined) return { diagnostics };

  const source = { file, ...toPosition(lineCounter, locateOffset(doc, ['name'], 'key')) };
  const sid = data['sid'];
  const sink: DesiredSink = {
    name: data['name'] as string,
    description: description.text,
    sinkType,
    sinkConfiguration: config,
    ...(typeof sid === 'string' ? { sid } : {}),
    subscriptions,
    source,
    ...(description.unstamped === undefined ? {} : { unstampedDescription: description.unstamped }),
  };
  return { sink, diagnostics };

  /**
   * A description read for account references: its text (as written while references are open),
   * and the open parts when it has references; undefined after reporting why it cannot be read.
   */
  function readDescriptionAt(raw: string, path: readonly string[], what: string): { text: string; unstamped?: UnstampedText } | undefined {
    const scan = readDescription(raw);
    if (!scan.ok) {
      report('error', 'ACCOUNT_REF', path, `${what} ${scan.message}`);
      return undefined;
    }
    if (scan.refs.length === 0) return { text: scan.parts.join('') };
    if (!accountRefs) {
      report('error', 'ACCOUNT_REF', path, `${what} ${outsideFleetMessage(scan.refs)}`);
      return undefined;
    }
    return { text: raw, unstamped: { parts: scan.parts, source: locate(path) } };
  }
}
