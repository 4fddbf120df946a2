/**
 * Hostile remote values, and the checks that a rendering shows them safely: for a terminal, no
 * control, bidi or invisible character at all; for GitHub Markdown, nothing that renders as markup.
 * Shared by the plan and apply-result renderer tests.
 */
import { expect } from 'vitest';

/** Every character a terminal must never receive raw from a remote value (newline included: one field, one line). */
export const UNSAFE_CHAR = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;

/** One string carrying every trick a remote value can try. */
export const EVIL = [
  '\u001b[31mred\u001b[0m', // SGR colour
  '\u001b]0;pwned\u0007', // OSC: set the window title
  '\u001b[2J\u001b[H', // clear the screen, cursor home
  '\u009b1m', // C1 CSI
  'ok\roverwritten\b\b\u007f', // CR, BS, DEL
  '\u202eevil\u202c \u2066iso\u2069 \u200fr\u200e', // bidi override, isolate, marks
  '\u200bzw\u200d\ufeff\u2028sep\u2029', // zero-width, BOM, line/paragraph separators
  '`tick` ``` | pipe | <img src=x onerror=alert(1)> <!-- c --> &amp; &#64;', // code, table, HTML, entities
  '@admins @org/team #123 GH-42 $x^2$ [x](http://evil) ![i](http://evil/i.png) *b* _i_ ~s~ \\', // mentions, refs, math, links
  '\n# heading\n- item\n1. one\n    code\n> quote\r\n===', // block markup on lines of its own
].join(' ');

/**
 * Each copy of EVIL stays on one line: a line holding any part of it holds its parts from the first
 * to the last, in order. A remote newline printed raw would start a line of its own (`# heading`).
 */
function expectEvilOnOneLine(text: string): void {
  for (const line of text.split('\n')) {
    if (/pwned|onerror|heading|quote/.test(line)) expect(line).toMatch(/pwned.*onerror.*heading.*item.*one.*code.*quote/);
  }
}

/** The index and code point of every character that must not be printed raw (our own line breaks allowed). */
export function unsafeCharacters(text: string): string[] {
  const found: string[] = [];
  let index = 0;
  for (const char of text) {
    if (char !== '\n' && UNSAFE_CHAR.test(char)) found.push(`U+${(char.codePointAt(0) ?? 0).toString(16)} at ${index}`);
    index += char.length;
  }
  return found;
}

/** Terminal output: no raw control character except our newlines, and no remote newline made a line. */
export function expectTerminalSafe(text: string): void {
  expect(unsafeCharacters(text)).toEqual([]);
  expectEvilOnOneLine(text);
}

/** Coloured terminal output: every ESC is one of our SGR colour codes; the rest is as above. */
export function expectOnlyOurColours(text: string): void {
  expectTerminalSafe(text.replace(/\u001b\[(?:0|1|2|31|32|33|35|36)m/g, ''));
}

/** The fenced code blocks of a Markdown document, and the document without them. */
export function splitFences(md: string): { fences: string[]; outside: string } {
  const fences = md.match(/^(`{3,})\w*\n[\s\S]*?\n\1$/gm) ?? [];
  return { fences, outside: fences.reduce((text, f) => text.replace(f, ''), md) };
}

/**
 * GitHub Markdown: nothing from a remote value renders as markup. Anywhere: no control, bidi or
 * invisible character, and each remote value on one line. Outside fenced blocks: only the HTML tags sinkops writes (`allowedTags`, a
 * trailing `*` allowing any rest), balanced code spans, table rows with the header's cell count, and none of EVIL's constructs raw (sinkops's own words use none).
 */
export function expectMarkdownSafe(md: string, allowedTags: readonly string[]): void {
  expect(unsafeCharacters(md)).toEqual([]);
  expectEvilOnOneLine(md);
  const { outside } = splitFences(md);
  const tags = [...outside.matchAll(/<[^>\n]*>?/g)].map((m) => m[0]);
  for (const tag of tags) expect(allowedTags.some((t) => (t.endsWith('*') ? tag.startsWith(t.slice(0, -1)) : tag === t)), tag).toBe(true);

  const lines = outside.split('\n');
  for (const line of lines) {
    expect((line.match(/`/g) ?? []).length % 2, `unbalanced backticks: ${line}`).toBe(0);
    // Outside code spans (which GitHub never links or formats), remote text is inert.
    const prose = line.replace(/`[^`]*`/g, '');
    expect(prose, line).not.toMatch(/&(?!(?:amp|lt|gt|quot|#\d+);)/); // only the entities escaping writes
    const text = prose.replace(/&#?\w+;/g, ' ');
    expect(text, line).not.toMatch(/@\w/); // mention
    expect(text, line).not.toMatch(/#\d|GH-\d/i); // issue reference
    expect(text, line).not.toMatch(/(?<!\\)\$/); // math
    expect(text, line).not.toMatch(/(?<!\\)\]\(/); // link or image
    expect(text, line).not.toMatch(/(?<!\\)\*b\*|(?<!\\)_i_|(?<!\\)~s~/); // emphasis, strike-through
  }

  // Tables: every row has as many cells as its header (a `|` from a value would add one).
  let header: number | undefined;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = line.split('|').length - 2;
    header ??= cells;
    expect(cells, `table row: ${line}`).toBe(header);
  }
}
