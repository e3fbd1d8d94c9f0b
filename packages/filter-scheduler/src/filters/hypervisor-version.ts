/**
 * Hypervisor versions as ImagePropertiesFilter compares them: nova's integer
 * encoding (1000-based groups, `1002003` is `1.2.3`) and distutils'
 * `StrictVersion` / `VersionPredicate` (`>=1.2, <2.0`).
 * @see nova/utils.py convert_version_to_str
 * @see distutils/versionpredicate.py
 */

/** distutils StrictVersion: `major.minor[.patch][{a|b}N]`. */
export interface StrictVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release tag, e.g. `['a', 1]` for `1.0a1`. */
  readonly pre?: readonly ['a' | 'b', number];
}

const STRICT_RE = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/;

/** Parses a StrictVersion; `undefined` where distutils raises ValueError. */
export function parseStrictVersion(text: string): StrictVersion | undefined {
  const m = STRICT_RE.exec(text);
  if (m === null) return undefined;
  const version = {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
  };
  if (m[4] === undefined) return version;
  return { ...version, pre: [m[4] as 'a' | 'b', Number(m[5])] };
}

/** StrictVersion ordering: numbers first; a pre-release sorts before its release. */
export function compareStrictVersions(a: StrictVersion, b: StrictVersion): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return Math.sign(d);
  if (a.pre === undefined) return b.pre === undefined ? 0 : 1;
  if (b.pre === undefined) return -1;
  if (a.pre[0] !== b.pre[0]) return a.pre[0] < b.pre[0] ? -1 : 1;
  return Math.sign(a.pre[1] - b.pre[1]);
}

/**
 * nova's `convert_version_to_str`: `1002003` → `'1.2.3'`, `6000000` →
 * `'6.0.0'`. Zero gives `''` (nova raises; it never converts a falsy version).
 */
export function convertVersionToString(version: number): string {
  const groups: number[] = [];
  let v = version;
  while (v > 0) {
    groups.unshift(v % 1000);
    v = Math.floor(v / 1000);
  }
  return groups.join('.');
}

/**
 * The StrictVersion of a host's integer version, `undefined` when its string
 * form is not one (a single group such as `5`, four or more groups, a
 * negative or fractional number): distutils raises there.
 */
export function strictVersionFromInt(version: number): StrictVersion | undefined {
  if (!Number.isSafeInteger(version) || version < 1000 || version >= 1e9) return undefined;
  const patch = version % 1000;
  const rest = Math.floor(version / 1000);
  if (rest < 1000) return { major: rest, minor: patch, patch: 0 };
  return { major: Math.floor(rest / 1000), minor: rest % 1000, patch };
}

export type VersionOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A parsed requirement such as `>=1.2, <2.0`: every condition must hold. */
export type VersionPredicate = ReadonlyArray<{ op: VersionOperator; version: StrictVersion }>;

const CONDITION_RE = /^\s*(<=|>=|<|>|!=|==)\s*([^\s,]+)\s*$/;

/**
 * Parses `hypervisor_version_requires` as distutils parses the parenthesised
 * list of `VersionPredicate('image_prop (<req>)')`: comma-separated
 * `<op> <StrictVersion>` conditions. `undefined` where distutils raises
 * (empty piece, unknown operator, a version such as `6` that is not strict).
 */
export function parseVersionPredicate(requirement: string): VersionPredicate | undefined {
  if (requirement.includes('\n')) return undefined;
  const out: Array<{ op: VersionOperator; version: StrictVersion }> = [];
  for (const piece of requirement.split(',')) {
    const m = CONDITION_RE.exec(piece);
    if (m === null) return undefined;
    const version = parseStrictVersion(m[2] as string);
    if (version === undefined) return undefined;
    out.push({ op: m[1] as VersionOperator, version });
  }
  return out;
}

/** Whether `version` satisfies every condition. */
export function satisfiesVersionPredicate(
  predicate: VersionPredicate,
  version: StrictVersion,
): boolean {
  for (const { op, version: wanted } of predicate) {
    const c = compareStrictVersions(version, wanted);
    const ok =
      op === '<'
        ? c < 0
        : op === '<='
          ? c <= 0
          : op === '>'
            ? c > 0
            : op === '>='
              ? c >= 0
              : op === '=='
                ? c === 0
                : c !== 0;
    if (!ok) return false;
  }
  return true;
}
