import { ClassNotFoundError, ConfigError, className } from '@opie/core';
import type {
  DriverPlugin,
  FilterPlugin,
  HostManagerPlugin,
  OptionSpec,
  PluginDefinition,
  PluginGroup,
  PluginKind,
  VictimWeigherPlugin,
  WeigherPlugin,
} from '@opie/core';
import { loaderOptions } from './options.js';
import { nearestNames } from './suggest.js';

/** Anything a registry holds: a plugin or a group of plugins. */
export type Registrable = PluginDefinition | PluginGroup;

/** What `list()` and `names()` select on. */
export type RegistrableKind = PluginKind | 'group';

/** The plugin definition type of each kind. */
export interface PluginByKind {
  driver: DriverPlugin;
  'host-manager': HostManagerPlugin;
  filter: FilterPlugin;
  weigher: WeigherPlugin;
  'victim-weigher': VictimWeigherPlugin;
}

/** One registered item and who registered it (for duplicate messages). */
interface Registration {
  item: Registrable;
  origin: string;
}

interface OptionOwner {
  spec: OptionSpec;
  owner: string;
}

const KINDS: readonly RegistrableKind[] = [
  'driver',
  'host-manager',
  'filter',
  'weigher',
  'victim-weigher',
  'group',
];

const LABEL: Record<RegistrableKind, string> = {
  driver: 'scheduler driver',
  'host-manager': 'host manager',
  filter: 'host filter',
  weigher: 'host weigher',
  'victim-weigher': 'victim weigher',
  group: 'plugin group',
};

function labelOf(item: Registrable): string {
  return item.kind === 'group' ? `group of ${LABEL[item.of]}s` : LABEL[item.kind];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  }
  return Object.is(a, b);
}

function sameDeclaration(a: OptionSpec, b: OptionSpec): boolean {
  return (
    a.group === b.group && a.name === b.name && a.type === b.type && sameValue(a.default, b.default)
  );
}

function fail(message: string, hint?: string): never {
  throw new ConfigError([hint === undefined ? { message } : { message, hint }]);
}

/**
 * Class paths and aliases → plugin definitions, like nova's `loadables` plus
 * its stevedore entry points. A value, never a global: build one with
 * `createBuiltinRegistry()` or `new PluginRegistry()`. Names are exact and
 * case-sensitive; registering a name twice is an error.
 * @see nova/loadables.py BaseLoader
 */
export class PluginRegistry {
  readonly #byName = new Map<string, Registration>();
  readonly #items: Registration[] = [];
  readonly #options = new Map<string, OptionOwner>();

  /** A registry with no plugins; the loader's own options are always declared. */
  constructor() {
    for (const spec of loaderOptions) {
      this.#options.set(`${spec.group}.${spec.name}`, { spec, owner: 'the loader' });
    }
  }

  /**
   * Adds one plugin or group under its class path and aliases. Throws a
   * `ConfigError` naming both registrations when a name is taken, or when an
   * option it declares conflicts with another declaration of that option.
   * @param origin who registers it, for messages (a package or module name)
   */
  register(item: Registrable, origin = 'register()'): this {
    this.#validate(item, origin);
    const names = [item.classPath, ...(item.aliases ?? [])];
    const unique = [...new Set(names)];
    for (const name of unique) {
      const taken = this.#byName.get(name);
      if (taken !== undefined) {
        const as = name === item.classPath ? 'class path' : 'alias';
        fail(
          `${as} ${name} is registered twice: ${labelOf(taken.item)} ${taken.item.classPath} ` +
            `from ${taken.origin}, and ${labelOf(item)} ${item.classPath} from ${origin}`,
          'each class path and alias may name one plugin; rename or drop one registration',
        );
      }
    }
    const options = item.kind === 'group' ? [] : (item.options ?? []);
    const added: [string, OptionOwner][] = [];
    for (const spec of options) {
      const key = `${spec.group}.${spec.name}`;
      const existing = this.#options.get(key) ?? added.find(([k]) => k === key)?.[1];
      if (existing === undefined) {
        added.push([key, { spec, owner: item.classPath }]);
      } else if (!sameDeclaration(existing.spec, spec)) {
        fail(
          `option [${spec.group}] ${spec.name} is declared differently by ${existing.owner} ` +
            `(${existing.spec.type}, default ${JSON.stringify(existing.spec.default)}) and by ` +
            `${item.classPath} from ${origin} (${spec.type}, default ${JSON.stringify(spec.default)})`,
          'two plugins may share an option only with the same group, name, type and default',
        );
      }
    }
    const registration: Registration = { item, origin };
    for (const name of unique) this.#byName.set(name, registration);
    for (const [key, owner] of added) this.#options.set(key, owner);
    this.#items.push(registration);
    return this;
  }

  /** `register()` each item in order. */
  registerAll(items: Iterable<Registrable>, origin?: string): this {
    for (const item of items) this.register(item, origin);
    return this;
  }

  /** The plugin or group registered under this class path or alias. */
  get(name: string): Registrable | undefined {
    return this.#byName.get(name)?.item;
  }

  /** Whether a class path or alias is registered. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Registered items, in registration order; optionally only one kind. */
  list(kind?: RegistrableKind): Registrable[] {
    const all = this.#items.map((r) => r.item);
    return kind === undefined ? all : all.filter((i) => i.kind === kind);
  }

