/**
 * Checks that run before the first request of an apply: a plan that cannot be applied whole
 * must change nothing at all.
 */
import type { ConfigValue, SourceLocation } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { Plan, PlannedAction } from '../plan/model.js';
import type { SavedAction } from '../plan/saved-plan.js';

/** A sink whose configuration may be sent: a desired sink, or the `after` of a planned action. */
export interface OutgoingSink {
  readonly name: string;
  readonly source?: SourceLocation;
  readonly sinkConfiguration: Readonly<Record<string, ConfigValue>>;
}

function locate(sink: OutgoingSink): string {
  return sink.source === undefined ? `"${sink.name}"` : `"${sink.name}" (${sink.source.file}:${sink.source.line})`;
}

/** What the actions would send: a plan's, or a saved plan's before it is checked against the account. */
export function outgoing(actions: readonly (PlannedAction | SavedAction)[]): OutgoingSink[] {
  return actions.flatMap((a) => ('after' in a ? [{ name: a.name, source: a.source, sinkConfiguration: a.after.sinkConfiguration }] : []));
}

/** Every configuration value the plan would send is known (see assertKnown). */
export function assertResolved(plan: Plan): void {
  assertKnown(outgoing(plan.actions));
}

/**
 * Every configuration value that may be sent must be known. A value is unknown when the
 * environment variable it references is not set; `plan` shows that as a warning, `apply` refuses —
 * the CLI checks the desired sinks (or a saved plan) before connecting, the executor the plan.
 * All problems are reported at once; the message names sink, key and variable, never a value.
 */
export function assertKnown(sinks: readonly OutgoingSink[]): void {
  const problems: string[] = [];
  for (const sink of sinks) {
    for (const [key, config] of Object.entries(sink.sinkConfiguration)) {
      if (config.value !== undefined) continue;
      const vars = config.envRefs.length > 0 ? config.envRefs.join(', ') : '(none recorded)';
      const noun = config.envRefs.length > 1 ? 'variables' : 'variable';
      problems.push(`sink ${locate(sink)}: sink_configuration.${key} needs environment ${noun} ${vars}, which is not set`);
    }
  }
  if (problems.length === 0) return;
  const first = problems[0] ?? '';
  throw new SinkopsError(
    'CONFIG',
    problems.length === 1
      ? `Cannot apply: ${first}. Nothing was sent.`
      : `Cannot apply: ${problems.length} configuration values are unknown. Nothing was sent.`,
    { details: problems.length === 1 ? [] : problems },
  );
}

/** A plan with errors is shown, never applied (SPEC §4). */
export function assertNoPlanErrors(plan: Plan): void {
  if (plan.errors.length === 0) return;
  throw new SinkopsError('INVALID_INPUT', `The plan has ${plan.errors.length} error(s); nothing was applied.`, {
    details: plan.errors.map((e) => `${e.source.file}:${e.source.line}:${e.source.column}: ${e.message}`),
  });
}

/**
 * The resolved sensitive values of a plan, so that error text from the API (which might echo a
 * request, in any encoding) can be scrubbed before it is stored, logged or rendered.
 */
export function sensitiveValues(plan: Plan): string[] {
  const found = new Set<string>();
  for (const sink of outgoing(plan.actions)) {
    for (const config of Object.values(sink.sinkConfiguration)) {
      if (config.sensitive && config.value !== undefined && String(config.value) !== '') found.add(String(config.value));
    }
  }
  return [...found];
}

/** The wire form of a configuration: resolved values only (assertResolved has run). */
export function resolvedConfiguration(config: Readonly<Record<string, ConfigValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) out[key] = value.value;
  return out;
}
