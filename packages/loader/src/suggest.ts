import { className } from '@opie/core';

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let curr = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      curr[j] = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length] ?? 0;
}

/**
 * The known names nearest to `name`, best first (at most `limit`). Names are
 * compared case-insensitively, whole and by their last dotted segment, so a
 * typo in a long class path still finds it, as does a right class name under
 * a wrong module.
 */
export function nearestNames(name: string, known: Iterable<string>, limit = 3): string[] {
  const whole = name.toLowerCase();
  const last = className(name).toLowerCase();
  const threshold = Math.max(2, Math.floor(last.length / 3));
  const scored: { name: string; d: number }[] = [];
  const seen = new Set<string>();
  for (const candidate of known) {
    if (seen.has(candidate) || candidate === name) continue;
    seen.add(candidate);
    const c = candidate.toLowerCase();
    const d = Math.min(editDistance(whole, c), editDistance(last, className(c)));
    if (d <= threshold) scored.push({ name: candidate, d });
  }
  scored.sort((x, y) => x.d - y.d || x.name.length - y.name.length || (x.name < y.name ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.name);
}
