/**
 * The options `plan` and `apply` share: where the desired state is, and which sinks are this
 * stack's to change. One definition, so the two commands cannot drift apart.
 */
import type { PlanOptions } from '../plan/model.js';
import { flag, stackOption, type OptionSpec, type OptionValues } from './command.js';

export const PLANNING_OPTIONS: OptionSpec = {
  dir: { type: 'string' },
  'no-prune': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  stack: { type: 'string' },
  local: { type: 'boolean' },
};

export const PLANNING_HELP: Readonly<Record<string, string>> = {
  '--dir DIR': 'folder of sink YAML files (default sinks)',
  '--no-prune': 'keep managed sinks that are no longer in the repository',
  '--allow-empty': 'permit a plan that deletes every managed sink',
  '--stack S': 'manage only sinks marked [sinkops:S/<name>]',
  '--local': 'use the embedded local account (.sinkops/local-account.json), no credentials needed',
};

export function planOptionsFrom(values: OptionValues): PlanOptions {
  const stack = stackOption(values);
  return { ...(stack !== undefined ? { stack } : {}), prune: !flag(values, 'no-prune') };
}
