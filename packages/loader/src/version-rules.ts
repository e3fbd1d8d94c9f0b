import { className, isNovaVersion } from '@opie/core';
import type { ConfigIssue, OptionSpec, OptionValue } from '@opie/core';
import {
  ALL_WEIGHERS,
  LIBERTY_ONLY_FILTERS,
  LIBERTY_ONLY_OPTIONS,
  NOVA_VERSION_LABEL,
  POST_LIBERTY_SECTIONS,
  ZED_ALL_WEIGHERS,
  ZED_DEFAULT_FILTERS,
  ZED_ONLY_OPTIONS,
  ZED_ONLY_WEIGHERS,
} from './nova-version.js';
import type { NovaVersion } from './nova-version.js';
import type { IniDocument } from './oslo-ini.js';
import { LIBERTY_DEFAULT_FILTERS } from './options.js';
import { normalizeSection, unknownOptionWarning } from './resolve.js';
import type { DeprecationPolicy, UnknownEntry } from './resolve.js';

/** Whether a converted `[opie] nova_version` value names a version. */
export { isNovaVersion };

/**
 * Which deprecated names warn: under `liberty`, Liberty's own `[DEFAULT]`
 * names are the right ones and say nothing; under `zed`, they are names nova
 * removed in Xena (Zed reads only the new ones): opie still reads them, and
 * says so. A deprecated name outside `[DEFAULT]` warns in both.
 */
export function deprecationPolicy(version: NovaVersion): DeprecationPolicy {
  return (old, spec) => {
    if (old.group !== 'DEFAULT') {
      return `[${old.group}] ${old.name} is deprecated; use [${spec.group}] ${spec.name}`;
    }
    if (version === 'liberty') return undefined;
    return (
      `[DEFAULT] ${old.name} is a Liberty name that ${NOVA_VERSION_LABEL[version]} no longer reads ` +
      `(removed in Xena); opie reads it as [${spec.group}] ${spec.name}: rename it`
    );
  };
}

/** An unset option's value in `version`: Zed's `enabled_filters` default differs. */
export function versionDefault(version: NovaVersion): (spec: OptionSpec) => OptionValue {
  return (spec) =>
    version === 'zed' && spec.group === 'filter_scheduler' && spec.name === 'enabled_filters'
      ? [...ZED_DEFAULT_FILTERS]
      : spec.default;
}

