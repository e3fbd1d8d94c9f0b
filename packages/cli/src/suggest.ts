import { editDistance } from '@opie/core';

/**
 * ` Did you mean "x"?` for the known words nearest to a mistyped `word`
 * (within a third of its length, at least 2 edits), or an empty string.
 */
export function didYouMean(word: string, known: readonly string[]): string {
  const limit = Math.max(2, Math.floor(word.length / 3));
  const scored = known
    .map((k) => ({ k, d: editDistance(word.toLowerCase(), k.toLowerCase()) }))
    .filter((s) => s.d <= limit)
    .sort((x, y) => x.d - y.d || (x.k < y.k ? -1 : 1));
  const best = scored[0]?.d;
  if (best === undefined) return '';
  const near = scored.filter((s) => s.d === best).map((s) => JSON.stringify(s.k));
  return ` Did you mean ${near.join(' or ')}?`;
}
