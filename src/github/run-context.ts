/**
 * Where a plan is computed, read from the variables GitHub Actions sets
 * (https://docs.github.com/actions/reference/variables-reference): the commit (GITHUB_SHA) and the
 * workflow run (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID), for the footer of
 * the Markdown plan. Anything can be in an environment: each part must match a strict pattern, and
 * a part that does not is left out (a footer without a run link is better than one with a link
 * somebody else chose). The renderer checks what it is given again (src/render/context.ts).
 */
import { COMMIT_PATTERN, RUN_URL_PATTERN, type RenderContext } from '../render/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `https://github.com`, or a GitHub Enterprise Server's origin: a scheme, a host name and a port. */
const SERVER_URL = /^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;
/** An account name: letters, digits and dashes, at most 39, not starting with a dash. */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
/** A repository name: letters, digits, `.`, `_`, `-`, at most 100; never `.` or `..`. */
const REPO = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** A run ID: a positive integer. */
const RUN_ID = /^[1-9][0-9]{0,19}$/;

/** The run's URL, when GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID are set and plain. */
function runUrlFrom(env: Env): string | undefined {
  const server = env['GITHUB_SERVER_URL'] ?? '';
  const [owner = '', repo = '', ...rest] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  const runId = env['GITHUB_RUN_ID'] ?? '';
  if (!SERVER_URL.test(server) || rest.length > 0 || !OWNER.test(owner) || !REPO.test(repo) || !RUN_ID.test(runId)) return undefined;
  const url = `${server}/${owner}/${repo}/actions/runs/${runId}`;
  // The parts' patterns imply the renderer's; checked here too, so the two cannot drift apart unseen.
  return RUN_URL_PATTERN.test(url) ? url : undefined;
}

/** The render context of this run: empty outside GitHub Actions (or when nothing is plain enough). */
export function runContextFromEnv(env: Env): RenderContext {
  const sha = env['GITHUB_SHA'] ?? '';
  const runUrl = runUrlFrom(env);
  return {
    ...(COMMIT_PATTERN.test(sha) ? { commit: sha } : {}),
    ...(runUrl === undefined ? {} : { runUrl }),
  };
}
