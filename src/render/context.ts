/**
 * The render context (RenderOptions.context) as the Markdown footer may print it. It comes from
 * the environment of a CI run, which sinkops does not control: a value is printed only when it has
 * the one plain shape expected, so it can carry no Markdown, HTML, mention or link of its own, and
 * is otherwise left out, never escaped into something that looks right.
 */
import type { RenderContext } from './options.js';

/** A git commit SHA, abbreviated or full; lower case, as git and GitHub write it. */
export const COMMIT_PATTERN = /^[0-9a-f]{7,40}$/;

/**
 * An http(s) URL of a host name (optional port) and a path of unreserved characters: no userinfo,
 * query, fragment, spaces, brackets or parentheses (which would end a Markdown link), and no `.` or
 * `..` segment.
 */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const SEGMENT = '(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+';
export const RUN_URL_PATTERN = new RegExp(`^https?://${LABEL}(?:\\.${LABEL})*(?::\\d{1,5})?(?:/${SEGMENT})*$`);

/** How many digits of the commit are shown: git's default abbreviation (GitHub links it). */
const SHORT_COMMIT = 7;

/** The parts of `context` that are safe to print, as they are printed. */
export function printableContext(context: RenderContext | undefined): { commit?: string; runUrl?: string } {
  const commit = context?.commit;
  const runUrl = context?.runUrl;
  return {
    ...(commit !== undefined && COMMIT_PATTERN.test(commit) ? { commit: commit.slice(0, SHORT_COMMIT) } : {}),
    ...(runUrl !== undefined && runUrl.length <= 2048 && RUN_URL_PATTERN.test(runUrl) ? { runUrl } : {}),
  };
}
