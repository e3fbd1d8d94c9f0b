import type { OptionSpec } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { fakeRegistry } from './__fixtures__/fake-plugins.js';
import { parseOsloIni } from './oslo-ini.js';
import { OptionResolver } from './resolve.js';
import { resolveSchedulerConfig } from './resolve-scheduler-config.js';
import { toNovaConf } from './to-nova-conf.js';
import type { WritableOption } from './to-nova-conf.js';

const o = (
  group: string,
  name: string,
  type: OptionSpec['type'],
  value: WritableOption['value'],
) => ({
  group,
  name,
  value,
  spec: { type },
});

describe('toNovaConf', () => {
  it('writes DEFAULT first, then sections in order, with oslo spellings', () => {
    const text = toNovaConf([
      o('scheduler', 'driver', 'str', 'filter_scheduler'),
      o('DEFAULT', 'ram_allocation_ratio', 'float', 1),
      o('DEFAULT', 'flag', 'bool', false),
      o('filter_scheduler', 'enabled_filters', 'list', ['RamFilter', 'CoreFilter']),
      o('filter_scheduler', 'available_filters', 'multistr', ['a.all_filters', 'b.MyFilter']),
      o('filter_scheduler', 'host_subset_size', 'int', null),
      o('filter_scheduler', 'unset', 'str', null),
    ]);
    expect(text).toBe(
      [
        '# Effective configuration written by opie.',
        '',
        '[DEFAULT]',
        'ram_allocation_ratio = 1.0',
        'flag = false',
        '',
        '[filter_scheduler]',
        'enabled_filters = RamFilter, CoreFilter',
        'available_filters = a.all_filters',
        'available_filters = b.MyFilter',
        'host_subset_size = ',
        '',
        '[scheduler]',
        'driver = filter_scheduler',
        '',
      ].join('\n'),
    );
  });

  it('escapes $ so that interpolation gives the value back', () => {
    const text = toNovaConf([o('DEFAULT', 'price', 'str', 'costs $5')]);
    expect(text).toContain('price = costs $$5');
  });

  it('lists values the encoder cannot write faithfully in a comment', () => {
    const text = toNovaConf([
      o('DEFAULT', 'hash', 'str', 'a # b'),
      o('DEFAULT', 'commas', 'list', ['a,b']),
      o('DEFAULT', 'lone', 'list', ['']),
      o('DEFAULT', 'none', 'multistr', []),
      o('DEFAULT', 'fine', 'str', 'x'),
    ]);
    expect(text).toContain('# [DEFAULT] hash cannot be written: "a # b"');
    expect(text).toContain('# [DEFAULT] commas cannot be written: ["a,b"]');
    expect(text).toContain('# [DEFAULT] lone cannot be written: [""]');
    expect(text).toContain('# [DEFAULT] none cannot be written: []');
    expect(text).toContain('\nfine = x\n');
  });

  it('writes non-finite floats as Python spells them', () => {
    expect(toNovaConf([o('DEFAULT', 'r', 'float', Infinity)])).toContain('r = inf');
  });

  it('round-trips a resolved configuration through the oslo parser', () => {
    const config = resolveSchedulerConfig({
      files: [
        {
          path: 'nova.conf',
          text: '[DEFAULT]\nscheduler_default_filters = RamFilter, CoreFilter\nram_weight_multiplier = 2.5\nram_allocation_ratio = 1.0\n[filter_scheduler]\nhost_subset_size =\n',
        },
      ],
      registry: fakeRegistry(),
    });
    const text = toNovaConf(config.options);
    const doc = parseOsloIni(text, 'written.conf');
    expect(doc.issues).toEqual([]);
    const resolver = new OptionResolver([doc], fakeRegistry().options());
    for (const option of config.options) {
      expect(resolver.resolve(option.spec).value).toEqual(option.value);
    }
    expect(resolver.issues).toEqual([]);
  });
});
