/**
 * Which pull request a command is about: `--pr N`; else the event that started the workflow
 * (`GITHUB_EVENT_PATH`): a `pull_request` event names it; after a push (a merge to main) it is the
 * pull request merged as `GITHUB_SHA`, asked of the API.
 */
import { SinkopsError } from '../errors.js';
import { readTextFile } from '../files.js';
import type { GitHubClient, PullRequestRef } from './client.js';

type Env = Readonly<Record<string, string | undefined>>;

export function parsePrNumber(text: string): number {
  if (!/^[1-9]\d{0,9}$/.test(text)) throw new SinkopsError('USAGE', `--pr must be a pull-request number, not '${text}'`);
  return Number(text);
}

/** `pull_request.number` (pull_request and pull_request_target events), or undefined. */
export async function prFromEvent(eventPath: string): Promise<number | undefined> {
  let event: unknown;
  try {
    // GitHub writes this file, but the path comes from the environment: guarded like any other.
    event = JSON.parse(readTextFile(eventPath, { what: 'the GitHub event file (GITHUB_EVENT_PATH)', maxBytes: 16 * 1024 * 1024, code: 'CONFIG' }));
  } catch (e) {
    throw new SinkopsError('CONFIG', `GITHUB_EVENT_PATH (${eventPath}) is not a readable JSON event: ${(e as Error).message}`, { cause: e });
  }
  const pr = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)['pull_request'] : undefined;
  const n = typeof pr === 'object' && pr !== null ? (pr as Record<string, unknown>)['number'] : undefined;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The pull request merged as `sha`: the one whose merge commit it is (merge, squash or rebase),
 * else the only merged one containing it. An open pull request that merely contains the commit
 * is not it.
 */
export function mergedPullRequest(pulls: readonly PullRequestRef[], sha: string): PullRequestRef | undefined {
  const merged = pulls.filter((p) => p.mergedAt !== null);
  return merged.find((p) => p.mergeCommitSha === sha) ?? (merged.length === 1 ? merged[0] : undefined);
}

export async function resolvePullRequest(explicit: string | undefined, env: Env, client: GitHubClient): Promise<number> {
  if (explicit !== undefined) return parsePrNumber(explicit);
  const eventPath = env['GITHUB_EVENT_PATH'] ?? '';
  const fromEvent = eventPath === '' ? undefined : await prFromEvent(eventPath);
  if (fromEvent !== undefined) return fromEvent;
  const sha = env['GITHUB_SHA'] ?? '';
  if (sha === '') {
    throw new SinkopsError('CONFIG', 'No pull request: pass --pr N, or run in a pull_request or push workflow (GITHUB_EVENT_PATH and GITHUB_SHA are not set).');
  }
  const pr = mergedPullRequest(await client.pullsForCommit(sha), sha);
  if (pr === undefined) {
    throw new SinkopsError('NOT_FOUND', `No merged pull request has commit ${sha}; pass --pr N to name one.`);
  }
  return pr.number;
}
