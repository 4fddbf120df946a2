/**
 * `sinkops accounts` (SPEC §14): the accounts of sinkops.yaml, fleets expanded through the Accounts
 * API — for a person (text), a program (json), or a GitHub Actions matrix: one job per account, or
 * with `--shards N` one job per shard, each then running `apply --shard i/N` on a disjoint set.
 */
import { loadRepoConfig } from '../../accounts/config.js';
import { REPO_CONFIG_FILE } from '../../accounts/file-name.js';
import { parseShardCount, shardOf } from '../../accounts/shard.js';
import { SinkopsError } from '../../errors.js';
import { accountError } from '../../render/accounts.js';
import { terminalSafe } from '../../terminal-safe.js';
import { choiceOption, EXIT, stringOption, type Command } from '../command.js';
import { startDeadline } from '../deadline.js';
import { openAccounts } from '../many-accounts.js';

const FORMATS = ['text', 'json', 'github-matrix'] as const;

/** GitHub runs at most 256 jobs from one matrix. */
const MATRIX_LIMIT = 256;

export const accountsCommand: Command = {
  name: 'accounts',
  summary: 'List the accounts of sinkops.yaml (fleets expanded), as text, JSON or a GitHub Actions matrix of shards',
  usage: 'accounts [--format text|json|github-matrix] [--shards N] [--account NAME]... [--local]',
  help: {
    '--format F': 'text (default), json, or github-matrix (one line of JSON for a job matrix)',
    '--shards N': 'split the accounts into N disjoint shards (for `apply --shard i/N`); the matrix then has one job per shard',
    '--account NAME': 'only this account, fleet or fleet member; globs * and ? (repeatable)',
    '--local': 'the accounts of the embedded local account (.sinkops/local-account.json)',
  },
  options: {
    format: { type: 'string' },
    shards: { type: 'string' },
    account: { type: 'string', multiple: true },
    local: { type: 'boolean' },
  },
  async run(ctx) {
    const { values, io } = ctx;
    const format = choiceOption(values, 'format', FORMATS);
    const shardsRaw = stringOption(values, 'shards');
    const shards = shardsRaw === undefined ? undefined : parseShardCount(shardsRaw, '--shards');
    const config = await loadRepoConfig(io.cwd);
    if (config === undefined) {
      throw new SinkopsError('NOT_FOUND', `there is no ${REPO_CONFIG_FILE} here: this repository has one account (sinks/), so there is nothing to list`);
    }
    const deadline = startDeadline('accounts', values, io.env);
    const run = await openAccounts(ctx, config, { signal: deadline.signal, purpose: 'list' });
    try {
      const accounts = run.targets.map((t) => ({
        name: t.name,
        dir: t.dir,
        ...(t.fleet === undefined ? {} : { fleet: t.fleet }),
        ...(t.vars === undefined ? {} : { sid: t.vars.sid }),
        ...(shards === undefined ? {} : { shard: `${shardOf(t.name, shards)}/${shards}` }),
      }));
      if (format === 'json') {
        const failures = run.failed.map((f) => ({ name: f.name, error: accountError(f.error) }));
        io.stdout.write(`${JSON.stringify({ accounts, failures }, null, 2)}\n`);
      } else if (format === 'github-matrix') {
        const include =
          shards === undefined
            ? accounts.map((a) => ({ account: a.name }))
            : Array.from({ length: shards }, (_, i) => ({ shard: `${i + 1}/${shards}`, accounts: accounts.filter((a) => a.shard === `${i + 1}/${shards}`).length }));
        if (include.length > MATRIX_LIMIT) {
          throw new SinkopsError('USAGE', `${include.length} jobs are more than a GitHub Actions matrix runs (${MATRIX_LIMIT}): use --shards N (N ≤ ${MATRIX_LIMIT})`);
        }
        io.stdout.write(`${JSON.stringify({ include })}\n`);
      } else {
        const width = Math.max(0, ...accounts.map((a) => terminalSafe(a.name).length));
        for (const a of accounts) io.stdout.write(`${terminalSafe(a.name).padEnd(width)}  ${terminalSafe(a.dir)}${a.sid === undefined ? '' : `  ${a.sid}`}${a.shard === undefined ? '' : `  shard ${a.shard}`}\n`);
        io.stdout.write(`${accounts.length} account${accounts.length === 1 ? '' : 's'}${run.failed.length > 0 ? `; ${run.failed.length} fleet${run.failed.length === 1 ? '' : 's'} could not be listed` : ''}.\n`);
      }
      for (const f of run.failed) io.stderr.write(`Error: ${terminalSafe(f.name)}: ${terminalSafe(f.error.message)}\n${f.error.details.map((d) => `  ${terminalSafe(d)}\n`).join('')}`);
      return run.failed.length > 0 ? EXIT.ERROR : EXIT.OK;
    } finally {
      await run.close();
      deadline.stop();
    }
  },
};
