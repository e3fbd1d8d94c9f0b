import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@opie/core';
import type { ConfigIssue } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from './builtin-registry.js';
import { ZED_DEFAULT_FILTERS } from './nova-version.js';
import type { NovaVersion } from './nova-version.js';
import { LIBERTY_DEFAULT_FILTERS } from './options.js';
import { resolveSchedulerConfig } from './resolve-scheduler-config.js';
import type { SchedulerConfig } from './scheduler-config.js';

/**
 * The 32 real nova.conf files of the shared data folder (read in place, never
 * copied), each checked against what the folder's README says nova does with
 * it. `OPIE_NOVA_CONF_DIR` points elsewhere.
 */
const dir =
  process.env['OPIE_NOVA_CONF_DIR'] ??
  fileURLToPath(new URL('../../../../shared/data/nova-conf/', import.meta.url));

if (!existsSync(dir)) {
  throw new Error(
    `nova-conf-samples.test.ts: no sample folder at ${dir}; set OPIE_NOVA_CONF_DIR to the shared data/nova-conf folder`,
  );
}

const readme = readFileSync(`${dir}/README.md`, 'utf8');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.conf'))
  .sort();

/** The two-digit file numbers of the README bullet containing `phrase`. */
function numbersOf(phrase: string): string[] {
  const bullet = readme.split(/\n- /).find((b) => b.includes(phrase));
  if (bullet === undefined) throw new Error(`README has no bullet saying "${phrase}"`);
  return [...bullet.matchAll(/\b(\d{2})\b/g)].map((m) => m[1] ?? '');
}

const failing = new Set(numbersOf('fail to load in nova too'));
const numaPci = new Set(numbersOf('NUMATopologyFilter'));

/**
 * What a file sets, by a plain line scan independent of the loader's parser:
 * the last `key = value` per section and key (sections lower-cased except
 * DEFAULT), with indented continuation lines joined, comments skipped.
 */
function scan(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  let section = '';
  let last: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (/^[ \t]/.test(line) && line.trim() !== '' && last !== undefined) {
      const entry = out.get(last);
      if (entry !== undefined) entry.value += `\n${line.trim()}`;
      return;
    }
    last = undefined;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      section = header[1] === 'DEFAULT' ? 'DEFAULT' : header[1].toLowerCase();
      return;
    }
    const kv = /^([^#;\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (kv?.[1] === undefined || kv[2] === undefined) return;
    last = `${section}.${kv[1]}`;
    out.set(last, { value: kv[2], line: i + 1 });
  });
  return out;
}

/** The newer name's value, else Liberty's, else undefined. */
function pick(set: Map<string, { value: string; line: number }>, newer: string, older: string) {
  return set.get(newer) ?? set.get(older);
}

const splitList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function load(name: string, version?: NovaVersion): SchedulerConfig | ConfigIssue[] {
  const files = [{ path: name, text: readFileSync(`${dir}/${name}`, 'utf8') }];
  if (version !== undefined) {
    files.push({ path: 'version.conf', text: `[opie]\nnova_version = ${version}\n` });
  }
  try {
    return resolveSchedulerConfig({ files, registry: createBuiltinRegistry() });
  } catch (error) {
    if (ConfigError.isInstance(error)) return [...error.issues];
    throw error;
  }
}

describe('the shared real nova.conf files', () => {
  it('are the 32 files the README describes, with the classes nova cannot load named', () => {
    expect(names).toHaveLength(32);
    expect([...failing].sort()).toEqual(['04', '07', '11', '32']);
    expect([...numaPci]).toEqual(['30']);
  });

  describe.each(names)('%s', (name) => {
    const number = name.slice(0, 2);
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    const set = scan(text);

    if (failing.has(number)) {
      it('fails to load, as in nova: one error naming the out-of-tree class', () => {
        const result = load(name);
        expect(Array.isArray(result)).toBe(true);
        const issues = result as ConfigIssue[];
        // The classes the file names for the driver and the available filters.
        const named = [
          pick(set, 'scheduler.driver', 'DEFAULT.scheduler_driver')?.value,
          pick(set, 'filter_scheduler.available_filters', 'DEFAULT.scheduler_available_filters')
            ?.value,
        ].filter((v): v is string => v !== undefined);
        const registry = createBuiltinRegistry();
        const unknown = named.flatMap(splitList).filter((c) => !registry.has(c));
        expect(unknown).toHaveLength(1);
        expect(issues).toHaveLength(1);
        expect(issues[0]?.file).toBe(name);
        expect(issues[0]?.message).toBe(
          `Class ${unknown[0] ?? ''} could not be found: no ${unknown[0]?.includes('filter') === true ? 'host filter' : 'scheduler driver'} is registered under this name.`,
        );
      });
      return;
    }

    for (const version of [undefined, 'zed'] as const) {
      const mode = version ?? 'liberty (default)';
      it(`loads under ${mode} with the driver, filter list and multipliers it sets`, () => {
        const result = load(name, version);
        if (Array.isArray(result)) throw new Error(JSON.stringify(result, null, 2));
        const config = result;
        expect(config.novaVersion).toBe(version ?? 'liberty');

        const driver = pick(set, 'scheduler.driver', 'DEFAULT.scheduler_driver');
        expect(config.driver.name).toBe(driver?.value.trim() ?? 'filter_scheduler');

        const filters = pick(
          set,
          'filter_scheduler.enabled_filters',
          'DEFAULT.scheduler_default_filters',
        );
        const defaults = version === 'zed' ? ZED_DEFAULT_FILTERS : LIBERTY_DEFAULT_FILTERS;
        expect(config.filters.map((f) => f.name)).toEqual(
          filters === undefined ? defaults : splitList(filters.value),
        );
        if (numaPci.has(number)) {
          expect(config.filters.map((f) => f.name)).toEqual(
            expect.arrayContaining(['NUMATopologyFilter', 'PciPassthroughFilter']),
          );
        }

        // Each *weight_multiplier the file sets: the weigher uses it, or a warning at its line says why not.
        for (const [key, { value, line }] of set) {
          const [section, option] = [
            key.slice(0, key.indexOf('.')),
            key.slice(key.indexOf('.') + 1),
          ];
          if (!option.endsWith('weight_multiplier')) continue;
          if (!['DEFAULT', 'filter_scheduler', 'metrics'].includes(section)) continue;
          const used = [...config.weighers, ...config.victimWeighers].filter(
            (w) =>
              w.multiplier?.source.kind === 'file' &&
              w.multiplier.source.line === line &&
              w.multiplier.source.file === name,
          );
          if (used.length > 0) {
            for (const w of used) expect(w.multiplier?.value).toBe(Number.parseFloat(value));
          } else {
            expect(config.warnings).toContainEqual(
              expect.objectContaining({ file: name, line, key: option }),
            );
          }
        }

        // Few warnings: the other services' options are one summary line (measured: at most 3
        // under liberty, 4 under zed, besides the Liberty [DEFAULT] names nova Zed no longer reads).
        const notices = config.warnings.filter(
          (w) => !w.message.includes('nova Zed no longer reads'),
        );
        expect(notices.length).toBeLessThanOrEqual(version === 'zed' ? 4 : 3);
        const unknown = config.warnings.filter((w) => w.message.startsWith('unknown option'));
        for (const w of unknown) {
          expect(['DEFAULT', 'filter_scheduler', 'scheduler', 'metrics']).toContain(
            w.section === 'DEFAULT' ? 'DEFAULT' : w.section?.toLowerCase(),
          );
        }
      });
    }
  });
});
