import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  AdaptiveLimiter,
  applyExitCode,
  assertNoPlanErrors,
  assertResolved,
  execute,
  progressReporter,
  renderApplyResult,
} from '../../apply/index.js';
import { assertCurrent, planFromSaved } from '../../apply/saved-plan.js';
import type { DesiredSink } from '../../desired/model.js';
import { SinkopsError } from '../../errors.js';
import type { Plan } from '../../plan/model.js';
import { readPlanFile, templateRefs, type SavedPlan } from '../../plan/plan-file.js';
import { parsePlanHash, planChangedError, planHash } from '../../plan/plan-hash.js';
import { assertSafe, DEFAULT_MAX_DELETES, hasChanges } from '../../plan/safety.js';
import { readRemoteState } from '../../remote/read.js';
import { renderPlan } from '../../render/index.js';
import { choiceOption, EXIT, flag, stringOption, type Command, type OptionValues } from '../command.js';
import { computePlan, loadDesiredOrFail } from '../compute-plan.js';
import { confirmApply } from '../confirm.js';
import { connect, type Connection } from '../connect.js';
import { useColor, type Io } from '../io.js';
import { planOptionsFrom } from './plan.js';

const DEFAULT_PARALLELISM = 10;

function positiveInt(values: OptionValues, name: string, fallback: number, min: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > 1000) {
    throw new SinkopsError('USAGE', `--${name} must be a whole number from ${min} to 1000, not '${raw}'`);
  }
  return Number(raw);
}

/**
 * `apply` needs every secret it could send: a missing variable stops it before the first request
 * (SPEC §4), not after the account was read. `refs` lists (sink, key, variables) triples.
 */
function assertEnvSet(refs: readonly { name: string; key: string; vars: readonly string[] }[], env: Io['env']): void {
  const problems = refs.flatMap(({ name, key, vars }) => {
    const missing = vars.filter((v) => (env[v] ?? '') === '');
    return missing.length === 0
      ? []
      : [`sink "${name}": sink_configuration.${key} needs environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`];
  });
  if (problems.length === 0) return;
  throw new SinkopsError(
    'CONFIG',
    problems.length === 1 ? `Cannot apply: ${problems[0]}. Nothing was sent.` : `Cannot apply: ${problems.length} configuration values are unknown. Nothing was sent.`,
    { details: problems.length === 1 ? [] : problems },
  );
}

function desiredRefs(sinks: readonly DesiredSink[]) {
  return sinks.flatMap((s) => Object.entries(s.sinkConfiguration).map(([key, v]) => ({ name: s.name, key, vars: v.envRefs })));
}

function savedRefs(saved: SavedPlan) {
  return saved.actions.flatMap((a) =>
    'after' in a
      ? Object.entries(a.after.sinkConfiguration).map(([key, v]) => ({ name: a.name, key, vars: v.template === undefined ? [] : templateRefs(v.template) }))
      : [],
  );
}

/** A saved plan, checked against the account as it is now and resolved from this environment. */
async function savedPlan(saved: SavedPlan, values: OptionValues, io: Io, connection: Connection): Promise<Plan> {
  const remote = await readRemoteState(connection.api);
  assertCurrent(saved, remote);
  // Literal secrets (written in the repository, warned by validate) are not in the file: read them again.
  let desired: Map<string, DesiredSink> | undefined;
  const needsLiterals = saved.actions.some(
    (a) => 'after' in a && Object.values(a.after.sinkConfiguration).some((v) => v.sensitive && v.template === undefined),
  );
  if (needsLiterals) {
    const state = await loadDesiredOrFail(stringOption(values, 'dir', 'sinks'), io);
    desired = new Map(state.sinks.map((s) => [s.name, s]));
  }
  const literal = (name: string, key: string) => desired?.get(name)?.sinkConfiguration[key]?.value;
  return planFromSaved(saved, remote, io.env, literal, planOptionsFrom(values, 'apply'));
}

