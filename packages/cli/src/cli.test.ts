import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOsloIni } from '@opie/loader';
import { describe, expect, it } from 'vitest';
import { runCli, USAGE } from './cli.js';
import { CONFIG_USAGE } from './commands/config-show.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: repoRoot,
  });
  return { code, stdout, stderr };
}

describe('opie help and usage errors', () => {
  it('opie --help prints the usage and exits 0', async () => {
    expect(await run('--help')).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect((await run('-h')).stdout).toBe(USAGE);
    expect((await run('help')).code).toBe(0);
  });

  it('opie config --help prints the config usage and exits 0', async () => {
    expect(await run('config', '--help')).toEqual({ code: 0, stdout: CONFIG_USAGE, stderr: '' });
    expect((await run('config', 'show', '--help')).stdout).toBe(CONFIG_USAGE);
  });

  it('exits 2 with the usage on stderr for no command or an unknown one', async () => {
    const none = await run();
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toBe(`opie: missing command\n\n${USAGE}`);
    expect((await run('schedule-everything')).stderr).toMatch(
      /^opie: unknown command: schedule-everything\n/,
    );
  });

  it('exits 2 for a missing or unknown config subcommand', async () => {
    expect(await run('config')).toMatchObject({ code: 2, stdout: '' });
    expect((await run('config', 'edit')).stderr).toMatch(
      /^opie config: unknown subcommand: edit\n/,
    );
  });

  it('exits 2 for config show without files, with an unknown flag, or with --json --ini', async () => {
    const noFiles = await run('config', 'show');
    expect(noFiles.code).toBe(2);
    expect(noFiles.stderr).toMatch(/name at least one nova\.conf file/);
    const flag = await run('config', 'show', '--yaml', 'examples/nova.conf');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^opie config show: Unknown option '--yaml'/);
    const both = await run('config', 'show', '--json', '--ini', 'examples/nova.conf');
    expect(both).toMatchObject({ code: 2, stdout: '' });
    expect(both.stderr).toMatch(/--json and --ini exclude each other/);
  });
});

