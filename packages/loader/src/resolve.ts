import type { ConfigIssue, OptionSource, OptionSpec, OptionValue } from '@opie/core';
import { convertOsloValue, formatPythonValue } from './convert.js';
import { interpolate } from './interpolate.js';
import type { ReferenceValue } from './interpolate.js';
import type { IniDocument } from './oslo-ini.js';
import { nearestNames } from './suggest.js';

/** An option's effective value and where it came from. */
export interface ResolvedOption {
  spec: OptionSpec;
  group: string;
  name: string;
  value: OptionValue;
  /** Where the value came from (for a `multistr`, its first element's line). */
  source: OptionSource;
  /** Every line that contributed (several for a `multistr`); empty for a default. */
  sources: OptionSource[];
  /** False when the value could not be converted or validated (an issue says why). */
  valid: boolean;
}

/** One `key = value` occurrence, located. */
interface Occurrence {
  fileIndex: number;
  file: string;
  line: number;
  /** Section as written. */
  section: string;
  key: string;
  value: string;
}

/** oslo's section normalisation: `DEFAULT` exactly, every other name lower-cased. */
export function normalizeSection(section: string): string {
  return section === 'DEFAULT' ? section : section.toLowerCase();
}

function optionKey(group: string, name: string): string {
  return `${normalizeSection(group)}\u0000${name}`;
}

function sourceOf(o: Occurrence, deprecated: boolean): OptionSource {
  return {
    kind: 'file',
    file: o.file,
    line: o.line,
    section: o.section,
    name: o.key,
    deprecated,
  };
}

function at(o: Occurrence): string {
  return `${o.file}:${o.line}`;
}

function located(o: Occurrence, message: string, hint?: string): ConfigIssue {
  const issue: ConfigIssue = {
    file: o.file,
    line: o.line,
    section: o.section,
    key: o.key,
    message,
  };
  if (hint !== undefined) issue.hint = hint;
  return issue;
}

/**
 * oslo.config option resolution over parsed files (oslo_config/iniparser.py, nova/conf/scheduler.py): section
 * lookup, current name before deprecated names, several files, interpolation,
 * conversion by type, then the option's zod schema. Values are resolved on
 * demand and memoised; problems go to `issues`, notices to `warnings`.
 * @see oslo_config/cfg.py ConfigOpts._do_get
 */
export class OptionResolver {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  readonly #index = new Map<string, Occurrence[]>();
  readonly #specs = new Map<string, OptionSpec>();
  readonly #resolved = new Map<string, ResolvedOption>();
  readonly #resolving = new Set<string>();

  /**
   * @param documents parsed files, in `--config-file` order
   * @param specs every declared option (they are the "registered" options)
   */
  constructor(documents: readonly IniDocument[], specs: readonly OptionSpec[]) {
    documents.forEach((doc, fileIndex) => {
      for (const e of doc.entries) {
        const k = optionKey(e.section, e.key);
        let list = this.#index.get(k);
        if (list === undefined) this.#index.set(k, (list = []));
        list.push({ fileIndex, file: doc.file, ...e });
      }
    });
    for (const spec of specs) this.#specs.set(optionKey(spec.group, spec.name), spec);
  }

  /** The declaration of an option, if registered. */
  spec(group: string, name: string): OptionSpec | undefined {
    return this.#specs.get(optionKey(group, name));
  }

  /** Resolves one option (memoised). */
  resolve(spec: OptionSpec): ResolvedOption {
    const key = optionKey(spec.group, spec.name);
    const done = this.#resolved.get(key);
    if (done !== undefined) return done;
    this.#resolving.add(key);
    try {
      const result =
        spec.type === 'multistr' ? this.#resolveMulti(spec) : this.#resolveSingle(spec);
      this.#resolved.set(key, result);
      return result;
    } finally {
      this.#resolving.delete(key);
    }
  }

  /**
   * Warns once per file entry that no registered option claims, under its
   * current or a deprecated name (oslo ignores such entries).
   */
  warnUnknown(): void {
    const claimed = new Set<string>();
    const byName = new Map<string, string[]>();
    for (const spec of this.#specs.values()) {
      claimed.add(optionKey(spec.group, spec.name));
      for (const d of spec.deprecatedNames ?? []) claimed.add(optionKey(d.group, d.name));
      const groups = byName.get(spec.name) ?? [];
      groups.push(spec.group);
      byName.set(spec.name, groups);
    }
    for (const [k, occurrences] of this.#index) {
      if (claimed.has(k)) continue;
      const first = occurrences[0];
      if (first === undefined) continue;
      const others = occurrences.slice(1).map(at);
      const also = others.length > 0 ? ` (also set at ${others.join(', ')})` : '';
      const message = `unknown option, ignored${also}`;
      this.warnings.push(located(first, message, this.#unknownHint(first, byName)));
    }
  }

  #unknownHint(o: Occurrence, byName: Map<string, string[]>): string | undefined {
    const elsewhere = byName.get(o.key);
    if (o.section !== 'DEFAULT' && o.section.toUpperCase() === 'DEFAULT') {
      return `[${o.section}] is not [DEFAULT]: the DEFAULT section name is case-sensitive`;
    }
    if (elsewhere !== undefined) {
      return `${o.key} is an option of ${elsewhere.map((g) => `[${g}]`).join(', ')}`;
    }
    const group = normalizeSection(o.section);
    const sameSection: string[] = [];
    for (const spec of this.#specs.values()) {
      if (normalizeSection(spec.group) === group) sameSection.push(spec.name);
      for (const d of spec.deprecatedNames ?? []) {
        if (normalizeSection(d.group) === group) sameSection.push(d.name);
      }
    }
    const near = nearestNames(o.key, sameSection);
    return near.length > 0 ? `did you mean ${near.join(', ')}?` : undefined;
  }

  #occurrences(group: string, name: string): Occurrence[] {
    return this.#index.get(optionKey(group, name)) ?? [];
  }

