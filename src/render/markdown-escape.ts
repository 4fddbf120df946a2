/**
 * Escaping for text from remote sinks (and anything else not written by sinkops) placed in a
 * GitHub comment or job summary: it must render as the literal text, never as Markdown, HTML, a
 * table cell break, math, an @-mention or an issue reference, and never hide or reorder characters.
 *
 * Each place in a document needs its own form, one function each: inline text (escapeMarkdown),
 * inline code (codeSpan), text inside raw HTML (escapeHtml) and a fenced code block (fencedBlock).
 * All of them show control, bidi and invisible characters as visible escapes, like the terminal.
 */
import { terminalSafe } from '../terminal-safe.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '`': '&#96;',
  '@': '&#64;',
  '#': '&#35;',
};

/**
 * GitHub links `#123` (and `GH-123`) to an issue or pull request, and `@name` to a user it then
 * notifies, after the Markdown is parsed, on the decoded text, so an entity alone does not stop
 * either; a zero-width space after the marker does
 * (the same break Renovate puts in the release notes it quotes).
 */
const ZERO_WIDTH_SPACE = '&#8203;';

/** Inline text: one line, safe in a paragraph, list item or table cell, and at a line's start. */
export function escapeMarkdown(text: string): string {
  return (
    terminalSafe(text.replace(/\r\n|\r|\n/g, ' '))
      .replace(/[&<>"|`@#]/g, (c, at: number, all: string) =>
        (c === '#' && /\d/.test(all.charAt(at + 1))) || c === '@' ? `${ENTITIES[c]}${ZERO_WIDTH_SPACE}` : (ENTITIES[c] ?? c),
      )
      .replace(/\b(GH-)(?=\d)/gi, `$1${ZERO_WIDTH_SPACE}`)
      // Backslashes (including those of the visible escapes above), emphasis, links and images,
      // strike-through, and GitHub's `$…$` math; other punctuation is inert inside a line.
      .replace(/[\\*_[\]~$]/g, (c) => `\\${c}`)
      // At the start of a line these would open a block: a list item or thematic break (`-`, `+`),
      // a setext underline (`=`), an ordered list (`1.`, `1)`), indented code (leading spaces).
      .replace(/^[-+=]/, (c) => `\\${c}`)
      .replace(/^(\d+)([.)])/, '$1\\$2')
      .replace(/^ /, '&#32;')
  );
}

/**
 * A value shown as inline code (a SID, a name, a field path). Inside a code span only a backtick
 * (which ends it) and `|` (which splits a table cell even there) mean anything, and entities are
 * shown as typed; a value holding either is shown as escaped plain text instead, so nothing can
 * break out. Mentions and references are not linked inside code.
 */
export function codeSpan(text: string): string {
  const shown = terminalSafe(text);
  if (shown === '') return '';
  return /[`|]/.test(shown) ? escapeMarkdown(text) : `\`${shown}\``;
}

/**
 * Text inside raw HTML (a `<details>` summary line is an HTML block: Markdown and backslash
 * escapes are not processed there, entities are).
 */
export function escapeHtml(text: string): string {
  return terminalSafe(text).replace(/[&<>"']/g, (c) => (c === "'" ? '&#39;' : (ENTITIES[c] ?? c)));
}

/**
 * A fenced code block of `lines`, shown verbatim: the fence is longer than any run of backticks
 * in the content, so the content cannot close it, and each line's control and bidi characters
 * (including a newline inside one line) are shown as escapes.
 */
export function fencedBlock(info: string, lines: readonly string[]): string {
  const content = lines.map(terminalSafe).join('\n');
  const fence = fenceFor(content);
  return `${fence}${info}\n${content}\n${fence}\n`;
}

/** A fence longer than any run of backticks in the content, so the content cannot close it. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}
