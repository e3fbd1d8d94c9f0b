import { ConfigError } from '@opie/core';
import type { ConfigIssue } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from './builtin-registry.js';
import { driverPlugins, filterPlugins } from '@opie/filter-scheduler';
import { hostManagerPlugins } from '@opie/host-manager';
import { weigherPlugins } from '@opie/weighers';
import { ZED_ALL_WEIGHERS, ZED_DEFAULT_FILTERS, ZED_ONLY_WEIGHERS } from './nova-version.js';
import { PluginRegistry } from './registry.js';
import { LIBERTY_DEFAULT_FILTERS } from './options.js';
import { resolveSchedulerConfig } from './resolve-scheduler-config.js';
import type { SchedulerConfig } from './scheduler-config.js';

const ZED = '[opie]\nnova_version = zed\n';
const LIBERTY = '[opie]\nnova_version = liberty\n';

/** Resolves `texts` as nova.conf, nova1.conf, ... with the builtin plugins. */
function resolve(...texts: string[]): SchedulerConfig {
  return resolveSchedulerConfig({
    files: texts.map((text, i) => ({ path: `nova${i || ''}.conf`, text })),
    registry: createBuiltinRegistry(),
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

const messages = (config: SchedulerConfig) => config.warnings.map((w) => w.message);

describe('[opie] nova_version', () => {
  it('defaults to liberty: Liberty filters and all_weighers, nothing changes', () => {
    const config = resolve('');
    expect(config.novaVersion).toBe('liberty');
    expect(config.filters.map((f) => f.name)).toEqual(LIBERTY_DEFAULT_FILTERS);
    // Liberty's all_weighers is IoOps, Metrics and RAM (@see nova/scheduler/weights of Liberty).
    expect(config.weighers.map((w) => w.classPath)).toEqual([
      'nova.scheduler.weights.io_ops.IoOpsWeigher',
      'nova.scheduler.weights.metrics.MetricsWeigher',
      'nova.scheduler.weights.ram.RAMWeigher',
    ]);
    expect(config.warnings).toEqual([]);
    const option = config.options.find((o) => o.group === 'opie' && o.name === 'nova_version');
    expect(option).toMatchObject({ value: 'liberty', source: { kind: 'default' } });
  });

  it('rejects another value, naming the option, its line and the choices', () => {
    expect(issuesOf('[opie]\nnova_version = yoga\n')).toEqual([
      {
        file: 'nova.conf',
        line: 2,
        section: 'opie',
        key: 'nova_version',
        message:
          "Value for option nova_version is not valid: Valid values are [liberty, zed], but found 'yoga'",
        hint: 'use one of liberty, zed',
      },
    ]);
  });

  it("zed: Zed's default filters, and all_weighers is Zed's ten weighers, in its module order", () => {
    const config = resolve(ZED);
    expect(config.novaVersion).toBe('zed');
    expect(config.filters.map((f) => f.name)).toEqual(ZED_DEFAULT_FILTERS);
    const enabled = config.options.find((o) => o.name === 'enabled_filters');
    expect(enabled).toMatchObject({ value: ZED_DEFAULT_FILTERS, source: { kind: 'default' } });
    expect(config.weighers.map((w) => w.classPath)).toEqual(ZED_ALL_WEIGHERS);
    expect(config.warnings).toEqual([]);
    // The Zed-only weighers' multipliers are read from [filter_scheduler] with Zed's defaults.
    expect(config.values.float('filter_scheduler', 'build_failure_weight_multiplier')).toBe(1e6);
    expect(config.values.float('filter_scheduler', 'soft_affinity_weight_multiplier')).toBe(1);
  });

  it('zed: a registry without the Zed-only weighers leaves them out of all_weighers with one warning', () => {
    const registry = new PluginRegistry()
      .registerAll(driverPlugins, '@opie/filter-scheduler')
      .registerAll(hostManagerPlugins, '@opie/host-manager')
      .registerAll(filterPlugins, '@opie/filter-scheduler')
      .registerAll(
        weigherPlugins.filter((p) => !ZED_ONLY_WEIGHERS.includes(p.classPath)),
        '@opie/weighers',
      );
    const config = resolveSchedulerConfig({ files: [{ path: 'nova.conf', text: ZED }], registry });
    expect(config.weighers.map((w) => w.classPath)).toEqual(
      ZED_ALL_WEIGHERS.filter((p) => !ZED_ONLY_WEIGHERS.includes(p)),
    );
    expect(config.warnings).toEqual([
      {
        section: 'filter_scheduler',
        key: 'weight_classes',
        message:
          "nova Zed's all_weighers includes ServerGroupSoftAffinityWeigher, ServerGroupSoftAntiAffinityWeigher, BuildFailureWeigher, CrossCellWeigher, PCIWeigher, not yet implemented in zed mode; hosts are weighed without them",
        hint: 'list the weighers you want by class path in [filter_scheduler] weight_classes to silence this',
      },
    ]);
  });

  it("liberty: Liberty's own [DEFAULT] names say nothing; zed: they are deprecated", () => {
    const text =
      '[DEFAULT]\nscheduler_default_filters = RamFilter\nscheduler_host_subset_size = 2\n';
    const liberty = resolve(text);
    expect(liberty.warnings).toEqual([]);
    expect(liberty.values.int('filter_scheduler', 'host_subset_size')).toBe(2);
    const zed = resolve(text, ZED);
    expect(zed.values.int('filter_scheduler', 'host_subset_size')).toBe(2);
    expect(messages(zed)).toContain(
      '[DEFAULT] scheduler_default_filters is a Liberty name that nova Zed no longer reads (removed in Xena); opie reads it as [filter_scheduler] enabled_filters: rename it',
    );
    expect(messages(zed)).toContain(
      '[DEFAULT] scheduler_host_subset_size is a Liberty name that nova Zed no longer reads (removed in Xena); opie reads it as [filter_scheduler] host_subset_size: rename it',
    );
  });

  it('zed: a filter nova Zed dropped stays usable, with one warning naming all of them', () => {
    const config = resolve(
      '[filter_scheduler]\nenabled_filters = RamFilter, ComputeFilter, DiskFilter, RamFilter\n',
      ZED,
    );
    expect(config.filters.map((f) => f.name)).toEqual([
      'RamFilter',
      'ComputeFilter',
      'DiskFilter',
      'RamFilter',
    ]);
    const dropped = config.warnings.filter((w) => w.message.includes('no longer has'));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ file: 'nova.conf', line: 2, key: 'enabled_filters' });
    expect(dropped[0]?.message).toMatch(/^RamFilter, DiskFilter are nova Liberty filters/);
    expect(dropped[0]?.message).toContain('RamFilter: placement checks RAM (MEMORY_MB)');
    // Under liberty they are Liberty's own filters: no warning.
    expect(
      resolve('[DEFAULT]\nscheduler_default_filters = RamFilter, DiskFilter\n').warnings,
    ).toEqual([]);
  });

  it('a Zed-only weigher named by class path: used under zed, an error naming the version under liberty', () => {
    for (const path of ZED_ONLY_WEIGHERS) {
      const text = `[DEFAULT]\nscheduler_weight_classes = nova.scheduler.weights.ram.RAMWeigher, ${path}\n`;
      expect(resolve(text, ZED).weighers.map((w) => w.classPath)).toEqual([
        'nova.scheduler.weights.ram.RAMWeigher',
        path,
      ]);
      expect(issuesOf(text)).toEqual([
        {
          file: 'nova.conf',
          line: 2,
          section: 'DEFAULT',
          key: 'scheduler_weight_classes',
          message: `${path} is a nova Zed weigher: nova Liberty (the version in force) has none of that name`,
          hint: 'set [opie] nova_version = zed to use it, or remove it from [filter_scheduler] weight_classes',
        },
      ]);
    }
  });

  it('a Zed option a filter reads only under zed warns under liberty and is read under zed', () => {
    const text =
      '[filter_scheduler]\nenabled_filters = ImagePropertiesFilter\nimage_properties_default_architecture = x86_64\n';
    const key = (w: ConfigIssue) => w.key === 'image_properties_default_architecture';
    expect(resolve(LIBERTY, text).warnings.filter(key)).toEqual([
      {
        file: 'nova1.conf',
        line: 3,
        section: 'filter_scheduler',
        key: 'image_properties_default_architecture',
        message:
          '[filter_scheduler] image_properties_default_architecture is an option of nova Zed, not of nova Liberty (the version in force); ignored',
        hint: 'opie reads it under [opie] nova_version = zed',
      },
    ]);
    const zed = resolve(ZED, text);
    expect(zed.warnings.filter(key)).toEqual([]);
    expect(zed.options.find((o) => o.name === 'image_properties_default_architecture')?.value).toBe(
      'x86_64',
    );
  });

  it('a Zed-only option is a warning naming nova Zed (liberty); under zed it is read', () => {
    const text = '[filter_scheduler]\nsoft_affinity_weight_multiplier = 2.0\n';
    const liberty = resolve(text, LIBERTY).warnings;
    expect(liberty).toEqual([
      {
        file: 'nova.conf',
        line: 2,
        section: 'filter_scheduler',
        key: 'soft_affinity_weight_multiplier',
        message:
          '[filter_scheduler] soft_affinity_weight_multiplier, the multiplier of ServerGroupSoftAffinityWeigher, is an option of nova Zed, not of nova Liberty (the version in force); ignored',
        hint: 'ServerGroupSoftAffinityWeigher is a nova Zed weigher: set [opie] nova_version = zed to use it',
      },
    ]);
    const zed = resolve(text, ZED);
    expect(zed.warnings).toEqual([]);
    expect(zed.values.float('filter_scheduler', 'soft_affinity_weight_multiplier')).toBe(2);
    // The Mitaka [DEFAULT] spelling: nova Zed no longer reads it.
    const old = '[DEFAULT]\nsoft_anti_affinity_weight_multiplier = 2.0\n';
    expect(resolve(old, ZED).warnings).toEqual([
      {
        file: 'nova.conf',
        line: 2,
        section: 'DEFAULT',
        key: 'soft_anti_affinity_weight_multiplier',
        message:
          '[DEFAULT] soft_anti_affinity_weight_multiplier, the multiplier of ServerGroupSoftAntiAffinityWeigher, is an old spelling that nova Zed no longer reads (it reads [filter_scheduler] soft_anti_affinity_weight_multiplier); ignored',
        hint: 'rename it to [filter_scheduler] soft_anti_affinity_weight_multiplier',
      },
    ]);
    expect(resolve(old, LIBERTY).warnings.map((w) => w.hint)).toEqual([
      'ServerGroupSoftAntiAffinityWeigher is a nova Zed weigher: set [opie] nova_version = zed to use it',
    ]);
    // A negative value is refused, as oslo.config refuses it (min=0.0).
    expect(issuesOf('[filter_scheduler]\npci_weight_multiplier = -1\n', ZED)).toHaveLength(1);
    const plain = resolve('[scheduler]\nworkers = 4\n', LIBERTY).warnings;
    expect(plain.map((w) => [w.message, w.hint])).toEqual([
      [
        '[scheduler] workers is an option of nova Zed, not of nova Liberty (the version in force); ignored',
        'opie does not model it under either nova_version',
      ],
    ]);
    expect(resolve('[scheduler]\nworkers = 4\n', ZED).warnings.map((w) => w.message)).toContain(
      '[scheduler] workers is a nova Zed option opie does not model; ignored',
    );
  });

  it('a Liberty scheduler option opie does not model: a warning, saying under zed that Zed dropped it', () => {
    const text = '[DEFAULT]\nscheduler_use_baremetal_filters = true\nscheduler_topic = sched\n';
    expect(resolve(text).warnings).toEqual([
      {
        file: 'nova.conf',
        line: 2,
        section: 'DEFAULT',
        key: 'scheduler_use_baremetal_filters',
        message:
          '[DEFAULT] scheduler_use_baremetal_filters is a nova scheduler option opie does not model; ignored',
        hint: 'list ExactRamFilter, ExactCoreFilter, ExactDiskFilter in enabled_filters instead',
      },
      {
        file: 'nova.conf',
        line: 3,
        section: 'DEFAULT',
        key: 'scheduler_topic',
        message:
          '[DEFAULT] scheduler_topic is a nova scheduler option opie does not model; ignored',
      },
    ]);
    expect(resolve(text, ZED).warnings.map((w) => w.message)).toContain(
      '[DEFAULT] scheduler_topic is a nova Liberty-era scheduler option that nova Zed (the version in force) no longer has; ignored',
    );
  });

  it('a multiplier of a weigher that is not enabled is a warning (Zed has DiskWeigher in all_weighers)', () => {
    const text = '[DEFAULT]\ndisk_weight_multiplier = 2.0\nram_weight_multiplier = 3.0\n';
    const liberty = resolve(text).warnings;
    expect(liberty).toEqual([
      {
        file: 'nova.conf',
        line: 2,
        section: 'DEFAULT',
        key: 'disk_weight_multiplier',
        message:
          '[DEFAULT] disk_weight_multiplier is set but DiskWeigher is not among the weighers ([filter_scheduler] weight_classes): it has no effect',
        hint: "nova Liberty's all_weighers does not include DiskWeigher, nova Zed's does: add nova.scheduler.weights.disk.DiskWeigher to [filter_scheduler] weight_classes, or set [opie] nova_version = zed",
      },
    ]);
    const zed = resolve(text, ZED);
    expect(zed.weighers.find((w) => w.classPath.endsWith('DiskWeigher'))?.multiplier?.value).toBe(
      2,
    );
    expect(messages(zed).some((m) => m.includes('has no effect'))).toBe(false);
    // Enabled by class path under liberty: it has an effect, nothing to say.
    const listed = resolve(
      `${text}scheduler_weight_classes = nova.scheduler.weights.all_weighers, nova.scheduler.weights.disk.DiskWeigher\n`,
    );
    expect(listed.warnings).toEqual([]);
  });

  it('a victim weigher multiplier without a driver that prices victims is a warning too', () => {
    const config = resolve(
      '[preemptible_instances_scheduler]\nvictim_count_weight_multiplier = 5.0\n',
      LIBERTY,
    );
    expect(config.warnings.map((w) => [w.line, w.message, w.hint])).toEqual([
      [
        2,
        '[preemptible_instances_scheduler] victim_count_weight_multiplier is set but VictimCountWeigher is not among the weighers ([preemptible_instances_scheduler] weight_classes): it has no effect',
        'add opie.scheduler.weights.victims.VictimCountWeigher to [preemptible_instances_scheduler] weight_classes, or remove the option',
      ],
    ]);
  });

  it('a file written for a newer nova, with no nova_version: one notice that Liberty is in force', () => {
    const text =
      '[filter_scheduler]\nhost_subset_size = 2\n\n[placement]\nauth_url = http://x\n\n[scheduler]\nmax_attempts = 2\n';
    const config = resolve(text);
    const notices = config.warnings.filter((w) => w.message.includes('[opie] nova_version'));
    expect(notices).toEqual([
      {
        file: 'nova.conf',
        line: 1,
        section: 'filter_scheduler',
        message:
          "this file is written for a nova newer than Liberty (it has [filter_scheduler], [placement], [scheduler]) but no file sets [opie] nova_version, so nova Liberty's defaults and rules are in force (enabled_filters = RetryFilter, AvailabilityZoneFilter, RamFilter, DiskFilter, ComputeFilter, ComputeCapabilitiesFilter, ImagePropertiesFilter, ServerGroupAntiAffinityFilter, ServerGroupAffinityFilter; weight_classes = all_weighers = IoOpsWeigher, MetricsWeigher, RAMWeigher)",
        hint: "to follow nova Zed (its defaults, weighers and rules), add [opie] nova_version = zed; to keep Liberty's and silence this, add [opie] nova_version = liberty",
      },
    ]);
    // A section header alone (a generated sample file) is enough.
    expect(resolve('[filter_scheduler]\n# enabled_filters = ...\n').warnings).toHaveLength(1);
    // Naming either version, or a plain Liberty file, gives none.
    for (const other of [resolve(text, LIBERTY), resolve(text, ZED), resolve('[DEFAULT]\n')]) {
      expect(other.warnings.filter((w) => w.message.includes('[opie] nova_version'))).toEqual([]);
    }
  });

  it('says only what Liberty gives for the class lists a file leaves unset', () => {
    const config = resolve('[filter_scheduler]\nenabled_filters = RamFilter\n');
    expect(config.warnings[0]?.message).toMatch(
      /rules are in force \(weight_classes = all_weighers = IoOpsWeigher, MetricsWeigher, RAMWeigher\)$/,
    );
    const both = resolve(
      '[filter_scheduler]\nenabled_filters = RamFilter\nweight_classes = nova.scheduler.weights.ram.RAMWeigher\n',
    );
    expect(both.warnings[0]?.message).toMatch(/rules are in force$/);
  });
});

describe('real files read without noise', () => {
  it("counts other services' options in one line; a [DEFAULT] typo still warns on its own", () => {
    const config = resolve(
      [
        '[DEFAULT]',
        'transport_url = rabbit://x',
        'my_ip = 10.0.0.1',
        'ram_allocation_ration = 1.5',
        '[keystone_authtoken]',
        'auth_url = http://k',
        'username = nova',
        '[neutron]',
        'url = http://n',
        '[filter_scheduler]',
        'no_such_option = 1',
        '[opie]',
        'nova_version = liberty',
      ].join('\n'),
    );
    expect(config.warnings).toEqual([
      {
        file: 'nova.conf',
        line: 4,
        section: 'DEFAULT',
        key: 'ram_allocation_ration',
        message: 'unknown option, ignored',
        hint: 'did you mean ram_allocation_ratio, cpu_allocation_ratio, disk_allocation_ratio?',
      },
      {
        file: 'nova.conf',
        line: 11,
        section: 'filter_scheduler',
        key: 'no_such_option',
        message: 'unknown option, ignored',
      },
      {
        file: 'nova.conf',
        // 2 in [DEFAULT] (transport_url, my_ip), 2 in [keystone_authtoken], 1 in [neutron].
        message:
          "5 options the scheduler does not read ignored (other services' options): [DEFAULT] 2, [keystone_authtoken] 2, [neutron] 1",
        hint: 'opie reads only the scheduler options; `opie config show` lists them with their sources',
      },
    ]);
  });

  it('the summary names no file when the ignored options come from several', () => {
    const config = resolve('[neutron]\nurl = a\n', '[vnc]\nenabled = true\n');
    expect(config.warnings).toEqual([
      expect.objectContaining({
        message:
          "2 options the scheduler does not read ignored (other services' options): [neutron] 1, [vnc] 1",
      }),
    ]);
    expect(config.warnings[0]?.file).toBeUndefined();
  });

  it('one unknown class in available_filters is one error, naming the filters it would provide', () => {
    const issues = issuesOf(
      '[filter_scheduler]\navailable_filters = acme.filters.all\nenabled_filters = ComputeFilter, AcmeFilter\n',
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'nova.conf', line: 2, key: 'available_filters' });
    expect(issues[0]?.message).toBe(
      'Class acme.filters.all could not be found: no host filter is registered under this name.',
    );
    expect(issues[0]?.hint).toBe(
      'without it, [filter_scheduler] enabled_filters cannot find ComputeFilter, AcmeFilter',
    );
  });

  it('an unknown enabled filter with loadable available filters is still one error listing them', () => {
    const issues = issuesOf(
      '[DEFAULT]\nscheduler_default_filters = RamFilter, AcmeFilter, FooFilter\n',
    );
    expect(issues.map((i) => i.message)).toEqual([
      'Scheduler Host Filter AcmeFilter, FooFilter could not be found.',
    ]);
  });

  it('NUMATopologyFilter and PciPassthroughFilter load; a refused filter says "is not supported" once', () => {
    const config = resolve(
      '[DEFAULT]\nscheduler_default_filters = RamFilter, NUMATopologyFilter, PciPassthroughFilter\n',
    );
    expect(config.filters.map((f) => f.name)).toEqual([
      'RamFilter',
      'NUMATopologyFilter',
      'PciPassthroughFilter',
    ]);
    const [trusted] = issuesOf('[DEFAULT]\nscheduler_default_filters = TrustedFilter\n');
    expect(trusted?.message).toMatch(/^TrustedFilter is not supported: it needs/);
    expect(trusted?.message.split('is not supported')).toHaveLength(2);
  });
});
