import { resolve } from 'node:path';
import {
  AdaptiveLimiter,
  assertNoPlanErrors,
  assertResolved,
  execute,
  progressReporter,
  renderApplyResult,
} from '../../apply/index.js';
import { acquireLease, leaseFits, type Lease } from '../../apply/lease.js';
import { assertKnown, configurations, outgoing, unknownValues } from '../../apply/preflight.js';
import { SinkopsError } from '../../errors.js';
import { readTextFile } from '../../files.js';
import { useColor, type Io } from '../../io.js';
import { assertUnchangedSince, computePlan, computeSavedPlan } from '../../pipeline/compute-plan.js';
import { readPlanFile } from '../../plan/codec.js';
import type { Plan } from '../../plan/model.js';
import { parsePlanHash, planChangedError, planHash } from '../../plan/plan-hash.js';
import { assertSafe, DEFAULT_MAX_DELETES, hasChanges, hasRunnableActions } from '../../plan/safety.js';
import { assertPinned, pinnedTargets, resolveSecrets, type SavedPlan } from '../../plan/saved-plan.js';
import { renderPlan, RENDER_FORMATS } from '../../render/index.js';
import { terminalSafe } from '../../terminal-safe.js';
import { choiceOption, EXIT, flag, stringOption, type Command, type OptionValues } from '../command.js';
import { confirmApply } from '../confirm.js';
import { connect } from '../connect.js';
import { DEADLINE_HELP, DEADLINE_OPTIONS, startDeadline, throwIfPassed } from '../deadline.js';
import { applyExitCode } from '../exit-code.js';
import { onApplyInterrupt } from '../interrupt.js';
import { leaseOptions, releaseLease } from '../lease.js';
import { loadDesiredOrFail, rememberSecrets } from '../load-desired.js';
import { assertOneAccount, assertReplaceable, PLANNING_HELP, PLANNING_OPTIONS, planOptionsFrom } from '../planning-options.js';
import { applyManyAccounts } from '../apply-accounts.js';
import { loadRepoConfig } from '../../accounts/config.js';
import { parseShard } from '../../accounts/shard.js';

const DEFAULT_PARALLELISM = 10;
/**
 * A saved plan lists every sink (no-ops included) at about 500 bytes each: 10,000 sinks are 5 MB.
 * 32 MiB is far beyond that, and bounds what a wrong path (a device, a log file) can cost.
 */
export const MAX_PLAN_FILE_BYTES = 32 * 1024 * 1024;

function positiveInt(values: OptionValues, name: string, fallback: number, min: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > 1000) {
    throw new SinkopsError('USAGE', `--${name} must be a whole number from ${min} to 1000, not '${raw}'`);
  }
  return Number(raw);
}

/**
 * A saved plan with its secrets resolved from this environment. Literal secrets (written in the
 * repository, warned by validate) are not in the file: they are read again from `--dir`, which
 * must also pin every unowned sink the plan takes.
 */
async function loadSavedPlan(file: string, values: OptionValues, io: Io, secrets: Set<string>): Promise<SavedPlan> {
  const text = readTextFile(resolve(io.cwd, file), { what: 'a saved plan', maxBytes: MAX_PLAN_FILE_BYTES, code: 'PLAN_FILE', display: file });
  const saved = readPlanFile(text, file);
  const needsLiterals = outgoing(saved.actions).some((s) =>
    Object.values(s.sinkConfiguration).some((v) => v.sensitive && v.template === undefined),
  );
  const needsPins = pinnedTargets(saved).length > 0;
  const desired = needsLiterals || needsPins ? await loadDesiredOrFail(stringOption(values, 'dir', 'sinks'), io, secrets) : undefined;
  if (needsPins) assertPinned(saved, new Map(desired?.sinks.flatMap((s) => (s.sid === undefined ? [] : [[s.sid, s.name] as const]))), file);
  const byName = new Map(desired?.sinks.map((s) => [s.name, s]));
  const resolved = resolveSecrets(saved, io.env, (name, key) => byName.get(name)?.sinkConfiguration[key]?.value);
  // Every value that resolved is scrubbed from the output, sent or not.
  rememberSecrets(secrets, configurations(resolved.actions));
  return resolved;
}

