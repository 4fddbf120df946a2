import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../src/terminal-safe.js';
import { UNSAFE_CHAR } from './render/hostile.js';

describe('terminalSafe', () => {
  it('leaves plain text, punctuation, other scripts and emoji unchanged', () => {
    for (const text of [
      '',
      'orders-webhook DG0123456789abcdefABCDEF0123456789 active',
      'Plan: 1 to create, 0 to update. "quoted" \\ backslash `tick` | pipe <b> & @x #1 $y$',
      'Ünïcödé façade — naïve café, 日本語のテキスト, Ελληνικά, עברית, العربية, हिन्दी',
      'emoji 🚀 🎉 ❤️ 👍🏽 🇫🇷',
      '\u00a0no-break space and \u3000 ideographic space',
    ]) {
      expect(terminalSafe(text)).toBe(text);
    }
  });

  it('shows newline, CR and tab as \\n, \\r and \\t, so one field stays on one line', () => {
    expect(terminalSafe('a\nb\rc\td\r\n')).toBe('a\\nb\\rc\\td\\r\\n');
  });

  it('shows ESC, BS, BEL, NUL and every other C0 control as \\uXXXX', () => {
    expect(terminalSafe('\u001b[2J\u001b]0;pwned\u0007x\b\u0000')).toBe('\\u001b[2J\\u001b]0;pwned\\u0007x\\u0008\\u0000');
    for (let code = 0; code < 0x20; code += 1) {
      const out = terminalSafe(`<${String.fromCharCode(code)}>`);
      expect(out, `U+${code.toString(16)}`).toMatch(/^<\\(n|r|t|u00[01][0-9a-f])>$/);
    }
  });

  it('shows DEL and the C1 controls U+0080–U+009F (U+009B is a one-byte CSI)', () => {
    expect(terminalSafe('a\u007fb')).toBe('a\\u007fb');
    expect(terminalSafe('\u009b31mred')).toBe('\\u009b31mred');
    for (let code = 0x80; code <= 0x9f; code += 1) {
      expect(terminalSafe(String.fromCharCode(code))).toBe(`\\u00${code.toString(16)}`);
    }
  });

  it('shows the bidi marks, embeddings, overrides and isolates', () => {
    const bidi = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const code of bidi) {
      expect(terminalSafe(`x${String.fromCharCode(code)}y`)).toBe(`x\\u${code.toString(16).padStart(4, '0')}y`);
    }
    // The classic spoof: reads as "sink.exe" reversed on screen when raw.
    expect(terminalSafe('DG\u202eexe.knis')).toBe('DG\\u202eexe.knis');
  });

  it('shows line and paragraph separators, zero-width characters, the BOM and other invisible format characters', () => {
    expect(terminalSafe('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(terminalSafe('a\u200bb\u200cc\u200dd\ufeffe')).toBe('a\\u200bb\\u200cc\\u200dd\\ufeffe');
    expect(terminalSafe('soft\u00adhyphen, word\u2060joiner')).toBe('soft\\u00adhyphen, word\\u2060joiner');
    // Invisible tag characters (outside the BMP) are written as their surrogate pair, like JSON.
    expect(terminalSafe('a\u{e0041}b')).toBe('a\\udb40\\udc41b');
  });

  it('shows a lone surrogate half instead of letting it turn into U+FFFD', () => {
    expect(terminalSafe('a\ud800b')).toBe('a\\ud800b');
    expect(terminalSafe('x\udc00')).toBe('x\\udc00');
  });

  it('leaves no unsafe character in any string, and keeps JSON literals valid and equal', () => {
    let all = '';
    for (let code = 0; code < 0x3000; code += 1) all += String.fromCharCode(code);
    all += '\ufeff\ufff9\u{e0001}\u{e007f}';
    const out = terminalSafe(all);
    expect([...out].filter((c) => UNSAFE_CHAR.test(c))).toEqual([]);
    const literal = JSON.stringify(all);
    expect(JSON.parse(terminalSafe(literal))).toBe(all);
  });
});
