import { resolve } from 'node:path';
import { SinkopsError } from '../../errors.js';
import { readTextFile } from '../../files.js';
import { GitHubClient } from '../../github/client.js';
import { githubConfigFromEnv } from '../../github/config.js';
import { resolvePullRequest } from '../../github/pull-request.js';
import { DEFAULT_COMMENT_AUTHOR, findSticky, fitComment, planHashOf, upsertSticky, type StickyOptions } from '../../github/sticky.js';
import { EXIT, flag, stackOption, stringOption, type Command, type CommandContext } from '../command.js';
import { DEADLINE_HELP, DEADLINE_OPTIONS, startDeadline, type Deadline } from '../deadline.js';

const SUBCOMMANDS = ['comment', 'reviewed-hash'] as const;

function stickyOptions(values: CommandContext['values']): StickyOptions {
  const stack = stackOption(values);
  return {
    ...(stack === undefined ? {} : { stack }),
    author: stringOption(values, 'author', DEFAULT_COMMENT_AUTHOR),
  };
}

function forbid(values: CommandContext['values'], sub: string, names: readonly string[]): void {
  for (const name of names) {
    if (values[name] !== undefined) throw new SinkopsError('USAGE', `--${name} is not an option of 'github ${sub}'`);
  }
}

/**
 * GitHub keeps at most 65,536 characters of a comment (the rest is cut, see fitComment) and 1 MiB of
 * a job summary; 4 MiB is beyond any file meant for either, and bounds what a wrong path costs.
 */
export const MAX_COMMENT_FILE_BYTES = 4 * 1024 * 1024;

function readContent(file: string, cwd: string): string {
  return readTextFile(resolve(cwd, file), { what: 'a comment file', maxBytes: MAX_COMMENT_FILE_BYTES, code: 'USAGE', display: file });
}

function clientFor({ io, logger }: CommandContext, deadline: Deadline): GitHubClient {
  return new GitHubClient(githubConfigFromEnv(io.env), { logger, signal: deadline.signal });
}

async function comment(ctx: CommandContext, deadline: Deadline): Promise<number> {
  const { values, io } = ctx;
  const file = stringOption(values, 'file');
  if (file === undefined) throw new SinkopsError('USAGE', "'github comment' needs --file FILE (for example the output of `sinkops plan --format markdown`)");
  const options = stickyOptions(values);
  const content = readContent(file, io.cwd);
  const client = clientFor(ctx, deadline);
  const pr = await resolvePullRequest(stringOption(values, 'pr'), io.env, client);
  if (flag(values, 'new')) {
    const posted = await client.createIssueComment(pr, fitComment(content));
    io.stdout.write(`Posted a comment on pull request #${pr}: ${posted.url}\n`);
    return EXIT.OK;
  }
  const { action, comment: sticky } = await upsertSticky(client, pr, content, options);
  const what =
    action === 'unchanged'
      ? `The sinkops comment on pull request #${pr} is already current`
      : `${action === 'created' ? 'Created' : 'Updated'} the sinkops comment on pull request #${pr}`;
  io.stdout.write(`${what}: ${sticky.url}\n`);
  return EXIT.OK;
}

async function reviewedHash(ctx: CommandContext, deadline: Deadline): Promise<number> {
  const { values, io } = ctx;
  forbid(values, 'reviewed-hash', ['file', 'new']);
  const options = stickyOptions(values);
  const client = clientFor(ctx, deadline);
  const pr = await resolvePullRequest(stringOption(values, 'pr'), io.env, client);
  const stackText = options.stack === undefined ? '' : ` for stack ${options.stack}`;
  const sticky = findSticky(await client.listIssueComments(pr), options);
  if (sticky === undefined) {
    throw new SinkopsError('NOT_FOUND', `Pull request #${pr} has no sinkops plan comment${stackText} by ${options.author}: no plan was reviewed.`, {
      details: ['Review a plan (sinkops plan), then apply without --expect-plan-hash (in GitHub Actions: run the apply workflow by hand).'],
    });
  }
  const hash = planHashOf(sticky.body);
  if (hash === undefined) {
    throw new SinkopsError('NOT_FOUND', `The sinkops comment on pull request #${pr}${stackText} carries no plan hash: the plan was skipped or failed, so no plan was reviewed.`, {
      details: [sticky.url, 'Review a plan (sinkops plan), then apply without --expect-plan-hash (in GitHub Actions: run the apply workflow by hand).'],
    });
  }
  io.stdout.write(`${hash}\n`);
  return EXIT.OK;
}

export const githubCommand: Command = {
  name: 'github',
  summary: 'Pull-request comments for GitHub Actions: the sticky plan comment, the reviewed plan hash',
  usage: [
    'github comment --file plan.md [--pr N] [--stack S] [--new] [--author LOGIN] [--deadline SECONDS]',
    '       sinkops github reviewed-hash [--pr N] [--stack S] [--author LOGIN] [--deadline SECONDS]',
  ].join('\n'),
  positionals: ['comment|reviewed-hash'],
  help: {
    'comment': 'create or edit the sticky comment (found by a hidden marker) with the text of --file',
    'reviewed-hash': "print the plan hash of the sticky comment (what was reviewed), for `apply --expect-plan-hash`",
    '--file FILE': 'comment: the text to post, for example `sinkops plan --format markdown` output',
    '--pr N': 'the pull request (default: from the workflow event; after a push, the pull request merged as GITHUB_SHA)',
    '--stack S': 'one sticky comment per stack: the marker becomes <!-- sinkops:sticky:S -->',
    '--new': 'comment: post a new comment instead of editing the sticky one (apply results)',
    '--author LOGIN': `only this author's comments can be the sticky one (default ${DEFAULT_COMMENT_AUTHOR})`,
    ...DEADLINE_HELP,
  },
  options: {
    ...DEADLINE_OPTIONS,
    file: { type: 'string' },
    pr: { type: 'string' },
    stack: { type: 'string' },
    new: { type: 'boolean' },
    author: { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub === 'comment' || sub === 'reviewed-hash') {
      const deadline = startDeadline(`github ${sub}`, ctx.values, ctx.io.env);
      try {
        return await (sub === 'comment' ? comment(ctx, deadline) : reviewedHash(ctx, deadline));
      } finally {
        deadline.stop();
      }
    }
    throw new SinkopsError(
      'USAGE',
      sub === undefined ? `'github' needs a subcommand: ${SUBCOMMANDS.join(' or ')}` : `unknown github subcommand '${sub}' (${SUBCOMMANDS.join(', ')})`,
    );
  },
};
