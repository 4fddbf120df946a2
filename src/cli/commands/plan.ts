import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { useColor } from '../../io.js';
import { computePlan } from '../../pipeline/compute-plan.js';
import { assertSafe, hasRunnableActions } from '../../plan/safety.js';
import { runContextFromEnv } from '../../github/run-context.js';
import { planErrorsAsWorkflowCommands } from '../../github/annotations.js';
import { JOB_SUMMARY_LIMIT, MARKDOWN_LIMIT, MARKDOWN_MIN_CHARS, renderPlan, RENDER_FORMATS, type RenderFormat } from '../../render/index.js';
import { SinkopsError } from '../../errors.js';
import { choiceOption, EXIT, flag, stringOption, type Command, type OptionValues } from '../command.js';
import { connect } from '../connect.js';
import { DEADLINE_HELP, DEADLINE_OPTIONS, startDeadline } from '../deadline.js';
import { loadDesiredOrFail } from '../load-desired.js';
import { assertOneAccount, assertReplaceable, PLANNING_HELP, PLANNING_OPTIONS, planOptionsFrom } from '../planning-options.js';
import { planManyAccounts } from '../plan-accounts.js';
import { loadRepoConfig } from '../../accounts/config.js';
import { watchPlans } from '../watch.js';

/**
 * `--max-chars N`: how long the Markdown plan may be. The default fits a pull-request comment; a
 * job summary holds 1 MiB (of UTF-8, hence the workflow's 1000000: room for non-ASCII text).
 */
function maxChars(values: OptionValues, format: RenderFormat): number | undefined {
  const raw = stringOption(values, 'max-chars');
  if (raw === undefined) return undefined;
  if (format !== 'markdown') throw new SinkopsError('USAGE', '--max-chars is for --format markdown (text and JSON are never shortened)');
  if (!/^\d+$/.test(raw) || Number(raw) < MARKDOWN_MIN_CHARS || Number(raw) > JOB_SUMMARY_LIMIT) {
    throw new SinkopsError('USAGE', `--max-chars must be a whole number from ${MARKDOWN_MIN_CHARS} to ${JOB_SUMMARY_LIMIT}, not '${raw}'`);
  }
  return Number(raw);
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'Compare the repository with the account and show what apply would change',
  usage:
    'plan [--dir sinks] [--format text|markdown|json] [--max-chars N] [--out plan.json] [--detailed-exitcode] [--no-prune] [--allow-empty] [--stack S] [--local] [--watch] [--replace NAME]... [--sink-limit N] [--annotations] [--deadline SECONDS] [--account NAME]... [--account-concurrency N] [--shard i/N]',
  help: {
    ...PLANNING_HELP,
    '--format F': 'text (default), markdown (pull-request comment) or json',
    '--max-chars N': `markdown: the most characters (default ${MARKDOWN_LIMIT}, for a comment; 1000000 for a job summary); deletes, replacements and blocked actions are cut last`,
    '--out FILE': 'also save the plan as JSON, for `sinkops apply FILE`',
    '--detailed-exitcode': 'exit 2 when apply would send changes (0: nothing to do, or only blocked actions; 1: error)',
    '--watch': 'plan again whenever a sink file changes (remote state read once)',
    '--verbose': 'list unchanged sinks too',
    '--annotations': 'also print each plan error as a GitHub Actions error annotation (::error file=…) on stderr',
    ...DEADLINE_HELP,
  },
  options: {
    ...PLANNING_OPTIONS,
    ...DEADLINE_OPTIONS,
    format: { type: 'string' },
    'max-chars': { type: 'string' },
    out: { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    watch: { type: 'boolean' },
    verbose: { type: 'boolean' },
    annotations: { type: 'boolean' },
  },
  async run(ctx) {
    const { values, io, logger, secrets } = ctx;
    const format = choiceOption(values, 'format', RENDER_FORMATS);
    const limit = maxChars(values, format);
    // A repository with sinkops.yaml has many accounts (SPEC §14); without one, nothing changes.
    const config = await loadRepoConfig(io.cwd);
    if (config !== undefined) return planManyAccounts(ctx, config, format, limit);
    assertOneAccount(values);
    const dir = stringOption(values, 'dir', 'sinks');
    const options = planOptionsFrom(values);
    const allowEmpty = flag(values, 'allow-empty');
    // The Markdown footer names the commit and links the run (GitHub Actions' variables, checked);
    // read here, so the renderer stays pure.
    const context = format === 'markdown' ? runContextFromEnv(io.env) : {};
    const render = {
      color: useColor(io),
      verbose: flag(values, 'verbose'),
      ...(limit === undefined ? {} : { maxChars: limit }),
      ...(Object.keys(context).length === 0 ? {} : { context }),
    };
    const deadline = startDeadline('plan', values, io.env);
    try {
      const desired = await loadDesiredOrFail(dir, io, secrets);
      assertReplaceable(options, desired, dir);
      const connection = await connect(io, {
        local: flag(values, 'local'),
        logger,
        seedFrom: desired.sinks,
        signal: deadline.signal,
        ...(options.stack !== undefined ? { stack: options.stack } : {}),
      });
      try {
        const { plan, remote } = await computePlan(desired, connection.api, options);
        logger.info({ target: connection.target, remoteSinks: remote.sinks.length }, 'plan computed');
        if (flag(values, 'watch')) {
          // The remote state is read; watching sends no request and runs until Ctrl-C, so the
          // deadline, which bounds talking to the API, ends here.
          deadline.stop();
          return await watchPlans({ dir, io, remote, options, allowEmpty, format, render });
        }
        io.stdout.write(renderPlan(plan, format, render));
        // --annotations: plan errors on the lines they come from in a pull request (stdout unchanged).
        if (flag(values, 'annotations')) for (const line of planErrorsAsWorkflowCommands(plan.errors)) io.stderr.write(`${line}\n`);
        // SPEC §4: pruning every managed sink is refused unless --allow-empty, in plan as in apply, so a
        // mistyped --dir fails in review. Shown first, refused after; no plan file is saved.
        // --max-deletes is apply's limit alone (plan has no such flag).
        assertSafe(plan, { maxDeletes: Number.POSITIVE_INFINITY, allowEmpty });
        const out = stringOption(values, 'out');
        if (out !== undefined) {
          await writeFile(resolve(io.cwd, out), renderPlan(plan, 'json', { color: false, verbose: true }), 'utf8');
          // On stdout only beside the text plan: Markdown and JSON output are documents (a comment, a file).
          const note = `Saved the plan to ${out}. Apply exactly this plan with: sinkops apply ${out}\n`;
          if (format === 'text') io.stdout.write(`\n${note}`);
          else io.stderr.write(note);
        }
        if (plan.errors.length > 0) return EXIT.ERROR;
        // 2 only when an apply would do something: blocked actions send nothing (SPEC §9).
        return flag(values, 'detailed-exitcode') && hasRunnableActions(plan) ? EXIT.CHANGES : EXIT.OK;
      } finally {
        await connection.close();
      }
    } finally {
      deadline.stop();
    }
  },
};
