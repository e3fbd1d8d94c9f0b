/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Formats a path the way the error messages show it: `$.nodes[3].memory_mb`;
 * keys that are not identifiers are quoted: `$.extra_specs["hw:cpu_policy"]`.
 */
export function jsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/**
 * Orders paths as a reader meets them: indexes numerically, keys by
 * `rank(prefix, key)` (the schema's declaration order) and then
 * alphabetically; a parent comes before its children.
 */
export function comparePaths(
  a: readonly PathSegment[],
  b: readonly PathSegment[],
  rank?: (prefix: readonly PathSegment[], key: string) => number,
): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    if (rank !== undefined) {
      const prefix = a.slice(0, i);
      const rx = rank(prefix, x);
      const ry = rank(prefix, y);
      if (rx !== ry) return rx < ry ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
