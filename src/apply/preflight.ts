/**
 * Checks that run before an apply sends anything that changes the account: a plan that cannot be
 * applied whole must change nothing at all.
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

type AnyAction = PlannedAction | SavedAction;

function asOutgoing(a: { readonly name: string; readonly source: SourceLocation; readonly after: Pick<OutgoingSink, 'sinkConfiguration'> }): OutgoingSink {
  return { name: a.name, source: a.source, sinkConfiguration: a.after.sinkConfiguration };
}

/** Whether the action sends its sink's configuration: it creates a sink (a create, or the new half of a replacement). */
function sendsConfiguration(a: AnyAction): boolean {
  return a.action === 'create' || a.action === 'replace' || (a.action === 'adopt' && a.replace);
}

/**
 * The sinks whose configuration the actions send: creates, replacements and adoptions that replace
 * — a plan's, or a saved plan's before it is checked against the account. An update or an adoption
 * in place sends the description alone (the configuration of a sink cannot change), so its secrets
 * are not needed: after `import`, the adopting apply runs without them (issue 12).
 */
export function outgoing(actions: readonly AnyAction[]): OutgoingSink[] {
  return actions.flatMap((a) => ('after' in a && sendsConfiguration(a) ? [asOutgoing(a)] : []));
}

/** Every configuration the actions hold, sent or not: their secrets are scrubbed from what is printed all the same. */
export function configurations(actions: readonly AnyAction[]): OutgoingSink[] {
  return actions.flatMap((a) => ('after' in a ? [asOutgoing(a)] : []));
}

/** Every configuration value the plan would send is known (see assertKnown). */
export function assertResolved(plan: Plan): void {
  assertKnown(outgoing(plan.actions));
}

/**
 * One line per configuration value of `sinks` that is unknown (its environment variable is not
 * set): the sink, where it is declared, the key and the variables — never a value.
 */
export function unknownValues(sinks: readonly OutgoingSink[]): string[] {
  const problems: string[] = [];
  for (const sink of sinks) {
    for (const [key, config] of Object.entries(sink.sinkConfiguration)) {
      if (config.value !== undefined) continue;
      const vars = config.envRefs.length > 0 ? config.envRefs.join(', ') : '(none recorded)';
      const noun = config.envRefs.length > 1 ? 'variables' : 'variable';
      problems.push(`sink ${locate(sink)}: sink_configuration.${key} needs environment ${noun} ${vars}, which is not set`);
    }
  }
  return problems;
}

/**
 * Every configuration value that is sent must be known. A value is unknown when the environment
 * variable it references is not set; `plan` shows that as a warning, `apply` refuses — for the
 * actions that send a configuration only (`outgoing`): the CLI checks a saved plan before
 * connecting and a computed plan before its prompt, the executor the plan it is given. All problems
 * are reported at once; the message names sink, key and variable, never a value.
 */
export function assertKnown(sinks: readonly OutgoingSink[]): void {
  const problems = unknownValues(sinks);
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
  for (const sink of configurations(plan.actions)) {
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
