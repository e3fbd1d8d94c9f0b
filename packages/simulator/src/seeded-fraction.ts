/** FNV-1a, 32 bits, of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform value in [0, 1) that depends only on `seed` and `key`: the same
 * row gets the same value whatever the order it is read in, so a seeded
 * fraction of rows is chosen deterministically.
 */
export function seededUnit(seed: number, key: string): number {
  return mix(fnv1a(key) ^ mix(seed >>> 0)) / 4294967296;
}

/** Whether the row with `key` falls in the seeded `fraction` (0..1). */
export function inSeededFraction(seed: number, key: string, fraction: number): boolean {
  if (fraction <= 0) return false;
  if (fraction >= 1) return true;
  return seededUnit(seed, key) < fraction;
}
