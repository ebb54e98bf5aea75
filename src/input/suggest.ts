// "Did you mean X?": the nearest known word to a misspelt key, enum value or catalog id, by edit distance.

/**
 * Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions, each edit costing 1) between
 * `a` and `b`, in O(|a| x |b|) time and O(|b|) memory per row kept (three rows). Example: ("hbm-cahce",
 * "hbm-cache") -> 1.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/**
 * The known word nearest to `word` (case-insensitive), if it is near enough to be a plausible misspelling: at most
 * max(1, floor((length - 1) / 4)) edits away (one edit up to 8 characters: 'plcements' -> 'placements', but not
 * 'dgx-9000' -> 'dgx-h100'; two up to 12; ...),
 * or a candidate that contains the word or is contained in it (a shortened id such as 'h100' -> 'dgx-h100').
 * Ties go to the earlier candidate. Returns undefined when nothing is near.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c === word) continue;
    const lc = c.toLowerCase();
    const d = editDistance(w, lc);
    const limit = Math.max(1, Math.floor((Math.max(w.length, lc.length) - 1) / 4));
    // containment counts as a near miss, scored behind true misspellings of the same distance
    const contained = w.length >= 3 && (lc.includes(w) || w.includes(lc)) ? Math.abs(lc.length - w.length) : Infinity;
    const score = d <= limit ? d : contained < Infinity ? limit + 0.5 + contained / 1000 : Infinity;
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** ", did you mean 'X'?" or "" when nothing is near: to follow the phrase naming the unknown word. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const n = nearest(word, candidates);
  return n === undefined ? "" : `, did you mean '${n}'?`;
}
