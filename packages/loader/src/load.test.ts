import { fileURLToPath } from 'node:url';
import { ConfigError, MemoryNotifier, RecordingComputePort, createRuntime } from '@opie/core';
import type { ConfigIssue } from '@opie/core';
import { makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { RAM_WEIGHER, fakeFilter, fakeRegistry } from './__fixtures__/fake-plugins.js';
import type { FakeDriver, FakeFilter, FakeWeigher } from './__fixtures__/fake-plugins.js';
import { plugins as thirdParty } from './__fixtures__/third-party-plugin.js';
import { loadScheduler, loadSchedulerConfig } from './load.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function issuesOf(promise: Promise<unknown>): Promise<ConfigIssue[]> {
  try {
    await promise;
  } catch (error) {
    if (ConfigError.isInstance(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSchedulerConfig', () => {
  it('reads paths relative to cwd', async () => {
    const config = await loadSchedulerConfig({
      paths: ['examples/nova.conf'],
      cwd: repoRoot,
      registry: fakeRegistry(),
    });
    expect(config.files).toEqual(['examples/nova.conf']);
    expect(config.driver.classPath).toBe('opie.scheduler.filter_scheduler.FilterScheduler');
    expect(config.filters.map((f) => f.name)).toEqual([
      'RetryFilter',
      'AvailabilityZoneFilter',
      'RamFilter',
      'CoreFilter',
      'DiskFilter',
      'ComputeFilter',
      'ComputeCapabilitiesFilter',
      'ImagePropertiesFilter',
      'ServerGroupAntiAffinityFilter',
      'ServerGroupAffinityFilter',
    ]);
    expect(config.values.float('DEFAULT', 'cpu_allocation_ratio')).toBe(4);
    expect(config.warnings).toEqual([]);
  });

  it('reports a file it cannot read, and nothing else', async () => {
    const issues = await issuesOf(
      loadSchedulerConfig({
        files: [{ path: 'a.conf', text: '[scheduler]\ndriver = nope\n' }],
        paths: ['does-not-exist.conf', 'examples/nova.conf'],
        cwd: repoRoot,
        registry: fakeRegistry(),
      }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]?.file).toBe('does-not-exist.conf');
    expect(issues[0]?.message).toMatch(/^cannot read the config file: ENOENT/);
  });

  it('loads a third-party plugin module named in [opie] plugin_modules (relative to the file)', async () => {
    const registry = fakeRegistry();
    const config = await loadSchedulerConfig({
      files: [
        {
          path: `${fixtures}nova.conf`,
          text: '[opie]\nplugin_modules = ./third-party-plugin.ts\n[filter_scheduler]\nenabled_filters = RamFilter, EvenHostFilter\navailable_filters = nova.scheduler.filters.all_filters\navailable_filters = acme.scheduler.filters.EvenHostFilter\n[acme]\neven_only = false\n',
        },
      ],
      registry,
    });
    expect(config.filters.map((f) => f.classPath)).toEqual([
      'nova.scheduler.filters.ram_filter.RamFilter',
      'acme.scheduler.filters.EvenHostFilter',
    ]);
    expect(config.values.bool('acme', 'even_only')).toBe(false);
    expect(registry.has('acme.scheduler.filters.EvenHostFilter')).toBe(false);
  });

  it('does the same with register() in code', async () => {
    const registry = fakeRegistry().registerAll(thirdParty, 'my code');
    const loaded = await loadScheduler({
      files: [
        {
          path: 'nova.conf',
          text: '[filter_scheduler]\nenabled_filters = EvenHostFilter\navailable_filters = acme.scheduler.filters.EvenHostFilter\n',
        },
      ],
      registry,
    });
    const [even] = loaded.filters;
    expect(even?.name).toBe('EvenHostFilter');
    expect(even?.hostPasses(makeHost({ host: 'host2' }), {} as never)).toBe(true);
    expect(even?.hostPasses(makeHost({ host: 'host3' }), {} as never)).toBe(false);
  });

  it('reports plugin modules that fail, at the plugin_modules line', async () => {
    const issues = await issuesOf(
      loadSchedulerConfig({
        files: [
          {
            path: `${fixtures}nova.conf`,
            text: '[DEFAULT]\n\n[opie]\nplugin_modules = ./missing-module.js, ./not-a-plugin-module.ts, zod, ./third-party-plugin.ts, ./third-party-plugin.ts\n',
          },
        ],
        registry: fakeRegistry(),
      }),
    );
    expect(issues.map((i) => [i.line, i.key])).toEqual([
      [4, 'plugin_modules'],
      [4, 'plugin_modules'],
      [4, 'plugin_modules'],
      [4, 'plugin_modules'],
    ]);
    expect(issues[0]?.message).toMatch(/^cannot import plugin module \.\/missing-module\.js: /);
    expect(issues[0]?.hint).toMatch(/relative paths are resolved from the config file directory/);
    expect(issues[1]?.message).toBe(
      'plugin module ./not-a-plugin-module.ts does not export `plugins` (an array of plugin definitions)',
    );
    expect(issues[2]?.message).toBe(
      'plugin module zod does not export `plugins` (an array of plugin definitions)',
    );
    expect(issues[3]?.message).toMatch(
      /class path acme\.scheduler\.filters\.EvenHostFilter is registered twice: .* from plugin module \.\/third-party-plugin\.ts, and .* from plugin module \.\/third-party-plugin\.ts/,
    );
  });
});

describe('loadScheduler', () => {
  it('creates the host manager, filters, weighers and the driver with its collaborators', async () => {
    const runtime = createRuntime({ now: () => 42 });
    const loaded = await loadScheduler({
      files: [
        {
          path: 'nova.conf',
          text: `[filter_scheduler]\nenabled_filters = RamFilter, CoreFilter, RamFilter\nweight_classes = ${RAM_WEIGHER}, ${RAM_WEIGHER}\nram_weight_multiplier = 3\nhost_subset_size = 2\n`,
        },
      ],
      registry: fakeRegistry(),
      runtime,
    });
    const driver = loaded.driver as FakeDriver;
    expect(driver.classPath).toBe('nova.scheduler.filter_scheduler.FilterScheduler');
    expect(driver.ctx.hostManager).toBe(loaded.hostManager);
    expect(driver.ctx.filters).toBe(loaded.filters);
    expect(driver.ctx.weighers).toBe(loaded.weighers);
    expect(driver.ctx.runtime).toBe(runtime);
    expect(driver.ctx.conf.int('filter_scheduler', 'host_subset_size')).toBe(2);
    expect(loaded.compute).toBeInstanceOf(RecordingComputePort);
    expect(loaded.notifier).toBeInstanceOf(MemoryNotifier);
    expect(driver.ctx.compute).toBe(loaded.compute);
    expect(driver.ctx.notifier).toBe(loaded.notifier);
    expect(loaded.filters.map((f) => f.name)).toEqual(['RamFilter', 'CoreFilter', 'RamFilter']);
    expect(loaded.filters[0]).toBe(loaded.filters[2]);
    expect((loaded.filters[0] as FakeFilter).ctx.runtime).toBe(runtime);
    expect(loaded.weighers).toHaveLength(2);
    expect(loaded.weighers[0]).not.toBe(loaded.weighers[1]);
    expect(loaded.weighers.map((w) => w.multiplier)).toEqual([3, 3]);
    expect((loaded.weighers[0] as FakeWeigher).ctx.conf).toBe(loaded.config.values);
  });

  it('uses the ports it is given', async () => {
    const compute = new RecordingComputePort();
    const notifier = new MemoryNotifier();
    const loaded = await loadScheduler({
      files: [{ path: 'nova.conf', text: '' }],
      registry: fakeRegistry(),
      compute,
      notifier,
    });
    expect(loaded.compute).toBe(compute);
    expect((loaded.driver as FakeDriver).ctx.notifier).toBe(notifier);
  });

  it('asks the driver to explain its decisions when told to (explain in DriverContext)', async () => {
    const load = (explain?: boolean) =>
      loadScheduler({
        files: [{ path: 'nova.conf', text: '' }],
        registry: fakeRegistry(),
        ...(explain !== undefined ? { explain } : {}),
      });
    expect(((await load(true)).driver as FakeDriver).ctx.explain).toBe(true);
    expect(((await load(false)).driver as FakeDriver).ctx.explain).toBe(false);
    expect(((await load()).driver as FakeDriver).ctx).not.toHaveProperty('explain');
  });

  it('builds an explaining FilterScheduler from the built-in drivers', async () => {
    for (const explain of [true, false]) {
      const loaded = await loadScheduler({ paths: ['examples/nova.conf'], cwd: repoRoot, explain });
      expect(loaded.driver).toMatchObject({ explain, preemption: true });
    }
    const plain = await loadScheduler({ files: [{ path: 'nova.conf', text: '' }] });
    expect(plain.driver).toMatchObject({ explain: false, preemption: false });
  });

  it('builds the builtin scheduler under nova_version = zed: its filters and weighers, the version readable', async () => {
    const loaded = await loadScheduler({
      files: [
        {
          path: 'nova.conf',
          text: '[DEFAULT]\nscheduler_default_filters = ComputeFilter, NUMATopologyFilter, PciPassthroughFilter\n[opie]\nnova_version = zed\n',
        },
      ],
    });
    expect(loaded.config.novaVersion).toBe('zed');
    // Plugins see the version through their context, as any loader option.
    expect(loaded.config.values.str('opie', 'nova_version')).toBe('zed');
    expect(loaded.filters.map((f) => f.name)).toEqual([
      'ComputeFilter',
      'NUMATopologyFilter',
      'PciPassthroughFilter',
    ]);
    // Zed's all_weighers, in its module order.
    expect(loaded.weighers.map((w) => w.name.slice(w.name.lastIndexOf('.') + 1))).toEqual([
      'ServerGroupSoftAffinityWeigher',
      'ServerGroupSoftAntiAffinityWeigher',
      'BuildFailureWeigher',
      'CPUWeigher',
      'CrossCellWeigher',
      'DiskWeigher',
      'IoOpsWeigher',
      'MetricsWeigher',
      'PCIWeigher',
      'RAMWeigher',
    ]);
    // Built for Zed: raw weights clamped, multipliers per host.
    expect(loaded.weighers.every((w) => w.clampRaw === true)).toBe(true);
    const numa = loaded.filters[1];
    expect(numa?.hostPasses(makeHost(), makeRequest())).toBe(true);
  });

  it('gives the built-in filters and host manager the Zed rules under nova_version = zed', async () => {
    const text = (version: string) =>
      `[filter_scheduler]\nenabled_filters = SameHostFilter, DiskFilter\n` +
      `image_properties_default_architecture = x86_64\n[opie]\nnova_version = ${version}\n`;
    const load = (version: string) =>
      loadScheduler({ files: [{ path: 'nova.conf', text: text(version) }] });
    const [zed, liberty] = await Promise.all([load('zed'), load('liberty')]);
    // SameHostFilter: Zed fails a host without instances when same_host is given.
    const sameHost = makeRequest({ schedulerHints: { same_host: ['u1'] } });
    expect(zed.filters[0]?.hostPasses(makeHost(), sameHost)).toBe(false);
    expect(liberty.filters[0]?.hostPasses(makeHost(), sameHost)).toBe(true);
    // DiskFilter: under zed, placement's max_unit — a 150 GB disk never fits a 100 GB node.
    const big = makeRequest({
      flavor: {
        id: 'f',
        name: 'f',
        memoryMb: 1,
        vcpus: 1,
        rootGb: 150,
        ephemeralGb: 0,
        swap: 0,
        extraSpecs: {},
      },
    });
    const host = () =>
      makeHost({ totalUsableDiskGb: 100, freeDiskMb: 102400, diskAllocationRatio: 2 });
    expect(zed.filters[1]?.hostPasses(host(), big)).toBe(false);
    expect(liberty.filters[1]?.hostPasses(host(), big)).toBe(true);
  });

  it('reports factory failures as config problems at the option line', async () => {
    const registry = fakeRegistry().register(
      fakeFilter('acme.BrokenFilter', {
        create: () => {
          throw new Error('needs a database');
        },
      }),
    );
    const issues = await issuesOf(
      loadScheduler({
        files: [
          {
            path: 'nova.conf',
            text: '[filter_scheduler]\navailable_filters = acme.BrokenFilter\nenabled_filters = BrokenFilter\n',
          },
        ],
        registry,
      }),
    );
    expect(issues).toEqual([
      {
        file: 'nova.conf',
        line: 3,
        section: 'filter_scheduler',
        key: 'enabled_filters',
        message: 'cannot create acme.BrokenFilter: needs a database',
      },
    ]);
  });

  it('reports a failing driver factory at its default place', async () => {
    const registry = fakeRegistry();
    const driver = registry.resolve('filter_scheduler', 'driver');
    const broken = fakeRegistry();
    Object.assign(broken.resolve('filter_scheduler', 'driver'), {
      create: () => {
        throw new Error('boom');
      },
    });
    expect(driver.classPath).toBe('nova.scheduler.filter_scheduler.FilterScheduler');
    const issues = await issuesOf(
      loadScheduler({ files: [{ path: 'nova.conf', text: '' }], registry: broken }),
    );
    expect(issues).toEqual([
      {
        section: 'scheduler',
        key: 'driver',
        message: 'cannot create nova.scheduler.filter_scheduler.FilterScheduler: boom',
      },
    ]);
  });
});

describe('loadScheduler factory validation', () => {
  it('places a factory ConfigError on the option it names', async () => {
    const registry = fakeRegistry().register(
      fakeFilter('acme.PickyFilter', {
        options: [{ group: 'acme', name: 'level', type: 'int', default: 1, help: '' }],
        create: () => {
          throw new ConfigError([
            { section: 'acme', key: 'level', message: 'must be 1 to 3' },
            { message: 'and something else' },
          ]);
        },
      }),
    );
    const issues = await issuesOf(
      loadScheduler({
        files: [
          {
            path: 'nova.conf',
            text: '[filter_scheduler]\navailable_filters = acme.PickyFilter\nenabled_filters = PickyFilter\n[acme]\nlevel = 7\n',
          },
        ],
        registry,
      }),
    );
    expect(issues).toEqual([
      { file: 'nova.conf', line: 5, section: 'acme', key: 'level', message: 'must be 1 to 3' },
      {
        file: 'nova.conf',
        line: 3,
        section: 'filter_scheduler',
        key: 'enabled_filters',
        message: 'and something else',
      },
    ]);
  });
});

describe('loadScheduler returns the contract applications hold', () => {
  it('refuses a driver that is not a core Scheduler, naming what it lacks and where it is set', async () => {
    const registry = fakeRegistry();
    registry.register({
      kind: 'driver',
      classPath: 'acme.AsyncOnly',
      description: 'only selectDestinations',
      create: () => ({ selectDestinations: () => Promise.reject(new Error('never')) }),
    });
    const error = await loadScheduler({
      files: [{ path: 'nova.conf', text: '[scheduler]\ndriver = acme.AsyncOnly\n' }],
      registry,
    }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    const [issue] = (error as ConfigError).issues;
    expect(issue).toMatchObject({
      file: 'nova.conf',
      line: 2,
      section: 'scheduler',
      key: 'driver',
    });
    expect(issue?.message).toBe('acme.AsyncOnly cannot be driven: it has no plan(), execute()');
    expect(issue?.hint).toContain("@opie/core's Scheduler");
  });

  it('gives a driver and host manager typed as Scheduler and SourcedHostManager', async () => {
    const loaded = await loadScheduler({
      files: [{ path: 'nova.conf', text: '[scheduler]\ndriver = filter_scheduler\n' }],
    });
    // No cast: the contract's members are there.
    expect(typeof loaded.driver.plan).toBe('function');
    expect(loaded.driver.preemption).toBe(false);
    expect(typeof loaded.hostManager.setSource).toBe('function');
  });
});