  /** Every class path and alias (of plugins of `kind`, or of groups of `kind`). */
  names(kind?: PluginKind): string[] {
    const out: string[] = [];
    for (const [name, { item }] of this.#byName) {
      if (kind === undefined || item.kind === kind || (item.kind === 'group' && item.of === kind)) {
        out.push(name);
      }
    }
    return out;
  }

  /** Every option declared by the loader or a registered plugin. */
  options(): OptionSpec[] {
    return [...this.#options.values()].map((o) => o.spec);
  }

  /** The declaration of one option, if any plugin (or the loader) declares it. */
  option(group: string, name: string): OptionSpec | undefined {
    return this.#options.get(`${group}.${name}`)?.spec;
  }

  /**
   * The plugin of `kind` named `name`. Throws `ClassNotFoundError` with the
   * nearest known names when there is none, or when the name is another kind.
   */
  resolve<K extends PluginKind>(name: string, kind: K): PluginByKind[K] {
    const item = this.get(name);
    if (item === undefined) {
      throw new ClassNotFoundError(
        name,
        `no ${LABEL[kind]} is registered under this name`,
        nearestNames(name, this.names(kind)),
      );
    }
    if (item.kind !== kind) {
      throw new ClassNotFoundError(name, `it is a ${labelOf(item)}, not a ${LABEL[kind]}`);
    }
    return item as PluginByKind[K];
  }

  /**
   * The plugins of `kind` a class-list entry stands for: the plugin itself, or
   * a group's members expanded in order (groups may contain groups).
   */
  expand<K extends 'filter' | 'weigher' | 'victim-weigher'>(
    name: string,
    kind: K,
  ): PluginByKind[K][] {
    const out: PluginByKind[K][] = [];
    this.#expandInto(name, kind, out, []);
    return out;
  }

  #expandInto<K extends 'filter' | 'weigher' | 'victim-weigher'>(
    name: string,
    kind: K,
    out: PluginByKind[K][],
    path: string[],
  ): void {
    const item = this.get(name);
    if (item?.kind !== 'group') {
      const outer = path[path.length - 1];
      if (item === undefined && outer !== undefined) {
        throw new ClassNotFoundError(
          name,
          `it is a member of group ${outer} but no ${LABEL[kind]} is registered under this name`,
        );
      }
      out.push(this.resolve(name, kind));
      return;
    }
    if (item.of !== kind) {
      throw new ClassNotFoundError(name, `it is a ${labelOf(item)}, not a ${LABEL[kind]}`);
    }
    if (path.includes(item.classPath)) {
      fail(`plugin group ${item.classPath} contains itself (${[...path, name].join(' → ')})`);
    }
    for (const member of item.members) {
      this.#expandInto(member, kind, out, [...path, item.classPath]);
    }
  }

  /**
   * nova's filter map: the filters that `available` entries give, keyed by
   * class name (a later class of the same name replaces an earlier one).
   * An entry that cannot be expanded is passed to `onError`, or thrown.
   * @see nova/scheduler/host_manager.py HostManager._choose_host_filters
   */
  availableFilterMap(
    available: readonly string[],
    onError?: (entry: string, index: number, error: unknown) => void,
  ): Map<string, FilterPlugin> {
    const map = new Map<string, FilterPlugin>();
    available.forEach((entry, index) => {
      try {
        for (const plugin of this.expand(entry, 'filter')) {
          map.set(className(plugin.classPath), plugin);
        }
      } catch (error) {
        if (onError === undefined) throw error;
        onError(entry, index, error);
      }
    });
    return map;
  }

  /** A copy with the same registrations, to extend without touching this one. */
  clone(): PluginRegistry {
    const copy = new PluginRegistry();
    for (const { item, origin } of this.#items) copy.register(item, origin);
    return copy;
  }

  #validate(item: Registrable, origin: string): void {
    const value: unknown = item;
    const where = `from ${origin}`;
    if (typeof value !== 'object' || value === null) {
      fail(`plugin definition ${where} is not an object`);
    }
    const v = value as Partial<Record<string, unknown>>;
    if (typeof v['kind'] !== 'string' || !KINDS.includes(v['kind'] as RegistrableKind)) {
      fail(
        `plugin definition ${where} has kind ${JSON.stringify(v['kind'])}`,
        `kind must be one of ${KINDS.join(', ')}`,
      );
    }
    if (typeof v['classPath'] !== 'string' || v['classPath'] === '') {
      fail(`a ${String(v['kind'])} plugin definition ${where} has no classPath`);
    }
    const aliases = v['aliases'];
    if (aliases !== undefined && (!Array.isArray(aliases) || !aliases.every(isName))) {
      fail(`plugin ${item.classPath} ${where}: aliases must be non-empty strings`);
    }
    if (item.kind === 'group') {
      if (!Array.isArray(v['members']) || !v['members'].every(isName)) {
        fail(`plugin group ${item.classPath} ${where}: members must be class paths`);
      }
      if (v['of'] !== 'filter' && v['of'] !== 'weigher' && v['of'] !== 'victim-weigher') {
        fail(
          `plugin group ${item.classPath} ${where}: of must be filter, weigher or victim-weigher`,
        );
      }
    } else if (typeof v['create'] !== 'function') {
      fail(`plugin ${item.classPath} ${where} has no create() factory`);
    }
  }
}

function isName(x: unknown): boolean {
  return typeof x === 'string' && x !== '';
}