  #resolveSingle(spec: OptionSpec): ResolvedOption {
    const current = this.#occurrences(spec.group, spec.name);
    const deprecated = (spec.deprecatedNames ?? [])
      .map((d) => ({ ...d, found: this.#occurrences(d.group, d.name) }))
      .filter((d) => d.found.length > 0);
    let winner: Occurrence | undefined = current[current.length - 1];
    let fromDeprecated = false;
    if (winner !== undefined) {
      for (const d of deprecated) {
        const old = d.found[d.found.length - 1];
        if (old === undefined) continue;
        this.warnings.push(
          located(
            old,
            `[${d.group}] ${d.name} is ignored: [${spec.group}] ${spec.name} (${at(winner)}) is also set and wins`,
            `remove the deprecated [${d.group}] ${d.name}`,
          ),
        );
      }
    } else {
      const d = deprecated[0];
      winner = d?.found[d.found.length - 1];
      if (d !== undefined && winner !== undefined) {
        fromDeprecated = true;
        this.warnings.push(
          located(winner, `[${d.group}] ${d.name} is deprecated; use [${spec.group}] ${spec.name}`),
        );
      }
    }
    if (winner === undefined) return this.#default(spec);
    const source = sourceOf(winner, fromDeprecated);
    const converted = this.#convert(spec, winner);
    return {
      spec,
      group: spec.group,
      name: spec.name,
      value: converted.value,
      source,
      sources: [source],
      valid: converted.valid,
    };
  }

  #resolveMulti(spec: OptionSpec): ResolvedOption {
    const all: { o: Occurrence; deprecated: boolean }[] = this.#occurrences(
      spec.group,
      spec.name,
    ).map((o) => ({ o, deprecated: false }));
    for (const d of spec.deprecatedNames ?? []) {
      const found = this.#occurrences(d.group, d.name);
      const first = found[0];
      if (first === undefined) continue;
      const merged = all.length > 0 ? ' (values under both names are merged)' : '';
      this.warnings.push(
        located(
          first,
          `[${d.group}] ${d.name} is deprecated; use [${spec.group}] ${spec.name}${merged}`,
        ),
      );
      for (const o of found) all.push({ o, deprecated: true });
    }
    if (all.length === 0) return this.#default(spec);
    all.sort((a, b) => a.o.fileIndex - b.o.fileIndex || a.o.line - b.o.line);
    const values: string[] = [];
    let valid = true;
    for (const { o } of all) {
      const c = this.#convert(spec, o);
      valid &&= c.valid;
      if (typeof c.value === 'string') values.push(c.value);
    }
    const sources = all.map(({ o, deprecated }) => sourceOf(o, deprecated));
    const source = sources[0] ?? { kind: 'default' };
    const result: ResolvedOption = {
      spec,
      group: spec.group,
      name: spec.name,
      value: values,
      source,
      sources,
      valid,
    };
    if (valid && !this.#validate(spec, values, all[0]?.o)) result.valid = false;
    return result;
  }

  #default(spec: OptionSpec): ResolvedOption {
    const source: OptionSource = { kind: 'default' };
    return {
      spec,
      group: spec.group,
      name: spec.name,
      value: spec.default,
      source,
      sources: [],
      valid: true,
    };
  }

  /** Interpolation, then oslo conversion, then (single values) the schema. */
  #convert(spec: OptionSpec, o: Occurrence): { value: OptionValue; valid: boolean } {
    const substituted = interpolate(o.value, (group, name) => this.#reference(spec, group, name));
    if (!substituted.ok) {
      this.issues.push(
        located(o, substituted.message, 'write $$ (or \\$) for a literal dollar sign'),
      );
      return { value: spec.type === 'multistr' ? null : spec.default, valid: false };
    }
    const converted = convertOsloValue(spec, substituted.value);
    if (!converted.ok) {
      this.issues.push(located(o, converted.message, converted.hint));
      return { value: spec.type === 'multistr' ? null : spec.default, valid: false };
    }
    if (spec.type === 'multistr') return { value: converted.value, valid: true };
    return this.#validate(spec, converted.value, o)
      ? { value: converted.value, valid: true }
      : { value: spec.default, valid: false };
  }

  /** The zod schema of the option, if any. */
  #validate(spec: OptionSpec, value: OptionValue, o: Occurrence | undefined): boolean {
    if (spec.schema === undefined) return true;
    const result = spec.schema.safeParse(value);
    if (result.success) return true;
    const why = result.error.issues.map((i) => i.message).join('; ');
    const message = `Value for option ${spec.name} is not valid: ${why}`;
    const hint = `the default is ${formatPythonValue(spec.type, spec.default)}`;
    this.issues.push(o === undefined ? { message, hint } : located(o, message, hint));
    return false;
  }

  #reference(from: OptionSpec, group: string | undefined, name: string): ReferenceValue {
    const target =
      group !== undefined
        ? this.spec(group, name)
        : (this.spec(from.group, name) ?? this.spec('DEFAULT', name));
    const shown = group !== undefined ? `${group}.${name}` : name;
    if (target === undefined) {
      return { ok: false, message: `interpolation of $${shown}: no such option` };
    }
    const key = optionKey(target.group, target.name);
    if (this.#resolving.has(key)) {
      return { ok: false, message: `interpolation of $${shown} refers back to itself` };
    }
    const resolved = this.resolve(target);
    return { ok: true, text: formatPythonValue(target.type, resolved.value) };
  }
}
