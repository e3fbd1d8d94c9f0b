/** oslo.config option types (oslo_config/types.py). */
export type OptionType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'multistr';

export type OptionValue = string | number | boolean | string[] | null;

/** A former (group, name) of an option, still read with a warning (nova/conf/scheduler.py). */
export interface OptionName {
  group: string;
  name: string;
}

/**
 * One nova.conf option a plugin owns, like oslo's `cfg.Opt`: the loader
 * converts the raw string by `type` (oslo rules), then validates with `schema`.
 */
export interface OptionSpec {
  group: string;
  name: string;
  type: OptionType;
  default: OptionValue;
  help: string;
  /** Older names, tried in order when the current name is absent. */
  deprecatedNames?: readonly OptionName[];
  /**
   * Extra validation of the converted value: a zod schema such as
   * `z.number().int().min(1)` (any object with zod's `safeParse` fits). Plugin
   * packages declare it as a getter that builds the schema on first read, so
   * importing them does not load zod.
   */
  schema?: OptionSchema;
  /** Allowed values of a `str` option. */
  choices?: readonly string[];
}

/** What the loader needs of an option schema: zod's `safeParse`. Core itself needs no zod. */
export interface OptionSchema {
  safeParse(
    value: unknown,
  ): { success: true } | { success: false; error: { issues: readonly { message: string }[] } };
}

/** Where an option's value came from. */
export type OptionSource =
  | { kind: 'default' }
  | {
      kind: 'file';
      file: string;
      line: number;
      section: string;
      name: string;
      deprecated: boolean;
    };

/** Resolved option values a plugin factory reads. */
export interface ConfigValues {
  /** The converted value; throws for an option nobody registered. */
  get(group: string, name: string): OptionValue;
  str(group: string, name: string): string | null;
  int(group: string, name: string): number | null;
  float(group: string, name: string): number;
  bool(group: string, name: string): boolean;
  list(group: string, name: string): string[];
}

/** ConfigValues over a plain map of `group.name` keys, falling back to option defaults. */
export function configValuesFrom(
  specs: readonly OptionSpec[],
  values: Readonly<Record<string, OptionValue>> = {},
): ConfigValues {
  const byKey = new Map<string, OptionSpec>(specs.map((s) => [`${s.group}.${s.name}`, s]));
  const get = (group: string, name: string): OptionValue => {
    const key: string = `${group}.${name}`;
    if (Object.prototype.hasOwnProperty.call(values, key)) return values[key] ?? null;
    const spec = byKey.get(key);
    if (spec === undefined) throw new Error(`option ${key} is not registered`);
    return spec.default;
  };
  return makeConfigValues(get);
}

/** Typed getters over a `get` function. */
export function makeConfigValues(get: (group: string, name: string) => OptionValue): ConfigValues {
  return {
    get,
    str: (g, n) => {
      const v = get(g, n);
      return v === null ? null : String(v);
    },
    int: (g, n) => {
      const v = get(g, n);
      return typeof v === 'number' ? v : null;
    },
    float: (g, n) => Number(get(g, n)),
    bool: (g, n) => get(g, n) === true,
    list: (g, n) => {
      const v = get(g, n);
      return Array.isArray(v) ? v : [];
    },
  };
}
