import type { OptionSpec } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { subsetSizeOption } from './__fixtures__/fake-plugins.js';
import { parseOsloIni } from './oslo-ini.js';
import { availableFiltersOption, driverOption, loaderOptions } from './options.js';
import { OptionResolver, normalizeSection } from './resolve.js';

const multiplier: OptionSpec = {
  group: 'filter_scheduler',
  name: 'ram_weight_multiplier',
  type: 'float',
  default: 1,
  help: '',
  deprecatedNames: [{ group: 'DEFAULT', name: 'ram_weight_multiplier' }],
};
const metricsRequired: OptionSpec = {
  group: 'metrics',
  name: 'required',
  type: 'bool',
  default: true,
  help: '',
};
const statePath: OptionSpec = {
  group: 'DEFAULT',
  name: 'state_path',
  type: 'str',
  default: '/var/lib/nova',
  help: '',
};
const twoOldNames: OptionSpec = {
  group: 'scheduler',
  name: 'new_name',
  type: 'str',
  default: 'd',
  help: '',
  deprecatedNames: [
    { group: 'DEFAULT', name: 'first_old' },
    { group: 'DEFAULT', name: 'second_old' },
  ],
};
const specs = [
  ...loaderOptions,
  subsetSizeOption,
  multiplier,
  metricsRequired,
  statePath,
  twoOldNames,
];

function resolver(...texts: string[]): OptionResolver {
  const docs = texts.map((t, i) => parseOsloIni(t, `f${i + 1}.conf`));
  return new OptionResolver(docs, specs);
}

