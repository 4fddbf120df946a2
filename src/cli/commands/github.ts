import { resolve } from 'node:path';
import { SinkopsError } from '../../errors.js';
import { readTextFile } from '../../files.js';
import { GitHubClient } from '../../github/client.js';
import { githubConfigFromEnv } from '../../github/config.js';
import { assessPlan, DEFAULT_DRIFT_TITLE, GITHUB_TITLE_LIMIT, syncDriftIssue, type DriftOptions, type DriftResult } from '../../github/drift.js';
import { resolvePullRequest } from '../../github/pull-request.js';
import { runContextFromEnv } from '../../github/run-context.js';
import { DEFAULT_COMMENT_AUTHOR, findSticky, headerLines, planHashOf, postComment, upsertSticky, type StickyOptions } from '../../github/sticky.js';
import { readPlanFile } from '../../plan/codec.js';
import { parsePlanHashComment, planHash } from '../../plan/plan-hash.js';
import { terminalSafe } from '../../terminal-safe.js';
import { EXIT, flag, stackOption, stringOption, type Command, type CommandContext, type OptionValues } from '../command.js';
import { DEADLINE_HELP, DEADLINE_OPTIONS, startDeadline, type Deadline } from '../deadline.js';
import { MAX_PLAN_FILE_BYTES } from './apply.js';

const SUBCOMMANDS = ['comment', 'reviewed-hash', 'drift'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];
/** The options only some subcommands take; any other subcommand refuses them. */
const OWN_OPTIONS: Readonly<Record<Subcommand, readonly string[]>> = {
  comment: ['file', 'pr', 'new'],
  'reviewed-hash': ['pr'],
  drift: ['file', 'plan-json', 'title', 'label'],
};
const SUBCOMMAND_OPTIONS = ['file', 'pr', 'new', 'plan-json', 'title', 'label'] as const;

function stickyOptions(values: CommandContext['values']): StickyOptions {
  const stack = stackOption(values);
  return {
    ...(stack === undefined ? {} : { stack }),
    author: stringOption(values, 'author', DEFAULT_COMMENT_AUTHOR),
  };
}

function forbidOthers(values: OptionValues, sub: Subcommand): void {
  for (const name of SUBCOMMAND_OPTIONS) {
    if (values[name] !== undefined && !OWN_OPTIONS[sub].includes(name)) throw new SinkopsError('USAGE', `--${name} is not an option of 'github ${sub}'`);
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
    const posted = await postComment(client, pr, content);
    io.stdout.write(`Posted a comment on pull request #${pr}: ${terminalSafe(posted.url)}\n`);
    return EXIT.OK;
  }
  const { action, comment: sticky } = await upsertSticky(client, pr, content, options);
  const what =
    action === 'unchanged'
      ? `The sinkops comment on pull request #${pr} is already current`
      : `${action === 'created' ? 'Created' : 'Updated'} the sinkops comment on pull request #${pr}`;
  io.stdout.write(`${what}: ${terminalSafe(sticky.url)}\n`);
  return EXIT.OK;
}

