import { editDistance } from '@opie/core';

export { editDistance } from '@opie/core';

/** `memoryMb` → `memory_mb`, `freeRAMMb` → `free_ram_mb`, `Memory-MB` → `memory_mb`. */
function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

/**
 * The known names closest to `name`, best first: a camelCase or differently
 * cased spelling of a known name, else names within a small edit distance or
 * sharing most of its start; only the nearest ones are kept.
 */
export function closestNames(name: string, known: Iterable<string>, max = 3): string[] {
  const candidates = [...known];
  const snake = snakeCase(name);
  const exact = candidates.filter((k) => k !== name && k.toLowerCase() === snake);
  if (exact.length > 0) return exact.slice(0, max);
  const limit = Math.max(1, Math.floor(name.length / 3));
  // Names that share most of their start (free_ram → free_ram_mb, policy →
  // policies) are near too, whatever their edit distance.
  const prefixNeeded = Math.max(4, Math.ceil(snake.length * 0.75));
  const distance = (k: string) => {
    const lower = k.toLowerCase();
    const d = editDistance(snake, lower);
    return commonPrefix(snake, lower) >= prefixNeeded ? Math.min(d, limit) : d;
  };
  const near = candidates
    .map((k) => ({ k, d: distance(k) }))
    .filter((c) => c.d <= limit)
    .sort((x, y) => x.d - y.d || (x.k < y.k ? -1 : 1));
  const best = near[0]?.d ?? 0;
  return near
    .filter((c) => c.d <= best + 1)
    .slice(0, max)
    .map((c) => c.k);
}

/** ` Did you mean "x"?` (or `"x" or "y"`), or an empty string. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const near = closestNames(name, known);
  if (near.length === 0) return '';
  return ` Did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?`;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
