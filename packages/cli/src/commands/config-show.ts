import { ConfigError, formatConfigIssue } from '@opie/core';
import type { ConfigIssue, OptionSource, OptionType, OptionValue } from '@opie/core';
import { formatPythonFloat, loadSchedulerConfig, toNovaConf, versionDefault } from '@opie/loader';
import type {
  EffectiveOption,
  NovaVersion,
  SchedulerConfig,
  SelectedVictimWeigher,
  SelectedWeigher,
} from '@opie/loader';
import { EXIT_FAILURE, EXIT_OK } from '../io.js';
import type { CliIo } from '../io.js';
import { parseCommandArgs, UsageError } from './parse-command-args.js';

export const CONFIG_USAGE = `Usage: opie config show FILE... [--json | --ini]

Resolve nova.conf files as the scheduler would (later files win) and show the
nova version followed ([opie] nova_version), driver, host manager, filters,
weighers and victim weighers with multipliers, every option with its value and
source, and the warnings.

Options:
  --json      one JSON document instead of text
  --ini       the effective configuration as a nova.conf document
  -h, --help  show this help
`;

/**
 * A source as text: `default`, `file:line` or `file:line (deprecated name
 * [DEFAULT] x)`. Under `liberty`, a `[DEFAULT]` name is Liberty's own:
 * `file:line (Liberty name [DEFAULT] x)`.
 */
export function formatSource(source: OptionSource, version?: NovaVersion): string {
  if (source.kind === 'default') return 'default';
  const place = `${source.file}:${source.line}`;
  if (!source.deprecated) return place;
  const label = version === 'liberty' && source.section === 'DEFAULT' ? 'Liberty' : 'deprecated';
  return `${place} (${label} name [${source.section}] ${source.name})`;
}

/** Where `[opie] nova_version` came from (default when no file sets it). */
function novaVersionSource(config: SchedulerConfig): OptionSource {
  return (
    config.options.find((o) => o.group === 'opie' && o.name === 'nova_version')?.source ?? {
      kind: 'default',
    }
  );
}

/** A value as text, in nova.conf spelling. */
export function formatValue(type: OptionType, value: OptionValue): string {
  if (value === null) return '(unset)';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return type === 'float' ? formatPythonFloat(value) : String(value);
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : value.join(', ');
  return value === '' ? "''" : value;
}

/**
 * Rows as aligned columns. A column's width is capped at `cap` characters: a
 * longer cell overflows and only its row shifts.
 */
function table(rows: readonly string[][], indent = '  ', cap = 48): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.min(cap, Math.max(widths[i] ?? 0, cell.length));
    });
  }
  return rows
    .map((row) => {
      const cells = row.map((cell, i) =>
        i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0),
      );
      return `${indent}${cells.join('  ')}`.trimEnd();
    })
    .join('\n');
}

function weigherRow(version: NovaVersion) {
  return (w: SelectedWeigher | SelectedVictimWeigher, i: number): string[] => {
    const m = w.multiplier;
    if (m === null) return [`${i + 1}.`, w.classPath, 'x 1.0', '(no multiplier option)', ''];
    return [
      `${i + 1}.`,
      w.classPath,
      `x ${formatValue(m.spec.type, m.value)}`,
      `[${m.group}] ${m.name}`,
      formatSource(m.source, version),
    ];
  };
}

function formatWarnings(warnings: readonly ConfigIssue[]): string {
  if (warnings.length === 0) return 'Warnings: none\n';
  const lines = warnings.map((w) => `  - ${formatConfigIssue(w).replace(/\n/g, '\n  ')}`);
  return `Warnings (${warnings.length}):\n${lines.join('\n')}\n`;
}

