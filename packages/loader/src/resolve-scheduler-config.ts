import {
  ClassNotFoundError,
  ConfigError,
  OpieError,
  className,
  makeConfigValues,
} from '@opie/core';
import type {
  ConfigIssue,
  FilterPlugin,
  OptionSource,
  OptionSpec,
  OptionValue,
  PluginDefinition,
} from '@opie/core';
import { parseOsloIni } from './oslo-ini.js';
import type { IniDocument } from './oslo-ini.js';
import {
  ALL_WEIGHERS,
  ZED_ALL_WEIGHERS,
  ZED_ONLY_WEIGHERS,
  novaVersionOption,
} from './nova-version.js';
import type { NovaVersion } from './nova-version.js';
import {
  availableFiltersOption,
  driverOption,
  enabledFiltersOption,
  hostManagerOption,
  loaderOptions,
  preemptibleWeightClassesOption,
  weightClassesOption,
} from './options.js';
import type { PluginByKind, PluginRegistry } from './registry.js';
import { OptionResolver, normalizeSection } from './resolve.js';
import type { ResolvedOption } from './resolve.js';
import type {
  ConfigFile,
  EffectiveOption,
  SchedulerConfig,
  SelectedFilter,
  SelectedPlugin,
  SelectedVictimWeigher,
  SelectedWeigher,
} from './scheduler-config.js';
import { nearestNames } from './suggest.js';
import {
  deprecationPolicy,
  isNovaVersion,
  libertyOnlyFiltersWarning,
  postLibertyWarning,
  unknownOptionWarnings,
  unusedMultiplierWarnings,
  versionDefault,
  zedOnlyOptionWarnings,
} from './version-rules.js';
import type { WeigherMultiplier } from './version-rules.js';

export interface ResolveSchedulerConfigOptions {
  /** nova.conf files in `--config-file` order (later files win). */
  files: readonly ConfigFile[];
  registry: PluginRegistry;
}

const ELLIPSIS = /^\(\s*(?:\.\.\.|…)\s*\)$|^(?:\.\.\.|…)$/;

const ELLIPSIS_HINT: Record<string, string> = {
  'preemptible_instances_scheduler.weight_classes':
    "the docs' (...) stands for the victim weighers you want, e.g. nova.scheduler.weights.all_preemptible_weighers",
  weight_classes:
    "the docs' (...) stands for the weighers you already use, e.g. nova.scheduler.weights.all_weighers",
  enabled_filters:
    "the docs' (...) stands for the filters you already use, e.g. RetryFilter, RamFilter, ComputeFilter",
  available_filters:
    "the docs' (...) stands for the filters you already use, e.g. nova.scheduler.filters.all_filters",
};

/** Where an option's value is, as issue fields. */
function where(option: ResolvedOption): Omit<ConfigIssue, 'message'> {
  return whereSource(option.source, option.spec);
}

function whereSource(source: OptionSource, spec: OptionSpec): Omit<ConfigIssue, 'message'> {
  if (source.kind === 'default') return { section: spec.group, key: spec.name };
  return { file: source.file, line: source.line, section: source.section, key: source.name };
}

/**
 * A plugin's refusal as one sentence: its own text when that already names
 * it (`TrustedFilter is not supported: ...`), else `<name> is not supported: <text>`.
 */
function unsupportedMessage(
  name: string,
  plugin: { classPath: string; unsupported: string },
): string {
  const text = plugin.unsupported;
  return text.startsWith(name) || text.startsWith(className(plugin.classPath))
    ? text
    : `${name} is not supported: ${text}`;
}

function issueFromError(error: unknown, place: Omit<ConfigIssue, 'message'>): ConfigIssue[] {
  if (ConfigError.isInstance(error)) {
    return error.issues.map((i) => ({ ...place, ...i }));
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ ...place, message }];
}

/** Sort by file order, then line; issues without a place keep their order at the end. */
function byPlace(files: readonly string[]): (a: ConfigIssue, b: ConfigIssue) => number {
  const rank = (i: ConfigIssue): number =>
    i.file === undefined ? files.length : Math.max(0, files.indexOf(i.file));
  return (a, b) => rank(a) - rank(b) || (a.line ?? Infinity) - (b.line ?? Infinity);
}