describe('OptionResolver', () => {
  it('gives the default, with a default source, when nothing is set', () => {
    const r = resolver('[DEFAULT]\n');
    expect(r.resolve(driverOption)).toMatchObject({
      value: 'filter_scheduler',
      source: { kind: 'default' },
      sources: [],
      valid: true,
    });
    expect(r.warnings).toEqual([]);
  });

  it('takes the last occurrence in a file, and the last file', () => {
    expect(resolver('[scheduler]\ndriver = a\ndriver = b\n').resolve(driverOption).value).toBe('b');
    const r = resolver('[scheduler]\ndriver = a\n', '[scheduler]\ndriver = c\n', '[DEFAULT]\n');
    expect(r.resolve(driverOption)).toMatchObject({
      value: 'c',
      source: {
        kind: 'file',
        file: 'f2.conf',
        line: 2,
        section: 'scheduler',
        name: 'driver',
        deprecated: false,
      },
    });
  });

  it('matches groups other than DEFAULT case-insensitively', () => {
    expect(resolver('[Metrics]\nrequired = false\n').resolve(metricsRequired).value).toBe(false);
    expect(resolver('[METRICS]\nrequired = no\n').resolve(metricsRequired).value).toBe(false);
    expect(normalizeSection('DEFAULT')).toBe('DEFAULT');
    expect(normalizeSection('Metrics')).toBe('metrics');
  });

  it('does not take [default] for [DEFAULT]', () => {
    const r = resolver('[default]\nstate_path = /srv\n');
    expect(r.resolve(statePath).value).toBe('/var/lib/nova');
    r.warnUnknown();
    expect(r.warnings).toEqual([
      expect.objectContaining({
        file: 'f1.conf',
        line: 2,
        key: 'state_path',
        message: 'unknown option, ignored',
        hint: '[default] is not [DEFAULT]: the DEFAULT section name is case-sensitive',
      }),
    ]);
  });

  it('matches keys case-sensitively', () => {
    const r = resolver('[scheduler]\nDriver = x\n');
    expect(r.resolve(driverOption).value).toBe('filter_scheduler');
  });

  it('reads a deprecated name with a warning and marks the source deprecated', () => {
    const r = resolver(
      '[DEFAULT]\nscheduler_driver = opie.scheduler.filter_scheduler.FilterScheduler\n',
    );
    expect(r.resolve(driverOption)).toMatchObject({
      value: 'opie.scheduler.filter_scheduler.FilterScheduler',
      source: { kind: 'file', section: 'DEFAULT', name: 'scheduler_driver', deprecated: true },
    });
    expect(r.warnings).toEqual([
      {
        file: 'f1.conf',
        line: 2,
        section: 'DEFAULT',
        key: 'scheduler_driver',
        message: '[DEFAULT] scheduler_driver is deprecated; use [scheduler] driver',
      },
    ]);
  });

  it('lets the newer name win over the older one, with a warning', () => {
    const r = resolver('[DEFAULT]\nscheduler_driver = old\n', '[scheduler]\ndriver = new\n');
    expect(r.resolve(driverOption).value).toBe('new');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.message).toBe(
      '[DEFAULT] scheduler_driver is ignored: [scheduler] driver (f2.conf:2) is also set and wins',
    );
    // Also when the older name comes from a later file.
    const later = resolver('[scheduler]\ndriver = new\n', '[DEFAULT]\nscheduler_driver = old\n');
    expect(later.resolve(driverOption).value).toBe('new');
  });

  it('tries deprecated names in declaration order', () => {
    const r = resolver('[DEFAULT]\nsecond_old = 2\nfirst_old = 1\n');
    expect(r.resolve(twoOldNames).value).toBe('1');
  });

  it('collects every occurrence of a MultiStrOpt, across files and names', () => {
    const r = resolver(
      '[DEFAULT]\nscheduler_available_filters = a.b\nscheduler_available_filters = c.d\n',
      '[filter_scheduler]\navailable_filters = e.f\n',
    );
    const o = r.resolve(availableFiltersOption);
    expect(o.value).toEqual(['a.b', 'c.d', 'e.f']);
    expect(
      o.sources.map((s) => (s.kind === 'file' ? `${s.file}:${s.line}:${s.deprecated}` : '')),
    ).toEqual(['f1.conf:2:true', 'f1.conf:3:true', 'f2.conf:2:false']);
    expect(o.source).toEqual(o.sources[0]);
    expect(r.warnings[0]?.message).toBe(
      '[DEFAULT] scheduler_available_filters is deprecated; use [filter_scheduler] available_filters (values under both names are merged)',
    );
  });

  it('reports a bad value at its file and line, with a hint, and falls back to the default', () => {
    const r = resolver('[DEFAULT]\n\nram_weight_multiplier = abc\n');
    const o = r.resolve(multiplier);
    expect(o).toMatchObject({ value: 1, valid: false });
    expect(r.issues).toEqual([
      {
        file: 'f1.conf',
        line: 3,
        section: 'DEFAULT',
        key: 'ram_weight_multiplier',
        message:
          "Value for option ram_weight_multiplier is not valid: could not convert string to float: 'abc'",
        hint: 'give a number, e.g. 1.0',
      },
    ]);
  });

  it('has no inline comments: 8 # eight fails on an IntOpt at its line', () => {
    const r = resolver('[filter_scheduler]\n# subset\nhost_subset_size = 8 # eight\n');
    expect(r.resolve(subsetSizeOption)).toMatchObject({ value: 1, valid: false });
    expect(r.issues[0]).toMatchObject({ line: 3, key: 'host_subset_size' });
    expect(r.issues[0]?.message).toBe(
      "Value for option host_subset_size is not valid: invalid literal for int() with base 10: '8 # eight'",
    );
    expect(r.issues[0]?.hint).toMatch(/no inline comments/);
  });

  it('accepts a signed int (+3) and rejects 3.0', () => {
    expect(
      resolver('[filter_scheduler]\nhost_subset_size = +3\n').resolve(subsetSizeOption).value,
    ).toBe(3);
    const r = resolver('[filter_scheduler]\nhost_subset_size = 3.0\n');
    expect(r.resolve(subsetSizeOption).valid).toBe(false);
  });

  it('joins continuation lines of a list option, trailing comma pieces kept', () => {
    const r = resolver('[filter_scheduler]\nenabled_filters = RamFilter,\n  CoreFilter,\n');
    expect(r.resolve(loaderOptions[3]!).value).toEqual(['RamFilter', 'CoreFilter', '']);
  });

  it('validates with the option schema after conversion', () => {
    const r = resolver('[filter_scheduler]\nhost_subset_size = -2\n');
    expect(r.resolve(subsetSizeOption).valid).toBe(false);
    expect(r.issues[0]).toMatchObject({
      file: 'f1.conf',
      line: 2,
      key: 'host_subset_size',
      hint: 'the default is 1',
    });
    expect(r.issues[0]?.message).toMatch(/^Value for option host_subset_size is not valid: .*1/);
  });

  it('validates a MultiStrOpt schema over the whole list', () => {
    const spec: OptionSpec = {
      group: 'x',
      name: 'paths',
      type: 'multistr',
      default: [],
      help: '',
      schema: z.array(z.string()).max(1),
    };
    const r = new OptionResolver([parseOsloIni('[x]\npaths = a\npaths = b\n', 'f.conf')], [spec]);
    expect(r.resolve(spec).valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ line: 2, key: 'paths' });
  });

  it('gives an empty IntOpt as null (Liberty), which the schema may accept', () => {
    const r = resolver('[filter_scheduler]\nhost_subset_size =\n');
    expect(r.resolve(subsetSizeOption)).toMatchObject({ value: null, valid: true });
  });

  it('interpolates $name from the same group or DEFAULT, and $group.name', () => {
    const r = resolver(
      '[DEFAULT]\nstate_path = /srv/nova\n[opie]\nplugin_modules = $state_path/p.js, ${metrics.required}\n',
    );
    expect(r.resolve(loaderOptions[7]!).value).toEqual(['/srv/nova/p.js', 'True']);
  });

  it('reports interpolation of an unknown option and of itself', () => {
    const r = resolver('[scheduler]\ndriver = $nope\nhost_manager = x$host_manager\n');
    r.resolve(driverOption);
    r.resolve(loaderOptions[1]!);
    expect(r.issues.map((i) => [i.line, i.message, i.hint])).toEqual([
      [2, 'interpolation of $nope: no such option', 'write $$ (or \\$) for a literal dollar sign'],
      [
        3,
        'interpolation of $host_manager refers back to itself',
        'write $$ (or \\$) for a literal dollar sign',
      ],
    ]);
  });

  it('warns about every unknown option once, listing each place, with suggestions', () => {
    const r = resolver(
      '[DEFAULT]\nmy_ip = 10.0.0.1\nmy_ip = 10.0.0.2\n[filter_scheduler]\nram_weight_multipler = 2\n',
      '[DEFAULT]\nenabled_filters = RamFilter\n',
    );
    r.warnUnknown();
    expect(r.warnings.map((w) => [`${w.file}:${w.line}`, w.key, w.message, w.hint])).toEqual([
      ['f1.conf:2', 'my_ip', 'unknown option, ignored (also set at f1.conf:3)', undefined],
      [
        'f1.conf:5',
        'ram_weight_multipler',
        'unknown option, ignored',
        'did you mean ram_weight_multiplier?',
      ],
      [
        'f2.conf:2',
        'enabled_filters',
        'unknown option, ignored',
        'enabled_filters is an option of [filter_scheduler]',
      ],
    ]);
  });

  it('knows registered options under their deprecated names', () => {
    const r = resolver('[DEFAULT]\nscheduler_driver = x\n');
    r.warnUnknown();
    expect(r.warnings).toEqual([]);
    expect(r.spec('filter_scheduler', 'ram_weight_multiplier')).toBe(multiplier);
  });

  it('follows a deprecation policy: silent for some names, its own text for others', () => {
    const docs = [
      parseOsloIni(
        '[DEFAULT]\nscheduler_driver = x\nscheduler_available_filters = a\n[filter_scheduler]\navailable_filters = b\n',
        'f1.conf',
      ),
    ];
    const silent = new OptionResolver(docs, specs, { deprecation: () => undefined });
    expect(silent.resolve(driverOption)).toMatchObject({
      value: 'x',
      source: { deprecated: true },
    });
    expect(silent.resolve(availableFiltersOption).value).toEqual(['a', 'b']);
    // Values under both names are still merged, and that is still said.
    expect(silent.warnings.map((w) => w.message)).toEqual([
      '[DEFAULT] scheduler_available_filters and [filter_scheduler] available_filters are both set (values under both names are merged)',
    ]);
    const custom = new OptionResolver(docs, specs);
    custom.setPolicy({ deprecation: (old) => `old name ${old.name}` });
    custom.resolve(driverOption);
    expect(custom.warnings.map((w) => w.message)).toEqual(['old name scheduler_driver']);
  });

  it('takes the default of an unset option from the policy (a nova version default)', () => {
    const r = resolver('[scheduler]\ndriver = =\n');
    r.setPolicy({ defaultOf: (spec) => (spec.name === 'host_manager' ? 'other' : spec.default) });
    expect(r.resolve(loaderOptions[1]!).value).toBe('other');
    expect(r.resolve(driverOption).value).toBe('=');
  });

  it('tells where an option is set without converting it', () => {
    const r = resolver('[DEFAULT]\nram_weight_multiplier = abc\n');
    expect(r.placeOf(multiplier)).toEqual({
      file: 'f1.conf',
      line: 2,
      section: 'DEFAULT',
      key: 'ram_weight_multiplier',
    });
    expect(r.issues).toEqual([]);
    expect(r.placeOf(driverOption)).toBeUndefined();
  });

  it('lists unknown entries with their other places and hints', () => {
    const r = resolver(
      '[DEFAULT]\nmy_ip = 1\nmy_ip = 2\n[Filter_Scheduler]\nhost_subset_sise = 2\n',
    );
    expect(r.unknownEntries()).toEqual([
      { file: 'f1.conf', line: 2, section: 'DEFAULT', key: 'my_ip', alsoAt: ['f1.conf:3'] },
      {
        file: 'f1.conf',
        line: 5,
        section: 'Filter_Scheduler',
        key: 'host_subset_sise',
        alsoAt: [],
        hint: 'did you mean host_subset_size?',
      },
    ]);
  });
});
