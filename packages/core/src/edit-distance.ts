/**
 * Optimal-string-alignment distance: the insertions, deletions, substitutions
 * and swaps of two adjacent characters (1 each) that turn `a` into `b`. The
 * one edit distance of the repository: the loader's, the file formats' and the
 * CLI's "did you mean" suggestions all use it.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const cols = b.length + 1;
  // Three rows: two back (for a swap), the previous one, the current one.
  let before = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  let curr = new Array<number>(cols).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    curr[0] = i;
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (before[j - 2] ?? 0) + 1);
      }
      curr[j] = v;
    }
    [before, prev, curr] = [prev, curr, before];
  }
  return prev[b.length] ?? 0;
}
