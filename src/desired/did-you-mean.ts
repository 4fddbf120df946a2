/**
 * "Did you mean" suggestions for misspelt keys and enum values.
 */

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), so that the
 * common typos — a missing, extra, wrong or swapped letter — each cost 1.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Lower case, with `-`, `_`, spaces and dots treated alike, so `sinkType` ≈ `sink_type`. */
function normalize(s: string): string {
  return s.toLowerCase().replace(/[-_\s.]/g, '');
}

/**
 * The candidate closest to `input`, when it is close enough to be a plausible typo: at most a
 * third of the input's length (at least 1, at most 3 edits), compared case- and
 * separator-insensitively. Ties go to the earlier candidate, so the result is deterministic.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = normalize(input);
  if (needle.length === 0) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const d = editDistance(needle, normalize(candidate));
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean 'x'?` or the empty string. */
export function suggestionSuffix(input: string, candidates: readonly string[]): string {
  const s = didYouMean(input, candidates);
  return s === undefined ? '' : `; did you mean '${s}'?`;
}
