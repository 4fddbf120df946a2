/**
 * Checks that run before the first request of an apply: a plan that cannot be applied whole
 * must change nothing at all.
 */
import type { ConfigValue } from '../desired/model.js';
import { SinkopsError } from '../errors.js';
import type { Plan, PlannedAction, SinkSpec } from '../plan/model.js';

function specOf(action: PlannedAction): SinkSpec | undefined {
  return 'after' in action ? action.after : undefined;
}

function locate(action: PlannedAction): string {
  const source = 'source' in action ? action.source : undefined;
  return source === undefined ? `"${action.name}"` : `"${action.name}" (${source.file}:${source.line})`;
}

/**
 * Every configuration value the plan would send must be known. A value is unknown when the
 * environment variable it references is not set; `plan` shows that as a warning, `apply` refuses.
 * All problems are reported at once; the message names sink, key and variable, never a value.
 */
export function assertResolved(plan: Plan): void {
  const problems: string[] = [];
  for (const action of plan.actions) {
    const spec = specOf(action);
    if (spec === undefined) continue;
    for (const [key, config] of Object.entries(spec.sinkConfiguration)) {
      if (config.value !== undefined) continue;
      const vars = config.envRefs.length > 0 ? config.envRefs.join(', ') : '(none recorded)';
      const noun = config.envRefs.length > 1 ? 'variables' : 'variable';
      problems.push(
        `sink ${locate(action)}: sink_configuration.${key} needs environment ${noun} ${vars}, which is not set`,
      );
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
 * The resolved sensitive values of a plan, longest first, so that error text from the API (which
 * might echo a request) can be scrubbed before it is stored, logged or rendered.
 */
export function sensitiveValues(plan: Plan): string[] {
  const found = new Set<string>();
  for (const action of plan.actions) {
    const spec = specOf(action);
    if (spec === undefined) continue;
    for (const config of Object.values(spec.sinkConfiguration)) {
      if (config.sensitive && config.value !== undefined && String(config.value) !== '') found.add(String(config.value));
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('(sensitive value)');
  return out;
}

/** The wire form of a configuration: resolved values only (assertResolved has run). */
export function resolvedConfiguration(config: Readonly<Record<string, ConfigValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) out[key] = value.value;
  return out;
}
