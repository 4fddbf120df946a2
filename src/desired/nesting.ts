/**
 * A cheap, conservative estimate of how deeply a YAML text nests, checked before parsing.
 * The yaml parser recurses once per level: thousands of `[` or `- ` exhaust the stack, and V8
 * can then abort the whole process (a fatal "RegExpCompiler allocation failed") instead of
 * throwing. Sink documents nest three levels deep, so a generous limit costs nothing.
 *
 * The estimate never undercounts real nesting: every flow opener outside a quoted scalar or a
 * comment counts, and so do block indentation levels and compact indicators (`- `, `? `, `: `).
 */

/** Characters after which a quote starts a quoted scalar (elsewhere it is part of a plain one). */
const BEFORE_QUOTE = new Set(['[', '{', ',', ':', '?', '-', '\n', '']);

function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return i;
}

function isBlank(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** The offset where the estimated depth first exceeds `limit`, or -1. */
export function excessiveNesting(text: string, limit: number): number {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  while (i < text.length) {
    // Start of a line: measure the indentation.
    let column = 0;
    while (text[i] === ' ') {
      i++;
      column++;
    }
    const first = text[i];
    if (first === undefined) break;
    if (first === '\n' || first === '\r' || first === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      i++;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= column) indents.pop();
      indents.push(column);
    }
    let depth = indents.length;
    let previous = '';
    while (i < text.length && text[i] !== '\n') {
      const c = text[i] ?? '';
      if (c === '#' && (previous === '' || isBlank(text[i - 1]))) {
        while (i < text.length && text[i] !== '\n') i++;
        break;
      }
      if ((c === '"' || c === "'") && BEFORE_QUOTE.has(previous)) {
        i = skipQuoted(text, i);
        previous = 'q';
        continue;
      }
      if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if ((c === '-' || c === '?' || c === ':') && isBlank(text[i + 1])) depth++;
      if (depth + flow > limit) return i;
      if (c !== ' ' && c !== '\t') previous = c;
      i++;
    }
    i++;
  }
  return -1;
}