/** What Liberty's defaults give for the class lists a file leaves unset. */
function libertyDefaultsText(unset: { filters: boolean; weighers: boolean }): string {
  const parts: string[] = [];
  if (unset.filters) parts.push(`enabled_filters = ${LIBERTY_DEFAULT_FILTERS.join(', ')}`);
  if (unset.weighers) {
    parts.push('weight_classes = all_weighers = IoOpsWeigher, MetricsWeigher, RAMWeigher');
  }
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

/**
 * One warning when a file is written for a nova newer than Liberty (it has a
 * `[filter_scheduler]`, `[scheduler]` or `[placement]` section) and no file
 * sets `[opie] nova_version`: Liberty's defaults and rules are then in force.
 */
export function postLibertyWarning(
  documents: readonly IniDocument[],
  unset: { filters: boolean; weighers: boolean },
): ConfigIssue | undefined {
  for (const doc of documents) {
    const found = doc.sections.filter((s) =>
      POST_LIBERTY_SECTIONS.includes(normalizeSection(s.name)),
    );
    const first = found[0];
    if (first === undefined) continue;
    const names = [...new Set(found.map((s) => `[${normalizeSection(s.name)}]`))].join(', ');
    return {
      file: doc.file,
      line: first.line,
      section: first.name,
      message:
        `this file is written for a nova newer than Liberty (it has ${names}) but no file sets ` +
        `[opie] nova_version, so nova Liberty's defaults and rules are in force` +
        libertyDefaultsText(unset),
      hint: "to follow nova Zed (its defaults, weighers and rules), add [opie] nova_version = zed; to keep Liberty's and silence this, add [opie] nova_version = liberty",
    };
  }
  return undefined;
}

/** `[DEFAULT]` exactly, every other section lower-cased, then `.name`. */
function keyOf(section: string, name: string): string {
  return `${normalizeSection(section)}.${name}`;
}

/** A Zed-only option set in a file: why it does nothing, in the version followed. */
function zedOnlyWarning(entry: UnknownEntry, version: NovaVersion): ConfigIssue | undefined {
  const known = ZED_ONLY_OPTIONS.get(keyOf(entry.section, entry.key));
  if (known === undefined) return undefined;
  const name = `[${entry.section}] ${entry.key}`;
  const what = known.of === undefined ? '' : `, the multiplier of ${known.of},`;
  const renamed =
    known.renamedTo === undefined ? undefined : `[${known.renamedTo.replace('.', '] ')}`;
  const message =
    version === 'liberty'
      ? `${name}${what} is an option of nova Zed, not of nova Liberty (the version in force); ignored`
      : renamed !== undefined
        ? `${name}${what} is an old spelling that nova Zed no longer reads (it reads ${renamed}); ignored`
        : `${name} is a nova Zed option opie does not model; ignored`;
  const issue: ConfigIssue = {
    file: entry.file,
    line: entry.line,
    section: entry.section,
    key: entry.key,
    message,
  };
  if (version === 'liberty' && known.of !== undefined) {
    issue.hint = `${known.of} is a nova Zed weigher: set [opie] nova_version = zed to use it`;
  } else if (renamed !== undefined) {
    issue.hint = `rename it to ${renamed}`;
  } else if (version === 'liberty') {
    issue.hint = 'opie does not model it under either nova_version';
  }
  return issue;
}

/** A Liberty scheduler option opie does not model (and Zed dropped): why it does nothing. */
function libertyOnlyWarning(entry: UnknownEntry, version: NovaVersion): ConfigIssue | undefined {
  const key = keyOf(entry.section, entry.key);
  if (!LIBERTY_ONLY_OPTIONS.has(key)) return undefined;
  const instead = LIBERTY_ONLY_OPTIONS.get(key);
  const name = `[${entry.section}] ${entry.key}`;
  const issue: ConfigIssue = {
    file: entry.file,
    line: entry.line,
    section: entry.section,
    key: entry.key,
    message:
      version === 'zed'
        ? `${name} is a nova Liberty-era scheduler option that nova Zed (the version in force) no longer has; ignored`
        : `${name} is a nova scheduler option opie does not model; ignored`,
  };
  if (instead !== undefined) issue.hint = instead;
  return issue;
}

/**
 * Warnings for the entries no option claims. A section the scheduler never
 * reads (`[keystone_authtoken]`, `[neutron]`, ...) and a `[DEFAULT]` entry
 * with no likely fix are counted in one summary line instead of one warning
 * each; a nova Zed option gets a warning naming the version that has it, and
 * a Liberty scheduler option Zed dropped one saying so.
 * @param readSections sections (normalised) some registered option lives in
 */
export function unknownOptionWarnings(
  entries: readonly UnknownEntry[],
  readSections: ReadonlySet<string>,
  version: NovaVersion,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const counts = new Map<string, number>();
  const quietFiles: string[] = [];
  for (const entry of entries) {
    const versioned = zedOnlyWarning(entry, version) ?? libertyOnlyWarning(entry, version);
    if (versioned !== undefined) {
      out.push(versioned);
      continue;
    }
    const section = normalizeSection(entry.section);
    const quiet = !readSections.has(section) || (section === 'DEFAULT' && entry.hint === undefined);
    if (!quiet) {
      out.push(unknownOptionWarning(entry));
      continue;
    }
    counts.set(entry.section, (counts.get(entry.section) ?? 0) + 1);
    quietFiles.push(entry.file);
  }
  if (counts.size > 0) {
    const files = new Set(quietFiles);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const bySection = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([s, n]) => `[${s}] ${n}`)
      .join(', ');
    const [only] = files;
    out.push({
      // One file: the summary sorts with that file's warnings.
      ...(files.size === 1 && only !== undefined ? { file: only } : {}),
      message: `${total} ${total === 1 ? 'option' : 'options'} the scheduler does not read ignored (other services' options): ${bySection}`,
      hint: 'opie reads only the scheduler options; `opie config show` lists them with their sources',
    });
  }
  return out;
}

