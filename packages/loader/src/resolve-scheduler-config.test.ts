import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClassNotFoundError, ConfigError, formatConfigIssue } from '@opie/core';
import type { ConfigIssue } from '@opie/core';
import { describe, expect, it } from 'vitest';
import {
  COUNT_WEIGHER,
  DURATION_WEIGHER,
  IO_OPS_WEIGHER,
  RAM_WEIGHER,
  fakeFilter,
  fakeRegistry,
  fakeWeigher,
} from './__fixtures__/fake-plugins.js';
import { LIBERTY_DEFAULT_FILTERS } from './options.js';
import { resolveSchedulerConfig } from './resolve-scheduler-config.js';
import type { ConfigFile, SchedulerConfig } from './scheduler-config.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
function example(name: string): ConfigFile {
  return { path: `examples/${name}`, text: readFileSync(`${examples}${name}`, 'utf8') };
}

function resolve(...texts: string[]): SchedulerConfig {
  return resolveSchedulerConfig({
    files: texts.map((text, i) => ({ path: `nova${i || ''}.conf`, text })),
    registry: fakeRegistry(),
  });
}

function issuesOf(...texts: string[]): ConfigIssue[] {
  try {
    resolve(...texts);
  } catch (error) {
    if (ConfigError.isInstance(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const option = (config: SchedulerConfig, group: string, name: string) =>
  config.options.find((o) => o.group === group && o.name === name);

describe('resolveSchedulerConfig with fake plugins', () => {
  it('gives Liberty defaults for an empty file: Liberty filter list, all_weighers', () => {
    const config = resolve('');
    expect(config.driver).toMatchObject({
      name: 'filter_scheduler',
      classPath: 'nova.scheduler.filter_scheduler.FilterScheduler',
      source: { kind: 'default' },
    });
    expect(config.hostManager.classPath).toBe('nova.scheduler.host_manager.HostManager');
    expect(config.filters.map((f) => f.name)).toEqual(LIBERTY_DEFAULT_FILTERS);
    expect(config.weighers.map((w) => [w.classPath, w.listedAs])).toEqual([
      [IO_OPS_WEIGHER, 'nova.scheduler.weights.all_weighers'],
      [RAM_WEIGHER, 'nova.scheduler.weights.all_weighers'],
    ]);
    expect(config.availableFilters.size).toBe(11);
    expect(config.warnings).toEqual([]);
    expect(config.values.int('filter_scheduler', 'host_subset_size')).toBe(1);
  });

  it('reads the opie documentation config (examples/opie-docs.conf)', () => {
    const config = resolveSchedulerConfig({
      files: [example('opie-docs.conf')],
      registry: fakeRegistry(),
    });
    expect(config.driver.classPath).toBe('opie.scheduler.filter_scheduler.FilterScheduler');
    expect(config.driver.source).toMatchObject({
      kind: 'file',
      file: 'examples/opie-docs.conf',
      name: 'scheduler_driver',
      deprecated: true,
    });
    expect(config.hostManager.classPath).toBe('opie.scheduler.host_manager.HostManager');
    expect(config.weighers.map((w) => w.classPath)).toEqual([
      IO_OPS_WEIGHER,
      RAM_WEIGHER,
      DURATION_WEIGHER,
      COUNT_WEIGHER,
    ]);
    expect(config.weighers.map((w) => w.multiplier?.value)).toEqual([-1, 1, 1000, 1000]);
    expect(config.values.float('DEFAULT', 'preemptible_count_weight_multiplier')).toBe(1000);
    // Liberty's [DEFAULT] names are the right ones for Liberty: nothing to warn.
    expect(config.novaVersion).toBe('liberty');
    expect(config.warnings).toEqual([]);
  });

  it('warns the same Liberty names as deprecated under [opie] nova_version = zed', () => {
    const config = resolveSchedulerConfig({
      files: [
        example('opie-docs.conf'),
        { path: 'zed.conf', text: '[opie]\nnova_version = zed\n' },
      ],
      registry: fakeRegistry(),
    });
    expect(config.novaVersion).toBe('zed');
    expect(config.driver.classPath).toBe('opie.scheduler.filter_scheduler.FilterScheduler');
    expect(config.warnings.filter((w) => w.message.includes('no longer reads'))).toEqual([
      expect.objectContaining({
        key: 'scheduler_driver',
        message:
          '[DEFAULT] scheduler_driver is a Liberty name that nova Zed no longer reads (removed in Xena); opie reads it as [scheduler] driver: rename it',
      }),
      expect.objectContaining({
        key: 'scheduler_host_manager',
        message:
          '[DEFAULT] scheduler_host_manager is a Liberty name that nova Zed no longer reads (removed in Xena); opie reads it as [scheduler] host_manager: rename it',
      }),
      expect.objectContaining({
        key: 'scheduler_weight_classes',
        message:
          '[DEFAULT] scheduler_weight_classes is a Liberty name that nova Zed no longer reads (removed in Xena); opie reads it as [filter_scheduler] weight_classes: rename it',
      }),
    ]);
  });

  it('reads a Zed-style config ([scheduler] driver, [filter_scheduler] enabled_filters)', () => {
    const config = resolveSchedulerConfig({
      files: [example('zed.conf')],
      registry: fakeRegistry(),
    });
    expect(config.driver.classPath).toBe('nova.scheduler.filter_scheduler.FilterScheduler');
    expect(config.filters.map((f) => f.name)).toEqual([
      'ComputeFilter',
      'ComputeCapabilitiesFilter',
      'ImagePropertiesFilter',
      'ServerGroupAntiAffinityFilter',
      'ServerGroupAffinityFilter',
    ]);
    expect(config.weighers.map((w) => w.classPath)).toEqual([
      IO_OPS_WEIGHER,
      RAM_WEIGHER,
      COUNT_WEIGHER,
      DURATION_WEIGHER,
    ]);
    expect(config.values.float('DEFAULT', 'cpu_allocation_ratio')).toBe(4);
    // Options nobody here reads are counted, not warned one by one: the file sets
    // transport_url, my_ip, state_path, log_dir ([DEFAULT]), connection ([api_database]) and,
    // the fake registry having no MetricsWeigher, weight_multiplier and required ([metrics]).
    expect(config.warnings).toContainEqual({
      file: 'examples/zed.conf',
      message:
        "7 options the scheduler does not read ignored (other services' options): [DEFAULT] 4, [metrics] 2, [api_database] 1",
      hint: 'opie reads only the scheduler options; `opie config show` lists them with their sources',
    });
    expect(config.warnings.every((w) => !w.message.includes('deprecated'))).toBe(true);
    // It names no nova_version: one notice that Liberty's rules are in force, at [scheduler].
    const notices = config.warnings.filter((w) => w.message.includes('[opie] nova_version'));
    expect(notices).toEqual([
      expect.objectContaining({ file: 'examples/zed.conf', line: 17, section: 'scheduler' }),
    ]);
  });

  it('gives the same scheduler for examples/liberty-defaults.conf as for an empty file', () => {
    const explicit = resolveSchedulerConfig({
      files: [example('liberty-defaults.conf')],
      registry: fakeRegistry(),
    });
    const empty = resolve('');
    expect(explicit.driver.classPath).toBe(empty.driver.classPath);
    expect(explicit.hostManager.classPath).toBe(empty.hostManager.classPath);
    expect(explicit.filters.map((f) => f.classPath)).toEqual(empty.filters.map((f) => f.classPath));
    expect(explicit.weighers.map((w) => w.classPath)).toEqual(
      empty.weighers.map((w) => w.classPath),
    );
    const differing = explicit.options
      .filter(
        (o) => JSON.stringify(o.value) !== JSON.stringify(option(empty, o.group, o.name)?.value),
      )
      .map((o) => o.name);
    expect(differing).toEqual(['driver', 'host_manager']);
  });

  it('lets the newer name win over the older one, with a warning', () => {
    const config = resolve(
      '[DEFAULT]\nscheduler_default_filters = RamFilter\n[filter_scheduler]\nenabled_filters = CoreFilter\n[opie]\nnova_version = liberty\n',
    );
    expect(config.filters.map((f) => f.name)).toEqual(['CoreFilter']);
    expect(config.warnings).toEqual([
      expect.objectContaining({
        line: 2,
        message:
          '[DEFAULT] scheduler_default_filters is ignored: [filter_scheduler] enabled_filters (nova.conf:4) is also set and wins',
      }),
    ]);
  });

  it('accepts short names and class paths for driver and host manager', () => {
    const config = resolve(
      '[scheduler]\ndriver = filter_scheduler\nhost_manager = opie_host_manager\n',
    );
    expect(config.driver.name).toBe('filter_scheduler');
    expect(config.hostManager.classPath).toBe('opie.scheduler.host_manager.HostManager');
  });

  it('runs a filter listed twice twice, and never de-duplicates weighers', () => {
    const config = resolve(
      `[DEFAULT]\nscheduler_default_filters = RamFilter, RamFilter\nscheduler_weight_classes = nova.scheduler.weights.all_weighers, ${RAM_WEIGHER}\n`,
    );
    expect(config.filters.map((f) => f.name)).toEqual(['RamFilter', 'RamFilter']);
    expect(config.weighers.map((w) => w.classPath)).toEqual([
      IO_OPS_WEIGHER,
      RAM_WEIGHER,
      RAM_WEIGHER,
    ]);
  });

  it('lists the options of the loader and of the selected plugins, DEFAULT first, with owners', () => {
    const config = resolve('[DEFAULT]\nram_weight_multiplier = 2.5\n');
    expect(config.options[0]?.group).toBe('DEFAULT');
    const ram = option(config, 'filter_scheduler', 'ram_weight_multiplier');
    expect(ram).toMatchObject({
      value: 2.5,
      owners: [RAM_WEIGHER],
      source: { kind: 'file', line: 2, deprecated: true },
    });
    expect(option(config, 'scheduler', 'driver')?.owners).toEqual(['loader']);
    expect(option(config, 'DEFAULT', 'preemptible_count_weight_multiplier')).toBeUndefined();
    expect(() => config.values.get('DEFAULT', 'preemptible_count_weight_multiplier')).toThrow(
      /is not declared by the loader or a selected plugin/,
    );
  });

  it('reports an unknown class with suggestions at the option line', () => {
    const issues = issuesOf(
      '[DEFAULT]\nscheduler_weight_classes = opie.scheduler.weights.preemptible.PreemptibleCuontWeigher\n',
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'nova.conf',
      line: 2,
      key: 'scheduler_weight_classes',
    });
    expect(issues[0]?.message).toMatch(
      /Did you mean: opie\.scheduler\.weights\.preemptible\.PreemptibleCountWeigher/,
    );
  });

  it('lists the known drivers when an unknown driver has no near name', () => {
    const [issue] = issuesOf('[scheduler]\ndriver = chance\n');
    expect(issue?.message).toBe(
      'Class chance could not be found: no scheduler driver is registered under this name.',
    );
    expect(issue?.hint).toMatch(
      /^known names: nova\.scheduler\.filter_scheduler\.FilterScheduler, filter_scheduler/,
    );
  });

  it('reports unknown filter names together, like SchedulerHostFilterNotFound', () => {
    const [issue, ...rest] = issuesOf(
      '[DEFAULT]\nscheduler_default_filters = RamFiltr, CoreFilter, NoSuchThingAtAll, nova.scheduler.filters.ram_filter.RamFilter\n',
    );
    expect(rest).toEqual([]);
    expect(issue?.message).toBe(
      'Scheduler Host Filter RamFiltr, NoSuchThingAtAll, nova.scheduler.filters.ram_filter.RamFilter could not be found.',
    );
    expect(issue?.hint).toBe(
      'RamFiltr: did you mean RamFilter?; nova.scheduler.filters.ram_filter.RamFilter is a class path; enabled_filters takes class names such as RamFilter',
    );
  });

  it('says when a filter exists but is not available', () => {
    const [issue] = issuesOf(
      '[DEFAULT]\nscheduler_available_filters = nova.scheduler.filters.ram_filter.RamFilter\nscheduler_default_filters = CoreFilter\n',
    );
    expect(issue?.hint).toBe(
      'CoreFilter exists but is not among [filter_scheduler] available_filters',
    );
  });

  it('reports an unknown available filter at its own line', () => {
    const issues = issuesOf(
      '[DEFAULT]\nscheduler_available_filters = nova.scheduler.filters.all_filters\nscheduler_available_filters = acme.NoFilter\n',
    );
    expect(issues[0]).toMatchObject({ line: 3, key: 'scheduler_available_filters' });
    expect(ClassNotFoundError).toBeDefined();
    expect(issues[0]?.message).toMatch(/^Class acme\.NoFilter could not be found/);
  });

  it('reports a multiplier of abc with its file:line and a hint', () => {
    const issues = issuesOf('[DEFAULT]\n# the weigher\nram_weight_multiplier = abc\n');
    expect(issues).toEqual([
      {
        file: 'nova.conf',
        line: 3,
        section: 'DEFAULT',
        key: 'ram_weight_multiplier',
        message:
          "Value for option ram_weight_multiplier is not valid: could not convert string to float: 'abc'",
        hint: 'give a number, e.g. 1.0',
      },
    ]);
  });

  it('reports a negative subset size (the driver option schema)', () => {
    const [issue] = issuesOf('[filter_scheduler]\nhost_subset_size = -1\n');
    expect(issue).toMatchObject({
      file: 'nova.conf',
      line: 2,
      key: 'host_subset_size',
      hint: 'the default is 1',
    });
  });

  it("explains the docs' (...) in a weigher list", () => {
    const issues = issuesOf(`[DEFAULT]\nscheduler_weight_classes = (...), ${COUNT_WEIGHER}\n`);
    expect(issues).toEqual([
      {
        file: 'nova.conf',
        line: 2,
        section: 'DEFAULT',
        key: 'scheduler_weight_classes',
        message: '(...) is not a class path',
        hint: "the docs' (...) stands for the weighers you already use, e.g. nova.scheduler.weights.all_weighers",
      },
    ]);
  });

  it('explains (...) in a filter list too', () => {
    const [issue] = issuesOf('[filter_scheduler]\nenabled_filters = (...), RamFilter\n');
    expect(issue?.message).toBe('(...) is not a class name');
    expect(issue?.hint).toMatch(/stands for the filters you already use/);
  });

  it('ignores empty list entries with a warning (Liberty would fail)', () => {
    const config = resolve(
      `[filter_scheduler]\nenabled_filters = RamFilter,\nweight_classes = ${RAM_WEIGHER},,\n[opie]\nnova_version = liberty\n`,
    );
    expect(config.filters.map((f) => f.name)).toEqual(['RamFilter']);
    expect(config.weighers.map((w) => w.classPath)).toEqual([RAM_WEIGHER]);
    expect(config.warnings.map((w) => [w.line, w.message])).toEqual([
      [
        2,
        '1 empty entry in [filter_scheduler] enabled_filters ignored (a trailing or doubled comma)',
      ],
      [
        3,
        '2 empty entries in [filter_scheduler] weight_classes ignored (a trailing or doubled comma)',
      ],
    ]);
    expect(config.warnings[0]?.hint).toMatch(/Liberty would refuse to start/);
  });

  it('reports unsupported plugins that are listed, not those merely available', () => {
    expect(resolve('').filters).toHaveLength(9);
    const [issue] = issuesOf('[filter_scheduler]\nenabled_filters = TrustedFilter\n');
    expect(issue?.message).toBe('TrustedFilter is not supported: it needs an attestation service');
    const registry = fakeRegistry()
      .register(fakeWeigher('acme.Weird', undefined, { unsupported: 'no model' }))
      .register({ ...fakeFilter('acme.D'), kind: 'filter' });
    expect(() =>
      resolveSchedulerConfig({
        files: [
          { path: 'n.conf', text: '[filter_scheduler]\nweight_classes = acme.Weird, acme.Weird\n' },
        ],
        registry,
      }),
    ).toThrow(/1 problem\):\n.*acme\.Weird is not supported: no model/);
  });

  it('reports a driver of the wrong kind', () => {
    const [issue] = issuesOf('[scheduler]\ndriver = host_manager\n');
    expect(issue?.message).toMatch(/it is a host manager, not a scheduler driver/);
  });

  it('reports several problems together in one ConfigError, in file order', () => {
    let error: unknown;
    try {
      resolve(
        '[DEFAULT]\nscheduler_host_manager = nova.scheduler.NoManager\nram_weight_multiplier = abc\n\n  orphan?\n',
        '[filter_scheduler]\nhost_subset_size = 0\nenabled_filters = RamFilter, Nope\n',
      );
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    const e = error as ConfigError;
    expect(e.issues.map((i) => `${i.file}:${i.line}`)).toEqual([
      'nova.conf:2',
      'nova.conf:3',
      'nova.conf:5',
      'nova1.conf:2',
      'nova1.conf:3',
    ]);
    expect(e.message).toMatch(
      /^Invalid configuration \(5 problems\):\n {2}- nova\.conf:2 \[DEFAULT\] scheduler_host_manager: Class/,
    );
    expect(formatConfigIssue(e.issues[1]!)).toMatch(
      /^nova\.conf:3 \[DEFAULT\] ram_weight_multiplier: /,
    );
  });

  it('reports parse errors with the other problems', () => {
    const issues = issuesOf('driver = x\n[scheduler]\ndriver = nope\n');
    expect(issues.map((i) => i.line)).toEqual([1, 3]);
  });
});

describe('multipliers must be finite', () => {
  it.each(['nan', 'inf', '-inf'])('ram_weight_multiplier = %s is an error at its line', (value) => {
    const text = `[filter_scheduler]\nweight_classes = nova.scheduler.weights.ram.RAMWeigher\nram_weight_multiplier = ${value}\n`;
    const issues = issuesOf(text);
    const issue = issues.find((i) => i.key === 'ram_weight_multiplier');
    expect(issue?.line).toBe(3);
    expect(issue?.message).toContain(
      'is not a usable multiplier for nova.scheduler.weights.ram.RAMWeigher',
    );
    expect(issue?.hint).toContain('finite number');
  });
});
