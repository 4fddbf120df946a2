/**
 * Making text that sinkops did not write (anything read from Twilio, a saved plan or a file name)
 * safe to print on a terminal.
 *
 * A raw ESC starts an escape sequence that can recolour, move the cursor, rewrite earlier lines,
 * set the window title or hide text; CR and BS overwrite what was printed; C1 controls (U+009B is
 * a one-byte CSI on some terminals) do the same. Bidi controls reorder what is shown (a SID or an
 * action can read differently from what it is), and zero-width or format characters make two
 * different values look the same. None of these reach the terminal raw: each is shown as a
 * visible JSON-style escape (`\u001b`, `\n`), so a reviewer sees exactly what Twilio holds and one
 * field stays on one line.
 *
 * The escapes are JSON's own, so a JSON string literal (JSON.stringify's output, which leaves DEL,
 * C1, bidi and U+2028/U+2029 raw) stays a valid literal of the same value after this.
 */

/**
 * Cc: C0 controls (newline, tab, CR, BS, ESC…), DEL and the C1 controls U+0080–U+009F.
 * Cf: invisible format characters, among them the bidi marks and overrides (U+061C, U+200E,
 *     U+200F, U+202A–U+202E, U+2066–U+2069), zero-width U+200B–U+200D, U+2060 and U+FEFF, the
 *     soft hyphen and the invisible tag characters U+E0000–U+E007F.
 * Cs: a lone surrogate half, which a terminal would show as U+FFFD rather than as itself.
 * U+2028 and U+2029: line and paragraph separators, which some terminals and viewers break on.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;

/** The escapes everyone reads at sight; everything else is `\uXXXX`. */
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visibleEscape(char: string): string {
  const short = SHORT[char];
  if (short !== undefined) return short;
  // One `\uXXXX` per UTF-16 unit, as JSON writes a character outside the BMP (a surrogate pair).
  let out = '';
  for (let i = 0; i < char.length; i += 1) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * `text` with every control, bidi and invisible format character replaced by a visible escape.
 * Letters of any script, emoji, punctuation and backslashes are left as they are. Colour codes are
 * added by the renderers after this, so they keep working.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}
