/** Small builders for planner and renderer inputs: plain data, no server. */
import type { ConfigValue, DesiredSink, SinkType } from '../../src/desired/model.js';
import { withMarker } from '../../src/plan/marker.js';
import type { PlanOptions } from '../../src/plan/model.js';
import type { RemoteSink, RemoteState } from '../../src/remote/model.js';

/** A valid sink SID whose last hex digits are `n`. */
export function sid(n: number): string {
  return `DG${n.toString(16).padStart(32, '0')}`;
}

export function lit(value: string | number | boolean): ConfigValue {
  return { value, sensitive: false, envRefs: [] };
}

/** A `${VAR}` value; `value` undefined means the variable is not set. */
export function secret(variable: string, value: string | undefined): ConfigValue {
  return { value, sensitive: true, template: `\${${variable}}`, envRefs: [variable] };
}

export function desired(
  name: string,
  options: {
    description?: string;
    type?: SinkType;
    config?: Record<string, ConfigValue>;
    sid?: string;
  } = {},
): DesiredSink {
  return {
    name,
    description: options.description ?? `${name} sink`,
    sinkType: options.type ?? 'webhook',
    sinkConfiguration: options.config ?? {
      destination: lit(`https://example.org/${name}`),
      method: lit('POST'),
    },
    ...(options.sid === undefined ? {} : { sid: options.sid }),
    source: { file: `sinks/${name}.yaml`, line: 2, column: 1 },
  };
}

export function remote(
  n: number,
  options: {
    name?: string;
    stack?: string;
    description?: string;
    type?: string;
    config?: Record<string, unknown>;
    status?: string;
    created?: string;
  } = {},
): RemoteSink {
  const base = options.description ?? `${options.name ?? 'unnamed'} sink`;
  return {
    sid: sid(n),
    description: options.name === undefined ? base : withMarker(base, options.name, options.stack),
    sinkType: options.type ?? 'webhook',
    sinkConfiguration: options.config ?? { destination: `https://example.org/${options.name ?? 'x'}`, method: 'POST' },
    status: options.status ?? 'active',
    dateCreated: options.created ?? `2024-01-${String(n % 28 + 1).padStart(2, '0')}T00:00:00Z`,
    dateUpdated: null,
  };
}

export function state(
  sinks: RemoteSink[],
  inUse: Record<string, string[]> = {},
): RemoteState {
  return {
    sinks,
    inUse: new Set(Object.keys(inUse)),
    subscriptionsBySink: new Map(Object.entries(inUse).filter(([, subs]) => subs.length > 0)),
  };
}

export const PLAN: PlanOptions = { prune: true };

export function dfSid(n: number): string {
  return `DF${n.toString(16).padStart(32, '0')}`;
}
