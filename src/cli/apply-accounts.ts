/**
 * `sinkops apply` in a repository with `sinkops.yaml` (SPEC §14): plan every selected account, show
 * the plans, check the reviewed hash of the whole, ask once, then apply the accounts (of this
 * shard, with `--shard`) concurrently, each with its own lease and window. One account's failure is
 * reported for it and the others go on; the exit code is the worst account's.
 */
import { progressReporter } from '../apply/progress.js';
import type { Lease } from '../apply/lease.js';
import { inShard, type Shard } from '../accounts/shard.js';
import type { RepoConfig } from '../accounts/model.js';
import { applyAccounts, readyToApply } from '../fleet/apply-accounts.js';
import type { AccountApplyOutcome, PlannedAccount } from '../fleet/model.js';
import { compareText } from '../plan/order.js';
import { accountDoneLine, renderAccountsResult } from '../fleet/render-results.js';
import { SinkopsError } from '../errors.js';
import { useColor } from '../io.js';
import { planChangedError } from '../plan/plan-hash.js';
import { hasRunnableActions } from '../plan/safety.js';
import { renderAccountsPlan } from '../render/accounts.js';
import type { RenderFormat } from '../render/index.js';
import { terminalSafe } from '../terminal-safe.js';
import { EXIT, flag, type CommandContext } from './command.js';
import { confirmApply } from './confirm.js';
import { startDeadline, throwIfPassed } from './deadline.js';
import { applyExitCode } from './exit-code.js';
import { onApplyInterrupt } from './interrupt.js';
import { leaseOptions } from './lease.js';
import { openAccounts, type AccountsRun } from './many-accounts.js';
import { planViews, viewsHash } from './plan-accounts.js';
import { planOptionsFrom } from './planning-options.js';

export interface ApplyAccountsSettings {
  readonly format: RenderFormat;
  readonly parallelism: number;
  readonly maxDeletes: number;
  readonly dryRun: boolean;
  readonly expectedHash: string | undefined;
  readonly shard: Shard | undefined;
}

/** The worst exit code of the accounts: an error anywhere, else blocked actions anywhere, else 0. */
function worstExitCode(outcomes: readonly AccountApplyOutcome[]): number {
  const codes = outcomes.map((o) => (o.status === 'failed' || o.status === 'skipped' ? EXIT.ERROR : o.status === 'applied' ? applyExitCode(o.result) : EXIT.OK));
  if (codes.includes(EXIT.ERROR)) return EXIT.ERROR;
  return codes.includes(EXIT.BLOCKED) ? EXIT.BLOCKED : EXIT.OK;
}

export async function applyManyAccounts(ctx: CommandContext, config: RepoConfig, s: ApplyAccountsSettings): Promise<number> {
  const { values, io, logger } = ctx;
  const options = planOptionsFrom(values);
  const human = s.format === 'text';
  const deadline = startDeadline('apply', values, io.env);
  // As for one account: a signal before the confirmation cancels everything; after it, accounts
  // not begun are skipped and those begun start no new action.
  const interrupt = onApplyInterrupt(io.stderr);
  const cancel = AbortSignal.any([deadline.signal, interrupt.preparing]);
  let run: AccountsRun | undefined;
  try {
    const opened = await openAccounts(ctx, config, { signal: cancel, purpose: 'apply', parallelism: s.parallelism });
    run = opened;
    // Every selected account is planned, the shard's and the others': the reviewed hash covers them all.
    const outcomes = await opened.plan(options);
    cancel.throwIfAborted();
    const views = planViews(outcomes);
    const hash = viewsHash(views);
    if (human) io.stdout.write(renderAccountsPlan({ accounts: views, hash }, 'text', { color: useColor(io), verbose: false }));
    if (s.expectedHash !== undefined && hash !== s.expectedHash) {
      if (!human) io.stdout.write(renderAccountsPlan({ accounts: views, hash }, s.format, { color: false, verbose: false }));
      throw planChangedError(s.expectedHash, hash);
    }
    const mine = s.shard === undefined ? outcomes : outcomes.filter((o) => inShard(o.name, s.shard as Shard));
    if (s.shard !== undefined) {
      const note = `Shard ${s.shard.index}/${s.shard.count}: ${mine.length} of the ${outcomes.length} accounts.\n`;
      (human ? io.stdout : io.stderr).write(`${human ? '\n' : ''}${note}`);
    }
    const { ready, settled } = readyToApply(mine, { maxDeletes: s.maxDeletes, allowEmpty: flag(values, 'allow-empty'), dryRun: s.dryRun });
    if (ready.length > 0 && !s.dryRun && !flag(values, 'yes')) {
      await confirmApply(io, `apply these changes to ${ready.length} account${ready.length === 1 ? '' : 's'} (${run.target})`, cancel);
    }
    interrupt.startApplying();

    const stop = AbortSignal.any([deadline.signal, interrupt.signal]);
    const out = human ? io.stdout : io.stderr;
    if (human && ready.length > 0) io.stdout.write('\n');
    let done = 0;
    const single = ready.length === 1 ? progressReporter(out) : undefined;
    const applied = await applyAccounts(ready, {
      accountConcurrency: run.accountConcurrency,
      parallelism: s.parallelism,
      dryRun: s.dryRun,
      logger,
      lease: run.local || !ready.some((a) => hasRunnableActions(a.plan)) ? undefined : leaseOptions(values, options.stack, deadline.seconds),
      signal: stop,
      // One account: its actions' progress, as a run of one prints it; many: a line per account.
      ...(single === undefined ? {} : { onProgress: (_account: string, event) => single(event) }),
      onAccountDone: (outcome) => {
        done += 1;
        if (ready.length > 1) out.write(`${accountDoneLine(outcome, done, ready.length)}\n`);
      },
      releaseLate: (account: PlannedAccount, lease: Lease) => opened.releaseLate(account, lease),
    });
    const all = [...settled, ...applied].sort((a, b) => compareText(a.name, b.name));
    if (human) io.stdout.write('\n');
    io.stdout.write(renderAccountsResult(all, s.format, s.dryRun));
    for (const o of all) {
      if (o.status === 'failed') logger.warn({ account: o.name, code: o.error.code }, 'account failed');
    }
    const failed = all.filter((o) => o.status === 'failed');
    if (failed.length > 0) io.stderr.write(`Error: ${failed.length} account${failed.length === 1 ? '' : 's'} failed: ${failed.map((o) => terminalSafe(o.name)).join(', ')}.\n`);
    if (interrupt.received === undefined && all.some((o) => o.status === 'skipped')) throwIfPassed(deadline);
    if (interrupt.received !== undefined) {
      throw new SinkopsError('INTERRUPTED', `sinkops apply was interrupted (${interrupt.received}): accounts not yet begun were skipped, and those begun started no new action (see above).`, {
        details: ['Run sinkops apply again to finish: it plans from the accounts as they are now.'],
      });
    }
    return worstExitCode(all);
  } finally {
    await run?.close();
    interrupt.dispose();
    deadline.stop();
  }
}

