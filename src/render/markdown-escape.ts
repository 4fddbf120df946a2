/**
 * Escaping for text from remote sinks (and anything else not written by sinkops) placed in a
 * GitHub comment: it must render as the literal text, never as Markdown, HTML, a table cell break
 * or an @-mention.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '`': '&#96;',
  '@': '&#64;',
};

/** Inline text: one line, safe in a paragraph, list item or table cell. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[&<>"|`@]/g, (c) => ENTITIES[c] ?? c)
    // Emphasis, links, images, strike-through; other punctuation is inert inside a line.
    .replace(/[\\*_[\]~]/g, (c) => `\\${c}`);
}

/** A fence longer than any run of backticks in the content, so the content cannot close it. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}