describe('opie config show', () => {
  it('prints the driver, host manager, filters, weighers, options and warnings of examples/nova.conf', async () => {
    const { code, stdout, stderr } = await run('config', 'show', 'examples/nova.conf');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Files: examples\/nova\.conf\n/);
    expect(stdout).toMatch(/\nNova version: +liberty +examples\/nova\.conf:26\n/);
    expect(stdout).toMatch(
      /Driver: +opie\.scheduler\.filter_scheduler\.FilterScheduler +examples\/nova\.conf:13\n/,
    );
    expect(stdout).toMatch(
      /Host manager: +opie\.scheduler\.host_manager\.HostManager +examples\/nova\.conf:14\n/,
    );
    expect(stdout).toMatch(
      /Filters, in order:\n {2}1\. +RetryFilter +nova\.scheduler\.filters\.retry_filter\.RetryFilter\n {2}2\. +AvailabilityZoneFilter .*\n {2}3\. +RamFilter .*\n {2}4\. +CoreFilter /,
    );
    expect(stdout).toMatch(
      /opie\.scheduler\.weights\.preemptible\.PreemptibleCountWeigher +x 1000\.0 +\[DEFAULT\] preemptible_count_weight_multiplier +examples\/nova\.conf:9\n/,
    );
    expect(stdout).toMatch(/\n {2}SECTION +NAME +VALUE +SOURCE\n/);
    expect(stdout).toMatch(/\n {2}DEFAULT +cpu_allocation_ratio +4\.0 +examples\/nova\.conf:8\n/);
    expect(stdout).toMatch(/\n {2}scheduler +periodic_task_interval +60 +default\n/);
    expect(stdout).toMatch(/Warnings: none\n$/);
  });

  it('lists the victim weighers of the opie driver with their multipliers', async () => {
    const { code, stdout } = await run('config', 'show', 'examples/nova.conf');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Victim weighers ([preemptible_instances_scheduler] weight_classes):\n',
    );
    expect(stdout).toMatch(
      /2\. +opie\.scheduler\.weights\.victims\.VictimCountWeigher +x 300\.0 +\[preemptible_instances_scheduler\] victim_count_weight_multiplier +default/,
    );
    expect(stdout).toMatch(/preemptible_instances_scheduler +victim_policy +cost +default/);
  });

  it("shows Liberty's [DEFAULT] names in sources, without warnings under liberty", async () => {
    const { code, stdout } = await run('config', 'show', 'examples/opie-docs.conf');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nNova version: +liberty +default\n/);
    expect(stdout).toMatch(
      /Driver: +opie\.scheduler\.filter_scheduler\.FilterScheduler +examples\/opie-docs\.conf:6 \(Liberty name \[DEFAULT\] scheduler_driver\)/,
    );
    expect(stdout).toMatch(/Warnings: none\n$/);
  });

  it('shows zed and warns the Liberty names Zed no longer reads when a file sets [opie] nova_version = zed', async () => {
    const { code, stdout } = await run(
      'config',
      'show',
      'examples/opie-docs.conf',
      'packages/cli/src/__fixtures__/nova-version-zed.conf',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /\nNova version: +zed +packages\/cli\/src\/__fixtures__\/nova-version-zed\.conf:3\n/,
    );
    expect(stdout).toMatch(
      /Driver: +opie\.scheduler\.filter_scheduler\.FilterScheduler +examples\/opie-docs\.conf:6 \(deprecated name \[DEFAULT\] scheduler_driver\)/,
    );
    expect(stdout).toMatch(
      /\n {2}- examples\/opie-docs\.conf:6 \[DEFAULT\] scheduler_driver: \[DEFAULT\] scheduler_driver is a Liberty name that nova Zed no longer reads \(removed in Xena\); opie reads it as \[scheduler\] driver: rename it\n/,
    );
    const json = await run(
      'config',
      'show',
      '--json',
      'examples/opie-docs.conf',
      'packages/cli/src/__fixtures__/nova-version-zed.conf',
    );
    const doc = JSON.parse(json.stdout) as {
      novaVersion: string;
      options: Record<string, unknown>[];
    };
    expect(doc.novaVersion).toBe('zed');
    // Zed's enabled_filters default (nova/conf/scheduler.py of stable/zed), not Liberty's.
    expect(doc.options.find((o) => o['name'] === 'enabled_filters')?.['default']).toEqual([
      'ComputeFilter',
      'ComputeCapabilitiesFilter',
      'ImagePropertiesFilter',
      'ServerGroupAntiAffinityFilter',
      'ServerGroupAffinityFilter',
    ]);
  });

  it('--json prints one document with every field', async () => {
    const { code, stdout } = await run('config', 'show', '--json', 'examples/nova.conf');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'files',
      'novaVersion',
      'driver',
      'hostManager',
      'filters',
      'weighers',
      'victimWeighers',
      'options',
      'warnings',
    ]);
    const victims = doc['victimWeighers'] as { classPath: string; listedAs: string }[];
    expect(victims).toHaveLength(5);
    expect(victims[1]).toEqual({
      classPath: 'opie.scheduler.weights.victims.VictimCountWeigher',
      listedAs: 'nova.scheduler.weights.all_preemptible_weighers',
      multiplier: {
        section: 'preemptible_instances_scheduler',
        name: 'victim_count_weight_multiplier',
        value: 300,
        source: { kind: 'default' },
      },
    });
    expect(doc['driver']).toEqual({
      name: 'opie.scheduler.filter_scheduler.FilterScheduler',
      classPath: 'opie.scheduler.filter_scheduler.FilterScheduler',
      source: {
        kind: 'file',
        file: 'examples/nova.conf',
        line: 13,
        section: 'scheduler',
        name: 'driver',
        deprecated: false,
      },
    });
    const filters = doc['filters'] as { name: string; classPath: string }[];
    expect(filters.map((f) => f.name)).toEqual([
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
    expect(filters[2]).toEqual({
      name: 'RamFilter',
      classPath: 'nova.scheduler.filters.ram_filter.RamFilter',
    });
    const weighers = doc['weighers'] as {
      classPath: string;
      multiplier: { value: number } | null;
    }[];
    expect(
      weighers.find((w) => w.classPath.endsWith('PreemptibleCountWeigher'))?.multiplier?.value,
    ).toBe(1000);
    const options = doc['options'] as Record<string, unknown>[];
    expect(options.find((o) => o['name'] === 'ram_allocation_ratio')).toMatchObject({
      section: 'DEFAULT',
      type: 'float',
      value: 1,
      default: 0,
      source: { kind: 'file', line: 7 },
    });
    expect(doc['novaVersion']).toBe('liberty');
    expect(doc['warnings']).toEqual([]);
  });

  it('--ini prints a nova.conf document that reads back to the same scheduler', async () => {
    const { code, stdout } = await run('config', 'show', '--ini', 'examples/nova.conf');
    expect(code).toBe(0);
    const doc = parseOsloIni(stdout, 'written.conf');
    expect(doc.issues).toEqual([]);
    const get = (section: string, key: string) =>
      doc.entries.find((e) => e.section === section && e.key === key)?.value;
    expect(get('scheduler', 'driver')).toBe('opie.scheduler.filter_scheduler.FilterScheduler');
    expect(get('filter_scheduler', 'enabled_filters')).toBe(
      'RetryFilter, AvailabilityZoneFilter, RamFilter, CoreFilter, DiskFilter, ComputeFilter, ' +
        'ComputeCapabilitiesFilter, ImagePropertiesFilter, ServerGroupAntiAffinityFilter, ' +
        'ServerGroupAffinityFilter',
    );
    expect(get('DEFAULT', 'cpu_allocation_ratio')).toBe('4.0');
  });

  it('--ini output read back resolves to the same configuration, whatever the values hold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opie-ini-'));
    try {
      // Values with #, ;, =, quotes, blanks, $ and non-ASCII text in free-text options.
      const original = join(dir, 'nova.conf');
      await writeFile(
        original,
        [
          '[DEFAULT]',
          'scheduler_default_filters = AvailabilityZoneFilter, AggregateImagePropertiesIsolation, RamFilter',
          'default_availability_zone = zone #1; "east" = Zürich',
          '[filter_scheduler]',
          `aggregate_image_properties_isolation_namespace = "ns=a;b"`,
          "aggregate_image_properties_isolation_separator = ' # '",
          'ram_weight_multiplier = 2.5',
          '[opie]',
          'plugin_modules =',
          '',
        ].join('\n'),
      );
      const first = await run('config', 'show', '--ini', original);
      expect(first.stderr).toBe('');
      expect(first.stdout).not.toMatch(/cannot be written/);
      const written = join(dir, 'written.conf');
      await writeFile(written, first.stdout);
      // The same options, values and order; only the sources differ (file:line or default).
      const values = async (file: string) => {
        const out = await run('config', 'show', '--json', file);
        expect(out.code).toBe(0);
        const doc = JSON.parse(out.stdout) as {
          options: { section: string; name: string; value: unknown }[];
        };
        return doc.options.map((o) => [o.section, o.name, o.value]);
      };
      const before = await values(original);
      expect(before).toContainEqual([
        'DEFAULT',
        'default_availability_zone',
        'zone #1; "east" = Zürich',
      ]);
      expect(before).toContainEqual([
        'filter_scheduler',
        'aggregate_image_properties_isolation_namespace',
        'ns=a;b',
      ]);
      expect(before).toContainEqual([
        'filter_scheduler',
        'aggregate_image_properties_isolation_separator',
        ' # ',
      ]);
      expect(await values(written)).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with only the ConfigError text on stderr for a bad config', async () => {
    const { code, stdout, stderr } = await run(
      'config',
      'show',
      'packages/cli/src/__fixtures__/bad.conf',
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Invalid configuration \(2 problems\):\n/);
    expect(stderr).toContain(
      '  - packages/cli/src/__fixtures__/bad.conf:2 [scheduler] driver: Class no_such_scheduler could not be found',
    );
    expect(stderr).toContain(
      "hint: the docs' (...) stands for the weighers you already use, e.g. nova.scheduler.weights.all_weighers",
    );
  });

  it('exits 1 for a file it cannot read', async () => {
    const { code, stdout, stderr } = await run('config', 'show', 'no/such/nova.conf');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^Invalid configuration \(1 problem\):\n {2}- no\/such\/nova\.conf: cannot read the config file: ENOENT/,
    );
  });
});

