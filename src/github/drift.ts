/**
 * THE drift issue (SPEC §9, from 0.2): one issue per repository (and stack) that the scheduled plan
 * of main keeps open while the account differs from main — created, or edited in place (re-opened
 * when a clean run had closed it) — and closes with a comment when they match again.
 *
 * "Differs" is read from the saved plan, never from text: an action that apply would run (the rule
 * of `plan --detailed-exitcode`), or errors (main cannot be applied as it is). Blocked actions alone
 * are not drift — apply would send nothing — but the issue says when the plan has them.
 *
 * The issue is found as the sticky comment is: by a hidden marker in its body's leading `<!-- … -->`
 * lines, and by its author (by default the Actions token's `github-actions[bot]`), so that nobody
 * else's issue is ever edited or closed. Issues are found among the open ones (every page), then,
 * to re-open rather than open another, among the 100 most recently updated closed ones.
 */
import { randomBytes } from 'node:crypto';
import { sendsRequests } from '../plan/action.js';
import type { SavedPlan } from '../plan/saved-plan.js';
import type { RenderContext } from '../render/index.js';
import type { GitHubClient, Issue, IssueComment } from './client.js';
import { DEFAULT_COMMENT_AUTHOR, fitComment, GITHUB_COMMENT_LIMIT, headerLines, sameText } from './sticky.js';

export const DEFAULT_DRIFT_TITLE = 'sinkops: the account differs from main';
/** GitHub refuses a longer issue title. */
export const GITHUB_TITLE_LIMIT = 256;
/** How many recently updated closed issues are searched for one to re-open (one page). */
const CLOSED_PAGES = 1;

export function driftMarker(stack?: string): string {
  return stack === undefined ? '<!-- sinkops:drift -->' : `<!-- sinkops:drift:${stack} -->`;
}

/** What the plan says about drift, counted from the plan itself. */
export interface DriftAssessment {
  /** The account differs from main: something apply would run, or errors. */
  readonly drift: boolean;
  /** Sink actions that send requests, plus subscription actions other than noop. */
  readonly runnable: number;
  readonly blocked: number;
  readonly errors: number;
}

export function assessPlan(plan: Pick<SavedPlan, 'actions' | 'subscriptions' | 'errors'>): DriftAssessment {
  // The rule of hasRunnableActions (src/plan/safety.ts), counted rather than tested.
  const runnable = plan.actions.filter(sendsRequests).length + plan.subscriptions.filter((a) => a.action !== 'noop').length;
  const blocked = plan.actions.filter((a) => a.action === 'blocked').length;
  const errors = plan.errors.length;
  return { drift: runnable > 0 || errors > 0, runnable, blocked, errors };
}