/** `--expect-plan-hash` refused the plan: the plan itself, in the result's format. */
function planChangedReport(plan: Plan, format: 'markdown' | 'json', expected: string): string {
  const rendered = renderPlan(plan, format, { color: false, verbose: false });
  if (format === 'json') return rendered;
  return `### sinkops apply: nothing applied\n\n**The plan changed since it was reviewed** (reviewed \`${expected}\`). Review the current plan below; to apply it, run the apply by hand (without \`--expect-plan-hash\`).\n\n${rendered}`;
}

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Make the account match the repository (or apply a saved plan exactly)',
  usage:
    'apply [plan.json] [--dir sinks] [--dry-run] [--yes] [--parallelism N] [--max-deletes N] [--no-prune] [--allow-empty] [--stack S] [--local] [--format text|markdown|json] [--expect-plan-hash sha256:…]',
  positionals: ['plan.json'],
  help: {
    'plan.json': 'a plan saved by `sinkops plan --out`: applied exactly, refused when the account changed since',
    '--dir DIR': 'folder of sink YAML files (default sinks)',
    '--dry-run': 'show what would be done; send no creating, changing or deleting request',
    '--yes': 'apply without asking (required when not on a terminal)',
    '--parallelism N': `actions in flight at once (default ${DEFAULT_PARALLELISM}; narrows itself on HTTP 429)`,
    '--max-deletes N': `refuse plans that delete more sinks than this, replacements included (default ${DEFAULT_MAX_DELETES})`,
    '--no-prune': 'keep managed sinks that are no longer in the repository',
    '--allow-empty': 'permit a plan that deletes every managed sink',
    '--stack S': 'manage only sinks marked [sinkops:S/<name>]',
    '--local': 'use the embedded local account (.sinkops/local-account.json)',
    '--format F': 'the result summary as text (default), markdown or json',
    '--expect-plan-hash H': 'apply only if the plan is this reviewed one (its hash, as in the pull-request comment); otherwise print the plan and apply nothing',
  },
  options: {
    dir: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    parallelism: { type: 'string' },
    'max-deletes': { type: 'string' },
    'no-prune': { type: 'boolean' },
    'allow-empty': { type: 'boolean' },
    stack: { type: 'string' },
    local: { type: 'boolean' },
    format: { type: 'string' },
    'expect-plan-hash': { type: 'string' },
  },
  async run({ values, positionals, io, logger }) {
    const format = choiceOption(values, 'format', ['text', 'markdown', 'json']);
    const parallelism = positiveInt(values, 'parallelism', DEFAULT_PARALLELISM, 1);
    const maxDeletes = positiveInt(values, 'max-deletes', DEFAULT_MAX_DELETES, 0);
    const dryRun = flag(values, 'dry-run');
    const options = planOptionsFrom(values, 'apply');
    const planFile = positionals[0];
    const expectedRaw = stringOption(values, 'expect-plan-hash');
    const expectedHash = expectedRaw === undefined ? undefined : parsePlanHash(expectedRaw, '--expect-plan-hash');
    const desired = planFile === undefined ? await loadDesiredOrFail(stringOption(values, 'dir', 'sinks'), io) : undefined;
    const saved =
      planFile === undefined ? undefined : readPlanFile(await readFile(resolve(io.cwd, planFile), 'utf8'), planFile);
    assertEnvSet(saved ? savedRefs(saved) : desiredRefs(desired!.sinks), io.env);

    const limiter = new AdaptiveLimiter(parallelism);
    const connection = await connect(io, {
      local: flag(values, 'local'),
      logger,
      onRateLimited: () => limiter.onRateLimited(),
      ...(desired ? { seedFrom: desired.sinks } : {}),
      ...(options.stack !== undefined ? { stack: options.stack } : {}),
    });
    try {
      const plan =
        saved !== undefined
          ? await savedPlan(saved, values, io, connection)
          : (await computePlan(desired!, connection.api, options)).plan;
      const human = format === 'text';
      if (human) io.stdout.write(renderPlan(plan, 'text', { color: useColor(io), verbose: false }));
      if (expectedHash !== undefined && planHash(plan) !== expectedHash) {
        // Not the plan that was reviewed (SPEC §9): send nothing, and show the new plan where the
        // result would have gone, so the workflow can put it on the pull request.
        if (!human) io.stdout.write(planChangedReport(plan, format, expectedHash));
        throw planChangedError(expectedHash, planHash(plan));
      }
      assertNoPlanErrors(plan);
      if (!hasChanges(plan)) return EXIT.OK;
      assertSafe(plan, { maxDeletes, allowEmpty: options.allowEmpty });
      assertResolved(plan);
      if (!dryRun && !flag(values, 'yes')) await confirmApply(io, `apply these changes to ${connection.target}`);

      const onProgress = human ? progressReporter(io.stdout) : undefined;
      const result = await execute(plan, connection.api, {
        parallelism,
        limiter,
        dryRun,
        logger,
        ...(onProgress ? { onProgress } : {}),
      });
      if (human) io.stdout.write('\n');
      io.stdout.write(renderApplyResult(result, format));
      return applyExitCode(result);
    } finally {
      await connection.close();
    }
  },
};