/**
 * Resolves nova.conf files against a registry, without creating anything:
 * the driver, host manager, available and enabled filters, weighers, and
 * every option of the loader and of the selected plugins with its source.
 * Collects every problem and throws one `ConfigError`.
 * @see nova/scheduler/manager.py SchedulerManager.__init__
 * @see nova/scheduler/host_manager.py HostManager.__init__
 */
export function resolveSchedulerConfig(options: ResolveSchedulerConfigOptions): SchedulerConfig {
  const { registry } = options;
  const files = options.files.map((f) => f.path);
  const documents: IniDocument[] = options.files.map((f) => parseOsloIni(f.text, f.path));
  const issues: ConfigIssue[] = documents.flatMap((d) => d.issues);
  const warnings: ConfigIssue[] = [];
  const resolver = new OptionResolver(documents, registry.options());

  // [opie] nova_version first: it decides defaults and which names are deprecated.
  const versionOption = resolver.resolve(novaVersionOption);
  const novaVersion: NovaVersion = isNovaVersion(versionOption.value)
    ? versionOption.value
    : 'liberty';
  resolver.setPolicy({
    deprecation: deprecationPolicy(novaVersion),
    defaultOf: versionDefault(novaVersion),
  });

  const owners = new Map<string, { spec: OptionSpec; owners: string[] }>();
  const own = (specs: readonly OptionSpec[], owner: string): void => {
    for (const spec of specs) {
      const key = `${spec.group}.${spec.name}`;
      const entry = owners.get(key);
      if (entry === undefined) owners.set(key, { spec, owners: [owner] });
      else if (!entry.owners.includes(owner)) entry.owners.push(owner);
    }
  };
  own(loaderOptions, 'loader');
  for (const spec of loaderOptions) resolver.resolve(spec);

  /** Class-list entries, without empty pieces (warned) and `(...)` (an issue). */
  const entriesOf = (option: ResolvedOption): { entry: string; source: OptionSource }[] => {
    const raw = option.value;
    const list = Array.isArray(raw) ? raw : [];
    const out: { entry: string; source: OptionSource }[] = [];
    let empties = 0;
    list.forEach((entry, i) => {
      const source =
        option.spec.type === 'multistr' ? (option.sources[i] ?? option.source) : option.source;
      if (entry === '') {
        empties += 1;
      } else if (ELLIPSIS.test(entry)) {
        issues.push({
          ...whereSource(source, option.spec),
          message: `${entry} is not a class ${option.name === 'enabled_filters' ? 'name' : 'path'}`,
          hint:
            ELLIPSIS_HINT[`${option.group}.${option.name}`] ??
            ELLIPSIS_HINT[option.name] ??
            "replace the docs' (...) with real names",
        });
      } else {
        out.push({ entry, source });
      }
    });
    if (empties > 0) {
      warnings.push({
        ...where(option),
        message: `${empties} empty ${empties === 1 ? 'entry' : 'entries'} in [${option.group}] ${option.name} ignored (a trailing or doubled comma)`,
        hint: 'Liberty would refuse to start with an empty name; remove the extra comma',
      });
    }
    return out;
  };

  const selectOne = <K extends 'driver' | 'host-manager'>(
    spec: OptionSpec,
    kind: K,
  ): SelectedPlugin<PluginByKind[K]> | undefined => {
    const option = resolver.resolve(spec);
    const name = typeof option.value === 'string' ? option.value.trim() : '';
    if (!option.valid) return undefined;
    try {
      const plugin = registry.resolve(name, kind);
      if (plugin.unsupported !== undefined) {
        issues.push({
          ...where(option),
          message: unsupportedMessage(plugin.classPath, {
            ...plugin,
            unsupported: plugin.unsupported,
          }),
        });
        return undefined;
      }
      own(plugin.options ?? [], plugin.classPath);
      return { name, classPath: plugin.classPath, plugin, source: option.source };
    } catch (error) {
      const known = registry.names(kind);
      const hint =
        ClassNotFoundError.isInstance(error) && error.suggestions.length === 0 && known.length > 0
          ? `known names: ${known.join(', ')}`
          : undefined;
      for (const i of issueFromError(error, where(option))) {
        issues.push(hint === undefined || i.hint !== undefined ? i : { ...i, hint });
      }
      return undefined;
    }
  };

  const driver = selectOne(driverOption, 'driver');
  const hostManager = selectOne(hostManagerOption, 'host-manager');

  // Available filters: nova's class-name map.
  const availableOption = resolver.resolve(availableFiltersOption);
  const availableEntries = entriesOf(availableOption);
  // An entry that cannot be loaded is one error; the filters it would have made
  // available are then not reported again as missing (nova stops at the import).
  const availableIssues: ConfigIssue[] = [];
  const availableFilters = registry.availableFilterMap(
    availableEntries.map((e) => e.entry),
    (_entry, index, error) => {
      const source = availableEntries[index]?.source ?? availableOption.source;
      availableIssues.push(...issueFromError(error, whereSource(source, availableOption.spec)));
    },
  );

  // Enabled filters, by class name, in order; duplicates kept (they run twice).
  const enabledOption = resolver.resolve(enabledFiltersOption);
  const filters: SelectedFilter[] = [];
  const unknownFilters: string[] = [];
  for (const { entry } of entriesOf(enabledOption)) {
    const plugin = availableFilters.get(entry);
    if (plugin === undefined) {
      if (!unknownFilters.includes(entry)) unknownFilters.push(entry);
      continue;
    }
    filters.push({
      name: entry,
      classPath: plugin.classPath,
      plugin,
      source: enabledOption.source,
    });
  }
  const firstAvailableIssue = availableIssues[0];
  if (firstAvailableIssue !== undefined && unknownFilters.length > 0) {
    const missing = `without it, [${enabledOption.group}] ${enabledOption.name} cannot find ${unknownFilters.join(', ')}`;
    availableIssues[0] = {
      ...firstAvailableIssue,
      hint:
        firstAvailableIssue.hint === undefined
          ? missing
          : `${firstAvailableIssue.hint}; ${missing}`,
    };
  }
  issues.push(...availableIssues);
  if (unknownFilters.length > 0 && firstAvailableIssue === undefined) {
    const hint = unknownFilters
      .map((name) => filterHint(name, availableFilters, registry))
      .filter((h) => h !== '')
      .join('; ');
    issues.push({
      ...where(enabledOption),
      message: `Scheduler Host Filter ${unknownFilters.join(', ')} could not be found.`,
      ...(hint === '' ? {} : { hint }),
    });
  }
  if (novaVersion === 'zed') {
    const dropped = libertyOnlyFiltersWarning(
      filters.map((f) => f.name),
      where(enabledOption),
    );
    if (dropped !== undefined) warnings.push(dropped);
  }
  const seenFilters = new Set<string>();
  for (const f of filters) {
    if (seenFilters.has(f.classPath)) continue;
    seenFilters.add(f.classPath);
    if (f.plugin.unsupported !== undefined) {
      issues.push({
        ...where(enabledOption),
        message: unsupportedMessage(f.name, { ...f.plugin, unsupported: f.plugin.unsupported }),
      });
    }
    own(f.plugin.options ?? [], f.classPath);
  }

  // Weighers: class paths and groups, expanded, never de-duplicated.
  const weightOption = resolver.resolve(weightClassesOption);
  const selectedWeighers: Omit<SelectedWeigher, 'multiplier'>[] = [];
  const unsupportedWeighers = new Set<string>();
  const selectWeigher = (plugin: PluginByKind['weigher'], entry: string, source: OptionSource) => {
    selectedWeighers.push({ classPath: plugin.classPath, listedAs: entry, plugin, source });
    if (plugin.unsupported !== undefined && !unsupportedWeighers.has(plugin.classPath)) {
      unsupportedWeighers.add(plugin.classPath);
      issues.push({
        ...where(weightOption),
        message: unsupportedMessage(plugin.classPath, {
          ...plugin,
          unsupported: plugin.unsupported,
        }),
      });
    }
    own(plugin.options ?? [], plugin.classPath);
  };
  for (const { entry, source } of entriesOf(weightOption)) {
    const place = whereSource(source, weightOption.spec);
    if (novaVersion === 'zed' && entry === ALL_WEIGHERS) {
      // nova Zed's all_weighers: its members that are implemented; one warning for the rest.
      const missing: string[] = [];
      for (const classPath of ZED_ALL_WEIGHERS) {
        const plugin = registry.get(classPath);
        if (plugin?.kind === 'weigher') selectWeigher(plugin, entry, source);
        else missing.push(className(classPath));
      }
      if (missing.length > 0) {
        warnings.push({
          ...place,
          message: `nova Zed's all_weighers includes ${missing.join(', ')}, not yet implemented in zed mode; hosts are weighed without ${missing.length === 1 ? 'it' : 'them'}`,
          hint: 'list the weighers you want by class path in [filter_scheduler] weight_classes to silence this',
        });
      }
      continue;
    }
    if (novaVersion === 'liberty' && ZED_ONLY_WEIGHERS.includes(entry)) {
      issues.push({
        ...place,
        message: `${entry} is a nova Zed weigher: nova Liberty (the version in force) has none of that name`,
        hint: `set [opie] nova_version = zed to use it, or remove it from [${weightOption.group}] ${weightOption.name}`,
      });
      continue;
    }
    if (!registry.has(entry) && ZED_ALL_WEIGHERS.includes(entry)) {
      issues.push({
        ...place,
        message:
          novaVersion === 'zed'
            ? `${entry} is not yet implemented in zed mode`
            : `${entry} is a nova Zed weigher: nova Liberty (the version in force) has none of that name, and opie does not implement it yet`,
        hint: `remove it from [${weightOption.group}] ${weightOption.name}`,
      });
      continue;
    }
    try {
      for (const plugin of registry.expand(entry, 'weigher')) selectWeigher(plugin, entry, source);
    } catch (error) {
      issues.push(...issueFromError(error, where(weightOption)));
    }
  }

  // Victim weighers, for a driver that prices victims (opie's option, read at last).
  const selectedVictimWeighers: Omit<SelectedVictimWeigher, 'multiplier'>[] = [];
  if (driver?.plugin.usesVictimWeighers === true) {
    const victimOption = resolver.resolve(preemptibleWeightClassesOption);
    const unsupportedVictimWeighers = new Set<string>();
    for (const { entry, source } of entriesOf(victimOption)) {
      try {
        for (const plugin of registry.expand(entry, 'victim-weigher')) {
          selectedVictimWeighers.push({
            classPath: plugin.classPath,
            listedAs: entry,
            plugin,
            source,
          });
          if (
            plugin.unsupported !== undefined &&
            !unsupportedVictimWeighers.has(plugin.classPath)
          ) {
            unsupportedVictimWeighers.add(plugin.classPath);
            issues.push({
              ...where(victimOption),
              message: unsupportedMessage(plugin.classPath, {
                ...plugin,
                unsupported: plugin.unsupported,
              }),
            });
          }
          own(plugin.options ?? [], plugin.classPath);
        }
      } catch (error) {
        issues.push(...issueFromError(error, where(victimOption)));
      }
    }
  }

  // Every option of the loader and of the selected plugins.
  const effective: EffectiveOption[] = [];
  const byKey = new Map<string, EffectiveOption>();
  for (const [key, { spec, owners: declaredBy }] of owners) {
    const resolved = resolver.resolve(spec);
    const option: EffectiveOption = { ...resolved, owners: declaredBy };
    effective.push(option);
    byKey.set(key, option);
  }
  effective.sort(
    (a, b) =>
      Number(b.group === 'DEFAULT') - Number(a.group === 'DEFAULT') ||
      a.group.localeCompare(b.group) ||
      a.name.localeCompare(b.name),
  );
  const weighers: SelectedWeigher[] = selectedWeighers.map((w) => ({
    ...w,
    multiplier: multiplierOf(w.plugin, byKey),
  }));
  const victimWeighers: SelectedVictimWeigher[] = selectedVictimWeighers.map((w) => ({
    ...w,
    multiplier: multiplierOf(w.plugin, byKey),
  }));

  // Python's float() reads `nan` and `inf`; as a multiplier they make every
  // host's weight NaN or infinite and the order arbitrary, so they are refused.
  for (const w of [...weighers, ...victimWeighers]) {
    const m = w.multiplier;
    if (m !== null && typeof m.value === 'number' && !Number.isFinite(m.value)) {
      issues.push({
        ...where(m),
        message: `${String(m.value)} is not a usable multiplier for ${w.plugin.classPath}`,
        hint: 'use a finite number such as 1.0 (negative values reverse the preference)',
      });
    }
  }

  // A multiplier set for a weigher that is not enabled has no effect.
  const enabledMultipliers = new Set<string>();
  for (const w of [...selectedWeighers, ...selectedVictimWeighers]) {
    for (const o of w.plugin.options ?? []) enabledMultipliers.add(`${o.group}.${o.name}`);
  }
  const setMultipliers: WeigherMultiplier[] = [];
  for (const kind of ['weigher', 'victim-weigher'] as const) {
    const listOption =
      kind === 'weigher'
        ? `[${weightClassesOption.group}] ${weightClassesOption.name}`
        : `[${preemptibleWeightClassesOption.group}] ${preemptibleWeightClassesOption.name}`;
    for (const plugin of registry.list(kind)) {
      if (plugin.kind === 'group') continue;
      for (const spec of plugin.options ?? []) {
        if (!spec.name.endsWith('weight_multiplier')) continue;
        const place = resolver.placeOf(spec);
        if (place !== undefined) {
          setMultipliers.push({ classPath: plugin.classPath, spec, place, listOption });
        }
      }
    }
  }
  warnings.push(...unusedMultiplierWarnings(setMultipliers, enabledMultipliers, novaVersion));

  // One warning when a newer nova's file runs under Liberty's defaults unawares.
  if (versionOption.source.kind === 'default') {
    const notice = postLibertyWarning(documents, {
      filters: enabledOption.source.kind === 'default',
      weighers: weightOption.source.kind === 'default',
    });
    if (notice !== undefined) warnings.push(notice);
  }

  const readSections = new Set<string>();
  for (const spec of registry.options()) {
    readSections.add(normalizeSection(spec.group));
    for (const d of spec.deprecatedNames ?? []) readSections.add(normalizeSection(d.group));
  }
  warnings.push(...unknownOptionWarnings(resolver.unknownEntries(), readSections, novaVersion));
  const registeredKeys = new Set(
    registry.options().map((o) => `${normalizeSection(o.group)}.${o.name}`),
  );
  warnings.push(...zedOnlyOptionWarnings(documents, registeredKeys, novaVersion));
  issues.push(...resolver.issues);
  warnings.push(...resolver.warnings);
  const order = byPlace(files);
  warnings.sort(order);
  if (issues.length > 0 || driver === undefined || hostManager === undefined) {
    throw new ConfigError(dedupe(issues).sort(order));
  }

  const values = makeConfigValues((group: string, name: string): OptionValue => {
    const option = byKey.get(`${group}.${name}`);
    if (option === undefined) {
      throw new OpieError(
        'CONFIG_INVALID',
        `option [${group}] ${name} is not declared by the loader or a selected plugin`,
      );
    }
    return option.value;
  });

  return {
    files,
    novaVersion,
    driver,
    hostManager,
    availableFilters,
    filters,
    weighers,
    victimWeighers,
    options: effective,
    values,
    warnings,
  };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = JSON.stringify([i.file, i.line, i.section, i.key, i.message]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The weigher's own float option named `*weight_multiplier`, if exactly one. */
function multiplierOf(
  plugin: PluginDefinition,
  byKey: ReadonlyMap<string, EffectiveOption>,
): EffectiveOption | null {
  const candidates = (plugin.options ?? []).filter(
    (o) => o.type === 'float' && o.name.endsWith('weight_multiplier'),
  );
  const only = candidates.length === 1 ? candidates[0] : undefined;
  return only === undefined ? null : (byKey.get(`${only.group}.${only.name}`) ?? null);
}

/** Why an enabled filter name is unknown, and what would fix it. */
function filterHint(
  name: string,
  available: ReadonlyMap<string, FilterPlugin>,
  registry: PluginRegistry,
): string {
  const registered = registry.get(name);
  if (registered?.kind === 'filter') {
    return `${name} is a class path; enabled_filters takes class names such as ${className(name)}`;
  }
  const registeredFilters = registry.list('filter').filter((p) => className(p.classPath) === name);
  if (registeredFilters.length > 0) {
    return `${name} exists but is not among [filter_scheduler] available_filters`;
  }
  const near = nearestNames(name, available.keys());
  return near.length > 0 ? `${name}: did you mean ${near.join(', ')}?` : '';
}