/** A signal while applying: the result printed above says what was done; this says why the rest was not. */
function interruptedWhileApplying(signal: NodeJS.Signals, skipped: number): SinkopsError {
  if (skipped === 0) {
    return new SinkopsError('INTERRUPTED', `sinkops apply was interrupted (${signal}) after every action had started; the result above is complete.`);
  }
  return new SinkopsError(
    'INTERRUPTED',
    `sinkops apply was interrupted (${signal}): the requests in flight finished, and the ${skipped} action${skipped === 1 ? '' : 's'} not yet started ${skipped === 1 ? 'was' : 'were'} skipped (see above).`,
    { details: ['Run sinkops apply again to finish: it plans from the account as it is now.'] },
  );
}

/** After a dry run: the values a real apply of this plan would need and this environment lacks. */
function missingValuesNote(problems: readonly string[]): string {
  const head = `Note: applying this plan needs ${problems.length === 1 ? 'a value' : `${problems.length} values`} not set here (a dry run sends none):`;
  return `${[head, ...problems.map((p) => `  ${terminalSafe(p)}`)].join('\n')}\n`;
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
    'apply [plan.json] [--dir sinks] [--dry-run] [--yes] [--parallelism N] [--max-deletes N] [--no-prune] [--allow-empty] [--stack S] [--local] [--replace NAME]... [--sink-limit N] [--format text|markdown|json] [--expect-plan-hash sha256:…] [--deadline SECONDS] [--break-lease] [--account NAME]... [--account-concurrency N] [--shard i/N]',
  positionals: ['plan.json'],
  help: {
    'plan.json': 'a plan saved by `sinkops plan --out`: applied exactly, refused when the account changed since',
    ...PLANNING_HELP,
    '--dry-run': 'show what would be done; send no creating, changing or deleting request (secrets need not be set: it says which are missing)',
    '--yes': 'apply without asking (required when not on a terminal)',
    '--parallelism N': `actions in flight at once (default ${DEFAULT_PARALLELISM}; narrows itself on HTTP 429)`,
    '--max-deletes N': `refuse plans that delete more sinks than this, replacements included (default ${DEFAULT_MAX_DELETES})`,
    '--format F': 'the result summary as text (default), markdown or json',
    '--expect-plan-hash H': 'apply only if the plan is this reviewed one (its hash, as in the pull-request comment); otherwise print the plan and apply nothing',
    '--break-lease': 'remove the lease another apply left on the account (only when that apply is gone for sure)',
    ...DEADLINE_HELP,
  },
  options: {
    ...PLANNING_OPTIONS,
    ...DEADLINE_OPTIONS,
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    parallelism: { type: 'string' },
    'max-deletes': { type: 'string' },
    format: { type: 'string' },
    'expect-plan-hash': { type: 'string' },
    'break-lease': { type: 'boolean' },
  },
  async run(ctx) {
    const { values, positionals, io, logger, secrets } = ctx;
    const format = choiceOption(values, 'format', RENDER_FORMATS);
    const parallelism = positiveInt(values, 'parallelism', DEFAULT_PARALLELISM, 1);
    const maxDeletes = positiveInt(values, 'max-deletes', DEFAULT_MAX_DELETES, 0);
    const dryRun = flag(values, 'dry-run');
    const planFile = positionals[0];
    const expectedRaw = stringOption(values, 'expect-plan-hash');
    const expectedHash = expectedRaw === undefined ? undefined : parsePlanHash(expectedRaw, '--expect-plan-hash');
    // A repository with sinkops.yaml has many accounts (SPEC §14); without one, nothing changes.
    const config = await loadRepoConfig(io.cwd);
    if (config !== undefined) {
      if (planFile !== undefined) {
        throw new SinkopsError('USAGE', `a saved plan is of one account, and ${config.file} names many: apply the reviewed plan with --expect-plan-hash (its hash covers every account)`);
      }
      const shardRaw = stringOption(values, 'shard');
      return applyManyAccounts(ctx, config, { format, parallelism, maxDeletes, dryRun, expectedHash, shard: shardRaw === undefined ? undefined : parseShard(shardRaw) });
    }
    assertOneAccount(values);
    const options = planOptionsFrom(values);
    if (planFile !== undefined && options.replace !== undefined) {
      throw new SinkopsError('USAGE', '--replace is for planning: a saved plan already says what it replaces (plan again with --replace, then apply that plan)');
    }
    const deadline = startDeadline('apply', values, io.env);
    // SIGINT and SIGTERM: before the confirmation they cancel everything, after it no new action starts.
    const interrupt = onApplyInterrupt(io.stderr);
    // What ends the reads, the prompt and the lease: the deadline, or a signal before the apply began.
    const cancel = AbortSignal.any([deadline.signal, interrupt.preparing]);
    try {
      const dir = stringOption(values, 'dir', 'sinks');
      const desired = planFile === undefined ? await loadDesiredOrFail(dir, io, secrets) : undefined;
      if (desired !== undefined) assertReplaceable(options, desired, dir);
      const saved = planFile === undefined ? undefined : await loadSavedPlan(planFile, values, io, secrets);
      // A saved plan says without the account what it sends: a secret it needs that is not set
      // stops it before connecting (SPEC §4). A dry run sends no configuration and needs none.
      if (saved !== undefined && !dryRun) assertKnown(outgoing(saved.actions));
      cancel.throwIfAborted();

      const limiter = new AdaptiveLimiter(parallelism);
      const connection = await connect(io, {
        local: flag(values, 'local'),
        logger,
        onRateLimited: () => limiter.onRateLimited(),
        signal: cancel,
        ...(desired ? { seedFrom: desired.sinks } : {}),
        ...(options.stack !== undefined ? { stack: options.stack } : {}),
      });
      let lease: Lease | undefined;
      try {
        const { plan, remote } =
          saved !== undefined && planFile !== undefined
            ? await computeSavedPlan(saved, planFile, connection.api, options)
            : await computePlan(desired!, connection.api, options);
        cancel.throwIfAborted();
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
        assertSafe(plan, { maxDeletes, allowEmpty: flag(values, 'allow-empty') });
        // Only the secrets of what the plan sends (issue 12): an update or an adoption in place sends
        // a description, so an apply right after `import` needs none. Checked before the prompt and
        // before anything changes; a dry run sends no configuration and says what is missing instead.
        if (!dryRun) assertResolved(plan);
        if (!dryRun && !flag(values, 'yes')) await confirmApply(io, `apply these changes to ${connection.target}`, cancel);
        interrupt.startApplying();
        if (!dryRun && !flag(values, 'local') && hasRunnableActions(plan)) {
          // One apply at a time per account and stack (src/apply/lease.ts), from here to the end; the
          // account must still be what the plan was computed from. The local account has its own lock.
          if (leaseFits(plan.sinkCount)) {
            lease = await acquireLease(connection.api, leaseOptions(values, options.stack, deadline.seconds));
            assertUnchangedSince(remote, lease.sinks);
          } else {
            const { limit, peak } = plan.sinkCount;
            const note = `Note: the apply takes the account to ${peak} of its ${limit} sinks, which leaves no slot for the apply lease; applying without it. Make sure no other apply runs against this account now.\n`;
            (human ? io.stdout : io.stderr).write(note);
            logger.warn({ peak, limit }, 'no sink slot for the apply lease; applying without it');
            assertUnchangedSince(remote, await connection.api.listSinks());
          }
        }

        // Progress goes beside the result: with the text result on stdout, otherwise on stderr, so
        // that a Markdown or JSON result stays a document.
        const onProgress = progressReporter(human ? io.stdout : io.stderr);
        // Past the deadline, or after a signal, actions not yet started are skipped; those in flight
        // finish after a signal, and are cancelled (failed) past the deadline.
        const stop = AbortSignal.any([deadline.signal, interrupt.signal]);
        const result = await execute(plan, connection.api, { parallelism, limiter, dryRun, logger, signal: stop, onProgress });
        if (human) io.stdout.write('\n');
        io.stdout.write(renderApplyResult(result, format));
        if (dryRun) {
          const missing = unknownValues(outgoing(plan.actions));
          if (missing.length > 0) (human ? io.stdout : io.stderr).write(missingValuesNote(missing));
        }
        // The result above says what was done and what was skipped; the error says what stopped it
        // (first, when both the deadline and a signal did).
        const interruptedFirst = interrupt.received !== undefined && stop.reason === interrupt.signal.reason;
        if (!interruptedFirst && result.counts.skipped + result.counts.failed > 0) throwIfPassed(deadline);
        if (interrupt.received !== undefined) throw interruptedWhileApplying(interrupt.received, result.counts.skipped);
        return applyExitCode(result);
      } finally {
        if (lease !== undefined) await releaseLease(lease, connection, cancel, io, logger);
        await connection.close();
      }
    } finally {
      interrupt.dispose();
      deadline.stop();
    }
  },
};