describe('opie --version, opie help COMMAND and suggestions', () => {
  it('--version and -V print the version of @opie/cli', async () => {
    // The expected value is read from the package's own package.json, not repeated here.
    const { version } = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await run('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect((await run('-V')).stdout).toBe(`${version}\n`);
  });

  it("opie help COMMAND prints that command's help, as COMMAND --help does", async () => {
    for (const command of ['schedule', 'simulate', 'serve', 'config']) {
      const viaHelp = await run('help', command);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe((await run(command, '--help')).stdout);
      expect(viaHelp.stdout).not.toBe(USAGE);
    }
  });

  it('opie help with an unknown command exits 2 and suggests the nearest', async () => {
    const out = await run('help', 'shedule');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /^opie help: unknown command: shedule\. Did you mean "schedule"\?\n/,
    );
  });

  it('a mistyped command gets a suggestion; a far one does not', async () => {
    expect((await run('simulat')).stderr).toMatch(
      /^opie: unknown command: simulat\. Did you mean "simulate"\?\n/,
    );
    expect((await run('config', 'shwo')).stderr).toMatch(
      /^opie config: unknown subcommand: shwo\. Did you mean "show"\?\n/,
    );
    expect((await run('deploy-everything')).stderr).toMatch(
      /^opie: unknown command: deploy-everything\n/,
    );
  });

  it('a mistyped option gets a suggestion', async () => {
    const out = await run('config', 'show', '--jsno', 'examples/nova.conf');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /^opie config show: Unknown option '--jsno'\. Did you mean "--json"\?\n/,
    );
  });
});