async function reviewedHash(ctx: CommandContext, deadline: Deadline): Promise<number> {
  const { values, io } = ctx;
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

/** `--title`: one line GitHub accepts. */
function titleOption(values: OptionValues, stack: string | undefined): string {
  const title = stringOption(values, 'title');
  if (title === undefined) return stack === undefined ? DEFAULT_DRIFT_TITLE : `${DEFAULT_DRIFT_TITLE} (stack ${stack})`;
  if (title.trim() === '' || title.length > GITHUB_TITLE_LIMIT || /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(title)) {
    throw new SinkopsError('USAGE', `--title must be one line of 1 to ${GITHUB_TITLE_LIMIT} characters, without control or invisible characters`);
  }
  return title;
}

/** `--label L` (repeatable): GitHub's label names are at most 50 characters. */
function labelOptions(values: OptionValues): string[] {
  const raw = values['label'];
  const labels = Array.isArray(raw) ? raw.filter((l): l is string => typeof l === 'string') : typeof raw === 'string' ? [raw] : [];
  for (const label of labels) {
    if (label.trim() === '' || label.length > 50 || /[\p{Cc}\p{Cf}\u2028\u2029,]/u.test(label)) {
      throw new SinkopsError('USAGE', `--label must be a label name of 1 to 50 characters, without commas, control or invisible characters, not '${label}'`);
    }
  }
  return labels;
}

/** One line on stdout: what was done to which issue. */
function driftLine(result: DriftResult): string {
  const issue = result.issue;
  const ref = issue === undefined ? '' : `#${issue.number}`;
  const url = issue === undefined ? '' : `: ${terminalSafe(issue.url)}`;
  switch (result.action) {
    case 'created':
      return `Opened the drift issue ${ref}${url}`;
    case 'updated':
      return `Updated the drift issue ${ref}${url}`;
    case 'reopened':
      return `Re-opened the drift issue ${ref}${url}`;
    case 'unchanged':
      return `The drift issue ${ref} is already current${url}`;
    case 'closed':
      return `The account matches main: closed the drift issue ${ref}${url}`;
    case 'none':
      return 'The account matches main, and no drift issue is open';
  }
}

async function drift(ctx: CommandContext, deadline: Deadline): Promise<number> {
  const { values, io } = ctx;
  const file = stringOption(values, 'file');
  const planJson = stringOption(values, 'plan-json');
  if (file === undefined || planJson === undefined) {
    throw new SinkopsError('USAGE', "'github drift' needs --file plan.md and --plan-json plan.json (both from one `sinkops plan --format markdown --out plan.json > plan.md`)");
  }
  const stack = stackOption(values);
  const content = readContent(file, io.cwd);
  const text = readTextFile(resolve(io.cwd, planJson), { what: 'a saved plan', maxBytes: MAX_PLAN_FILE_BYTES, code: 'PLAN_FILE', display: planJson });
  const saved = readPlanFile(text, planJson);
  // The two files must be one plan: the Markdown's hidden first line names the plan's hash.
  const shown = headerLines(content).map(parsePlanHashComment).find((h) => h !== undefined);
  const hash = planHash(saved);
  if (shown !== hash) {
    throw new SinkopsError('USAGE', `${file} and ${planJson} are not the same plan: ${file} ${shown === undefined ? 'carries no plan hash' : `is plan ${shown}`}, ${planJson} is plan ${hash}.`, {
      details: ['Make both with one command: sinkops plan --format markdown --out plan.json > plan.md'],
    });
  }
  const assessment = assessPlan(saved);
  const context = runContextFromEnv(io.env);
  const options: DriftOptions = {
    ...(stack === undefined ? {} : { stack }),
    author: stringOption(values, 'author', DEFAULT_COMMENT_AUTHOR),
    title: titleOption(values, stack),
    labels: labelOptions(values),
    context,
  };
  const result = await syncDriftIssue(clientFor(ctx, deadline), content, assessment, options);
  io.stdout.write(`${driftLine(result)}\n`);
  const duplicates = result.action === 'closed' ? [] : result.closed;
  for (const extra of duplicates) io.stdout.write(`Closed #${extra.number}, a duplicate drift issue: ${terminalSafe(extra.url)}\n`);
  if (result.action === 'closed') for (const more of result.closed.slice(1)) io.stdout.write(`Closed drift issue #${more.number} too: ${terminalSafe(more.url)}\n`);
  if (!assessment.drift && assessment.blocked > 0) {
    io.stdout.write(`The plan has ${assessment.blocked} blocked action(s), which apply would not run: not drift.\n`);
  }
  return EXIT.OK;
}

export const githubCommand: Command = {
  name: 'github',
  summary: 'GitHub Actions: the sticky plan comment, the reviewed plan hash, the drift issue',
  usage: [
    'github comment --file plan.md [--pr N] [--stack S] [--new] [--author LOGIN] [--deadline SECONDS]',
    '       sinkops github reviewed-hash [--pr N] [--stack S] [--author LOGIN] [--deadline SECONDS]',
    '       sinkops github drift --file plan.md --plan-json plan.json [--title T] [--label L]... [--stack S] [--author LOGIN] [--deadline SECONDS]',
  ].join('\n'),
  positionals: ['comment|reviewed-hash|drift'],
  help: {
    'comment': 'create or edit the sticky comment (found by a hidden marker) with the text of --file',
    'reviewed-hash': "print the plan hash of the sticky comment (what was reviewed), for `apply --expect-plan-hash`",
    'drift': 'keep one issue open while the plan of main has changes apply would make (edited in place), closed when none',
    '--file FILE': 'comment: the text to post; drift: the Markdown plan (`sinkops plan --format markdown` output)',
    '--plan-json FILE': 'drift: the same plan as JSON (`--out plan.json`), which decides whether there is drift',
    '--title T': `drift: the issue's title (default '${DEFAULT_DRIFT_TITLE}')`,
    '--label L': 'drift: a label for a new issue (repeatable)',
    '--pr N': 'the pull request (default: from the workflow event; after a push, the pull request merged as GITHUB_SHA)',
    '--stack S': 'one sticky comment (and drift issue) per stack: the marker becomes <!-- sinkops:sticky:S -->',
    '--new': 'comment: post a new comment instead of editing the sticky one (apply results)',
    '--author LOGIN': `only this author's comments and issues are sinkops's (default ${DEFAULT_COMMENT_AUTHOR})`,
    ...DEADLINE_HELP,
  },
  options: {
    ...DEADLINE_OPTIONS,
    file: { type: 'string' },
    pr: { type: 'string' },
    stack: { type: 'string' },
    new: { type: 'boolean' },
    author: { type: 'string' },
    'plan-json': { type: 'string' },
    title: { type: 'string' },
    label: { type: 'string', multiple: true },
  },
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub === 'comment' || sub === 'reviewed-hash' || sub === 'drift') {
      forbidOthers(ctx.values, sub);
      const deadline = startDeadline(`github ${sub}`, ctx.values, ctx.io.env);
      try {
        return await (sub === 'comment' ? comment(ctx, deadline) : sub === 'drift' ? drift(ctx, deadline) : reviewedHash(ctx, deadline));
      } finally {
        deadline.stop();
      }
    }
    throw new SinkopsError(
      'USAGE',
      sub === undefined ? `'github' needs a subcommand: ${SUBCOMMANDS.slice(0, -1).join(', ')} or ${SUBCOMMANDS.at(-1)}` : `unknown github subcommand '${sub}' (${SUBCOMMANDS.join(', ')})`,
    );
  },
};
