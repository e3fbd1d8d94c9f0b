import { className, editDistance } from '@opie/core';

/** The repository's one edit distance, re-exported where it always was. */
export { editDistance } from '@opie/core';

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