/**
 * Under `liberty`, a warning for each nova Zed option a file sets that a
 * plugin does read, but only under `zed` (such as
 * `[filter_scheduler] image_properties_default_architecture`): the option is
 * known, so it is no unknown entry, yet it has no effect in the version in
 * force. Under `zed` nothing is said.
 * @param registered `group.name` of every registered option
 */
export function zedOnlyOptionWarnings(
  documents: readonly IniDocument[],
  registered: ReadonlySet<string>,
  version: NovaVersion,
): ConfigIssue[] {
  if (version !== 'liberty') return [];
  const out: ConfigIssue[] = [];
  for (const doc of documents) {
    for (const entry of doc.entries) {
      const key = keyOf(entry.section, entry.key);
      if (!ZED_ONLY_OPTIONS.has(key) || !registered.has(key)) continue;
      out.push({
        file: doc.file,
        line: entry.line,
        section: entry.section,
        key: entry.key,
        message: `[${entry.section}] ${entry.key} is an option of nova Zed, not of nova Liberty (the version in force); ignored`,
        hint: 'opie reads it under [opie] nova_version = zed',
      });
    }
  }
  return out;
}

/** A weigher whose `*weight_multiplier` option a file sets. */
export interface WeigherMultiplier {
  classPath: string;
  spec: OptionSpec;
  place: { file: string; line: number; section: string; key: string };
  /** The option listing this kind of weigher: `[filter_scheduler] weight_classes` or the victim one. */
  listOption: string;
}

/** Warns for each multiplier set for a weigher that is not enabled: it has no effect. */
export function unusedMultiplierWarnings(
  multipliers: readonly WeigherMultiplier[],
  enabled: ReadonlySet<string>,
  version: NovaVersion,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const m of multipliers) {
    const key = `${m.spec.group}.${m.spec.name}`;
    if (enabled.has(key) || seen.has(key)) continue;
    seen.add(key);
    const name = className(m.classPath);
    if (version === 'liberty' && ZED_ONLY_WEIGHERS.includes(m.classPath)) {
      out.push({
        ...m.place,
        message: `[${m.place.section}] ${m.place.key}, the multiplier of ${name}, is an option of nova Zed, not of nova Liberty (the version in force); ignored`,
        hint: `${name} is a nova Zed weigher: set [opie] nova_version = zed to use it`,
      });
      continue;
    }
    const zedHas = version === 'liberty' && ZED_ALL_WEIGHERS.includes(m.classPath);
    out.push({
      ...m.place,
      message: `[${m.place.section}] ${m.place.key} is set but ${name} is not among the weighers (${m.listOption}): it has no effect`,
      hint: zedHas
        ? `nova Liberty's ${className(ALL_WEIGHERS)} does not include ${name}, nova Zed's does: add ${m.classPath} to ${m.listOption}, or set [opie] nova_version = zed`
        : `add ${m.classPath} to ${m.listOption}, or remove the option`,
    });
  }
  return out;
}

/** Under `zed`, one warning for the enabled filters nova Zed no longer ships (none: undefined). */
export function libertyOnlyFiltersWarning(
  names: readonly string[],
  place: Omit<ConfigIssue, 'message'>,
): ConfigIssue | undefined {
  const dropped = [...new Set(names)].filter((n) => LIBERTY_ONLY_FILTERS.has(n));
  if (dropped.length === 0) return undefined;
  const why = dropped.map((n) => `${n}: ${LIBERTY_ONLY_FILTERS.get(n) ?? ''}`).join('; ');
  const these = dropped.length === 1 ? 'it' : 'them';
  return {
    ...place,
    message: `${dropped.join(', ')} ${dropped.length === 1 ? 'is a nova Liberty filter' : 'are nova Liberty filters'} that nova Zed no longer has (${why}); opie keeps ${these} in zed mode`,
    hint: 'see "nova_version" in the @opie/loader README for how placement\'s check maps onto them',
  };
}
