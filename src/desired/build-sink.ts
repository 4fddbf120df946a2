/**
 * A schema-valid document → DesiredSink: `${ENV}` resolved, secrets marked, defaults applied,
 * subscriptions built (see subscriptions.ts).
 */
import { SECRET_CONFIG_KEYS, type ConfigValue, type DesiredSink, type Diagnostic, type DiagnosticCode, type Severity, type SinkType } from './model.js';
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

export interface BuiltSink {
  /** Absent when the document has an error that only shows after interpolation. */
  readonly sink?: DesiredSink;
  readonly diagnostics: readonly Diagnostic[];
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function buildSink(parsed: ParsedDocument, env: EnvLookup): BuiltSink {
  const { data, doc, lineCounter, file } = parsed;
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Severity, code: DiagnosticCode, path: readonly string[], message: string): void => {
    const { line, column } = toPosition(lineCounter, locateOffset(doc, path, 'value'));
    diagnostics.push({ severity, code, file, line, column, message });
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
    const result = interpolate(raw, env);
    if (!result.ok) {
      report('error', result.reserved ? 'RESERVED_VARIABLE' : 'SCHEMA', path, `sink_configuration.${key} ${result.message}`);
      valid = false;
      continue;
    }
    const usesEnv = result.envRefs.length > 0;
    config[key] = {
      value: result.value,
      sensitive: secretKey || usesEnv,
      envRefs: result.envRefs,
      ...(usesEnv ? { template: raw } : {}),
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
  if (!valid) return { diagnostics };

  const source = { file, ...toPosition(lineCounter, locateOffset(doc, ['name'], 'key')) };
  const sid = data['sid'];
  const sink: DesiredSink = {
    name: data['name'] as string,
    description: data['description'] as string,
    sinkType,
    sinkConfiguration: config,
    ...(typeof sid === 'string' ? { sid } : {}),
    subscriptions: buildSubscriptions(parsed),
    source,
  };
  return { sink, diagnostics };
}