export interface DriftOptions {
  readonly stack?: string;
  /** Only this author's issues are candidates (default `github-actions[bot]`). */
  readonly author?: string;
  /** The title of a new issue; an existing one is given it too (default DEFAULT_DRIFT_TITLE). */
  readonly title?: string;
  /** Labels of a new issue (an existing issue's labels are left as people set them). */
  readonly labels?: readonly string[];
  /** The commit and run the plan was computed at (checked, as for the Markdown footer). */
  readonly context?: RenderContext;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `at `abc1234` ([run](…))`, or the parts that are known. */
function where(context: RenderContext | undefined): string {
  const commit = context?.commit === undefined ? '' : ` at \`${context.commit.slice(0, 7)}\``;
  const run = context?.runUrl === undefined ? '' : ` ([run](${context.runUrl}))`;
  return `${commit}${run}`;
}

function blockedNote(a: DriftAssessment): string {
  return `${plural(a.blocked, 'blocked action')}, which apply would not run (the sink is used by a subscription sinkops does not manage)`;
}

/**
 * The issue's body: its marker, what the plan found and what to do, then the Markdown plan
 * (sinkops's own output, remote text already escaped), within GitHub's limit.
 */
export function driftBody(content: string, assessment: DriftAssessment, options: DriftOptions = {}): string {
  const stack = options.stack === undefined ? '' : ` (stack \`${options.stack}\`)`;
  const found: string[] = [];
  if (assessment.runnable > 0) found.push(`**${plural(assessment.runnable, 'change')}** that \`sinkops apply\` would make`);
  if (assessment.errors > 0) found.push(`**${plural(assessment.errors, 'error')}**: main cannot be applied as it is`);
  const notes =
    assessment.blocked > 0
      ? `> **Note:** the plan also has ${blockedNote(assessment)}. Those alone would not keep this issue open.\n\n`
      : '';
  const head = [
    driftMarker(options.stack),
    `The plan of main${stack}${where(options.context)} found ${found.join(', and ')}. The Twilio account was changed outside sinkops (the Console, the API), or main has changes that were never applied.`,
    '',
    '- To make the account match main: review the plan below, then run the apply workflow by hand (**Actions → sinkops apply → Run workflow**).',
    '- To keep what is in the account: change the sink files to match it, in a pull request.',
    '',
    `${notes}This issue is updated by every drift run, and closed when the account matches main again.`,
    '',
    '---',
    '',
    '',
  ].join('\n');
  return fitComment(`${head}${content}`, GITHUB_COMMENT_LIMIT, 'issue');
}

/** What the comment that closes the issue says (closeIssue puts a hidden marker above it). */
export function closingComment(assessment: DriftAssessment, options: DriftOptions): string {
  const blocked = assessment.blocked > 0 ? ` The plan still has ${blockedNote(assessment)}.` : '';
  return `The account matches main again${where(options.context)}: closing.${blocked}\n`;
}

export type DriftAction = 'created' | 'updated' | 'reopened' | 'unchanged' | 'closed' | 'none';

export interface DriftResult {
  readonly action: DriftAction;
  /** The drift issue (created, updated, re-opened, unchanged), or the first one closed. */
  readonly issue?: Issue;
  /** Every issue closed (more than one only when duplicates were open). */
  readonly closed: readonly Issue[];
}

function isDriftIssue(issue: Issue, options: DriftOptions): boolean {
  return issue.author === (options.author ?? DEFAULT_COMMENT_AUTHOR) && headerLines(issue.body).includes(driftMarker(options.stack));
}

/** The open drift issues, oldest first. */
export async function openDriftIssues(client: GitHubClient, options: DriftOptions = {}): Promise<Issue[]> {
  const open = await client.listIssues({ state: 'open', order: 'created' });
  return open.filter((i) => i.state === 'open' && isDriftIssue(i, options)).sort((a, b) => a.number - b.number);
}

/** Keeps the drift issue as the plan says: open and current while there is drift, closed once there is none. */
export async function syncDriftIssue(client: GitHubClient, content: string, assessment: DriftAssessment, options: DriftOptions = {}): Promise<DriftResult> {
  const open = await openDriftIssues(client, options);
  if (!assessment.drift) {
    const closed: Issue[] = [];
    for (const issue of open) closed.push(await closeIssue(client, issue, closingComment(assessment, options), 'completed'));
    return closed.length === 0 ? { action: 'none', closed } : { action: 'closed', issue: closed[0]!, closed };
  }
  const title = options.title ?? DEFAULT_DRIFT_TITLE;
  const body = driftBody(content, assessment, options);
  const [current, ...duplicates] = open;
  if (current !== undefined) {
    // Two open at once (a run whose create was not seen in time): the oldest stays, the others go.
    const closed: Issue[] = [];
    for (const extra of duplicates) closed.push(await closeIssue(client, extra, `A duplicate of #${current.number}, which sinkops keeps up to date: closing.\n`, 'not_planned'));
    if (sameText(current.body, body) && current.title === title) return { action: 'unchanged', issue: current, closed };
    return { action: 'updated', issue: await client.updateIssue(current.number, { title, body }), closed };
  }
  const recent = await client.listIssues({ state: 'closed', order: 'updated', pages: CLOSED_PAGES });
  const previous = recent.find((i) => i.state === 'closed' && isDriftIssue(i, options));
  if (previous !== undefined) {
    return { action: 'reopened', issue: await client.updateIssue(previous.number, { title, body, state: 'open' }), closed: [] };
  }
  // A lost answer: the issue is looked for among the open ones before another is opened.
  const created = await client.createIssue(
    { title, body, ...(options.labels === undefined ? {} : { labels: options.labels }) },
    { find: async () => (await openDriftIssues(client, options))[0] },
  );
  if (sameText(created.body, body)) return { action: 'created', issue: created, closed: [] };
  return { action: 'created', issue: await client.updateIssue(created.number, { title, body }), closed: [] };
}

/**
 * Says `message`, then closes the issue. The comment leads with a hidden marker holding a fresh
 * random nonce, so that a comment whose answer was lost is found, never posted twice.
 */
async function closeIssue(client: GitHubClient, issue: Issue, message: string, reason: 'completed' | 'not_planned'): Promise<Issue> {
  const marker = `<!-- sinkops:drift-closed ${randomBytes(12).toString('hex')} -->`;
  const text = `${marker}\n${message}`;
  const find = async (): Promise<IssueComment | undefined> =>
    (await client.listIssueComments(issue.number, 'issue')).find((c) => headerLines(c.body).includes(marker));
  // Said first, then closed: a run that fails in between leaves the issue open, and the next says it again.
  await client.createIssueComment(issue.number, text, { thread: 'issue', find });
  return client.updateIssue(issue.number, { state: 'closed', stateReason: reason });
}
