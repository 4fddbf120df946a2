/**
 * `sinkops plan` in a repository with `sinkops.yaml` (SPEC §14): every selected account planned
 * concurrently, each account's plan under its name, then the accounts' totals; one plan hash for
 * the whole. An account that fails is named with its reason and the others are planned; the exit
 * code is the worst account's.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { planErrorsAsWorkflowCommands } from '../github/annotations.js';
import { runContextFromEnv } from '../github/run-context.js';
import { useColor } from '../io.js';
import type { AccountPlanOutcome } from '../fleet/model.js';
import { accountsPlanHash, planHash } from '../plan/plan-hash.js';
import { assertSafe, hasRunnableActions } from '../plan/safety.js';
import { accountError, renderAccountsPlan, type AccountPlanView } from '../render/accounts.js';
import type { RenderFormat } from '../render/index.js';
import { isSinkopsError, SinkopsError } from '../errors.js';
import { EXIT, flag, stringOption, type CommandContext } from './command.js';
import { startDeadline } from './deadline.js';
import { openAccounts, type AccountsRun } from './many-accounts.js';
import { planOptionsFrom } from './planning-options.js';
import type { RepoConfig } from '../accounts/model.js';

/** The plan of each account as the renderers and the hash take it, in the run's order. */
export function planViews(outcomes: readonly AccountPlanOutcome[]): AccountPlanView[] {
  return outcomes.map((o) =>
    o.status === 'planned'
      ? { name: o.name, plan: o.plan }
      : { name: o.name, error: accountError(o.error) },
  );
}

export function viewsHash(views: readonly AccountPlanView[]): string {
  return accountsPlanHash(views.map((v) => ({ name: v.name, hash: v.plan === undefined ? undefined : planHash(v.plan) })));
}

/**
 * Plan refusals that a run of one account raises after printing the plan (`--allow-empty`), here
 * per account: that account's plan is shown, and the run fails naming it.
 */
function unsafeAccounts(outcomes: readonly AccountPlanOutcome[], allowEmpty: boolean): SinkopsError[] {
  return outcomes.flatMap((o) => {
    if (o.status !== 'planned') return [];
    try {
      assertSafe(o.plan, { maxDeletes: Number.POSITIVE_INFINITY, allowEmpty });
      return [];
    } catch (e) {
      if (!isSinkopsError(e)) throw e;
      return [new SinkopsError(e.code, `${o.name}: ${e.message}`, { details: e.details })];
    }
  });
}

export async function planManyAccounts(ctx: CommandContext, config: RepoConfig, format: RenderFormat, maxChars: number | undefined): Promise<number> {
  const { values, io, logger } = ctx;
  if (flag(values, 'watch')) throw new SinkopsError('USAGE', '--watch plans one account: with sinkops.yaml, run plan without it (or --account NAME to narrow it)');
  const options = planOptionsFrom(values);
  const context = format === 'markdown' ? runContextFromEnv(io.env) : {};
  const render = {
    color: useColor(io),
    verbose: flag(values, 'verbose'),
    ...(maxChars === undefined ? {} : { maxChars }),
    ...(Object.keys(context).length === 0 ? {} : { context }),
  };
  const deadline = startDeadline('plan', values, io.env);
  let run: AccountsRun | undefined;
  try {
    run = await openAccounts(ctx, config, { signal: deadline.signal, purpose: 'plan' });
    const outcomes = await run.plan(options);
    const views = planViews(outcomes);
    const hash = viewsHash(views);
    io.stdout.write(renderAccountsPlan({ accounts: views, hash }, format, render));
    const out = stringOption(values, 'out');
    if (out !== undefined) {
      // For review and archives (a workflow's artifact): the plan of every account, as --format json
      // prints it. Applying goes through the hash, since a saved plan file is of one account.
      await writeFile(resolve(io.cwd, out), renderAccountsPlan({ accounts: views, hash }, 'json', { color: false, verbose: true }), 'utf8');
      const note = `Saved the plan of ${views.length} accounts to ${out}. Apply exactly this plan with: sinkops apply --expect-plan-hash ${hash}\n`;
      if (format === 'text') io.stdout.write(`\n${note}`);
      else io.stderr.write(note);
    }
    if (flag(values, 'annotations')) {
      for (const o of outcomes) if (o.status === 'planned') for (const line of planErrorsAsWorkflowCommands(o.plan.errors)) io.stderr.write(`${line}\n`);
    }
    const unsafe = unsafeAccounts(outcomes, flag(values, 'allow-empty'));
    for (const e of unsafe) io.stderr.write(`Error: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
    const failed = outcomes.filter((o) => o.status === 'failed').length;
    if (failed > 0) io.stderr.write(`Error: ${failed} account${failed === 1 ? '' : 's'} could not be planned (see above).\n`);
    logger.info({ accounts: outcomes.length, failed }, 'plan computed');
    if (failed > 0 || unsafe.length > 0 || outcomes.some((o) => o.status === 'planned' && o.plan.errors.length > 0)) return EXIT.ERROR;
    return flag(values, 'detailed-exitcode') && outcomes.some((o) => o.status === 'planned' && hasRunnableActions(o.plan)) ? EXIT.CHANGES : EXIT.OK;
  } finally {
    await run?.close();
    deadline.stop();
  }
}