/** The human-readable report. */
export function formatConfigText(config: SchedulerConfig): string {
  const out: string[] = [];
  const v = config.novaVersion;
  out.push(`Files: ${config.files.join(', ')}`, '');
  out.push(
    table(
      [
        ['Nova version:', v, formatSource(novaVersionSource(config), v)],
        ['Driver:', config.driver.classPath, formatSource(config.driver.source, v)],
        ['Host manager:', config.hostManager.classPath, formatSource(config.hostManager.source, v)],
      ],
      '',
    ),
    '',
  );
  out.push('Filters, in order:');
  out.push(
    config.filters.length === 0
      ? '  (none: every host passes)'
      : table(config.filters.map((f, i) => [`${i + 1}.`, f.name, f.classPath])),
    '',
  );
  out.push('Weighers:');
  out.push(
    config.weighers.length === 0
      ? '  (none: hosts keep their order)'
      : table(config.weighers.map(weigherRow(v)), '  ', 64),
    '',
  );
  if (config.driver.plugin.usesVictimWeighers === true) {
    out.push('Victim weighers ([preemptible_instances_scheduler] weight_classes):');
    out.push(
      config.victimWeighers.length === 0
        ? '  (none: every victim costs 0, the first sufficient set wins)'
        : table(config.victimWeighers.map(weigherRow(v)), '  ', 64),
      '',
    );
  }
  out.push('Options:');
  out.push(
    table([
      ['SECTION', 'NAME', 'VALUE', 'SOURCE'],
      ...config.options.map((o) => [
        o.group,
        o.name,
        formatValue(o.spec.type, o.value),
        formatSource(o.source, v),
      ]),
    ]),
    '',
  );
  return `${out.join('\n')}\n${formatWarnings(config.warnings)}`;
}

/** JSON has no inf or nan: they are written as the strings nova.conf uses. */
function jsonValue(value: OptionValue): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return formatPythonFloat(value);
  return value;
}

function jsonOption(o: EffectiveOption, version: NovaVersion): Record<string, unknown> {
  return {
    section: o.group,
    name: o.name,
    type: o.spec.type,
    value: jsonValue(o.value),
    default: jsonValue(versionDefault(version)(o.spec)),
    source: o.source,
    owners: o.owners,
  };
}

function jsonWeigher(w: SelectedWeigher | SelectedVictimWeigher): Record<string, unknown> {
  return {
    classPath: w.classPath,
    listedAs: w.listedAs,
    multiplier:
      w.multiplier === null
        ? null
        : {
            section: w.multiplier.group,
            name: w.multiplier.name,
            value: jsonValue(w.multiplier.value),
            source: w.multiplier.source,
          },
  };
}

/** The `--json` document (its shape is documented in the package README). */
export function configJson(config: SchedulerConfig): Record<string, unknown> {
  return {
    files: config.files,
    novaVersion: config.novaVersion,
    driver: {
      name: config.driver.name,
      classPath: config.driver.classPath,
      source: config.driver.source,
    },
    hostManager: {
      name: config.hostManager.name,
      classPath: config.hostManager.classPath,
      source: config.hostManager.source,
    },
    filters: config.filters.map((f) => ({ name: f.name, classPath: f.classPath })),
    weighers: config.weighers.map(jsonWeigher),
    victimWeighers: config.victimWeighers.map(jsonWeigher),
    options: config.options.map((o) => jsonOption(o, config.novaVersion)),
    warnings: config.warnings,
  };
}

/** `opie config show FILE... [--json | --ini]`. */
export async function configShow(args: readonly string[], io: CliIo): Promise<number> {
  const outcome = parseCommandArgs(
    args,
    io,
    {
      command: 'config show',
      usage: CONFIG_USAGE,
      config: {
        options: { json: { type: 'boolean' }, ini: { type: 'boolean' } },
        allowPositionals: true,
      },
    },
    ({ values, positionals }) => {
      if (positionals.length === 0) throw new UsageError('name at least one nova.conf file');
      if (values.json === true && values.ini === true) {
        throw new UsageError('--json and --ini exclude each other');
      }
      return { paths: positionals, json: values.json === true, ini: values.ini === true };
    },
  );
  if (!outcome.ok) return outcome.exit;
  const { paths, json, ini } = outcome.args;
  let config: SchedulerConfig;
  try {
    config = await loadSchedulerConfig({ paths, cwd: io.cwd });
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT_FAILURE;
  }
  if (json) {
    io.stdout.write(`${JSON.stringify(configJson(config), null, 2)}\n`);
  } else if (ini) {
    io.stdout.write(toNovaConf(config.options));
  } else {
    io.stdout.write(formatConfigText(config));
  }
  return EXIT_OK;
}
