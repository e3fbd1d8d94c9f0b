/**
 * The bench's environment options, parsed with errors that name the variable,
 * the bad value and what is accepted.
 */

/** A comma list from `env[name]`, each item parsed; `fallback` when unset or blank. */
export function listFromEnv<T>(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  parse: (s: string, name: string) => T,
  fallback: readonly T[],
): readonly T[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => parse(s, name));
}

/** A host count (`10000` or `10_000`), at least 2. */
export function parseSize(s: string, name: string): number {
  const n = Number(s.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 2) {
    throw new Error(`${name}: bad size "${s}"; give whole numbers of hosts >= 2, e.g. 1000,10000`);
  }
  return n;
}

/** One of `known`; `renamed` maps old names to their replacement for a better message. */
export function oneOfParser<T extends string>(
  known: readonly T[],
  renamed: Readonly<Record<string, string>> = {},
): (s: string, name: string) => T {
  return (s, name) => {
    const found = known.find((x) => x === s);
    if (found !== undefined) return found;
    const now = renamed[s];
    const hint = now === undefined ? '' : ` ("${s}" is now "${now}")`;
    throw new Error(`${name}: unknown "${s}"${hint}; known: ${known.join(', ')}`);
  };
}

/** A positive whole number from `env[name]`, else `undefined` when unset or blank. */
export function positiveIntFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${name}: bad value "${raw}"; give a whole number >= 1`);
  }
  return n;
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** FNV-1a over the chosen hosts and victims: equal digests mean equal decisions. */
export class Digest {
  private h = 0x811c9dc5;
  add(text: string): void {
    for (let i = 0; i < text.length; i++) {
      this.h ^= text.charCodeAt(i);
      this.h = Math.imul(this.h, 0x01000193) >>> 0;
    }
    this.h ^= 0x2c;
    this.h = Math.imul(this.h, 0x01000193) >>> 0;
  }
  toString(): string {
    return this.h.toString(16).padStart(8, '0');
  }
}
