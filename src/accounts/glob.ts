/**
 * Globs as sinkops.yaml and `--account` write them: `*` is any run of characters (also none), `?`
 * is any one character, everything else stands for itself. Matched without regular expressions:
 * a pattern like `*a*a*a*b` against a long name makes a backtracking engine take exponential time.
 */

/** Whether `text` matches `pattern` as a whole: greedy with one backtrack point, O(pattern × text). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
