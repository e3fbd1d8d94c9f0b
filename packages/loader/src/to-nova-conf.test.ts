import type { OptionSpec } from '@opie/core';
import fc from 'fast-check';
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

  it('writes #, ;, =, :, quotes, blanks, line breaks and non-ASCII text so that oslo reads them back', () => {
    // Each value is read back through the oslo parser and resolver; the
    // expected value is the input itself.
    const values = [
      'a # b',
      '#starts with a hash',
      'x ; y;z',
      'key=value = more',
      'host:port',
      '"quoted"',
      "'single'",
      '"',
      "it's",
      '  leading and trailing  ',
      'Zürich 東京 ☃',
      'costs $5',
      'two\nlines',
      '',
    ];
    const specs: OptionSpec[] = values.map((_, i) => ({
      group: 'DEFAULT',
      name: `v${i}`,
      type: 'str',
      default: null,
      help: '',
    }));
    const text = toNovaConf(values.map((v, i) => o('DEFAULT', `v${i}`, 'str', v)));
    expect(text).not.toMatch(/cannot be written/);
    const doc = parseOsloIni(text, 'written.conf');
    expect(doc.issues).toEqual([]);
    const resolver = new OptionResolver([doc], specs);
    expect(specs.map((spec) => resolver.resolve(spec).value)).toEqual(values);
    expect(resolver.issues).toEqual([]);
  });

  it('writes # and ; as they are: oslo has no inline comments and no escapes', () => {
    expect(toNovaConf([o('DEFAULT', 'hash', 'str', 'a # b; c')])).toContain('\nhash = a # b; c\n');
    expect(toNovaConf([o('DEFAULT', 'q', 'str', '"x"')])).toContain(`\nq = '"x"'\n`);
  });

  it('lists in a comment the values nova.conf cannot hold', () => {
    const text = toNovaConf([
      o('DEFAULT', 'commas', 'list', ['a,b']),
      o('DEFAULT', 'lone', 'list', ['']),
      o('DEFAULT', 'none', 'multistr', []),
      o('DEFAULT', 'blank_line', 'str', 'a\n\nb'),
      o('DEFAULT', 'indented', 'str', 'a\n  b'),
      o('DEFAULT', 'cr', 'str', 'a\rb'),
      o('DEFAULT', 'fine', 'str', 'x'),
    ]);
    expect(text).toContain('# [DEFAULT] commas cannot be written: ["a,b"]');
    expect(text).toContain('# [DEFAULT] lone cannot be written: [""]');
    expect(text).toContain('# [DEFAULT] none cannot be written: []');
    expect(text).toContain('# [DEFAULT] blank_line cannot be written: "a\\n\\nb"');
    expect(text).toContain('# [DEFAULT] indented cannot be written: "a\\n  b"');
    expect(text).toContain('# [DEFAULT] cr cannot be written: "a\\rb"');
    expect(text).toContain('\nfine = x\n');
  });

  it('any string value is either read back unchanged or listed as not writable (property)', () => {
    const spec: OptionSpec = { group: 'g', name: 'k', type: 'str', default: null, help: '' };
    const multi: OptionSpec = { group: 'g', name: 'm', type: 'multistr', default: null, help: '' };
    const chars = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '\t',
      '#',
      ';',
      '=',
      ':',
      '"',
      "'",
      '$',
      '\n',
      'é',
      '☃',
      '[',
      ']',
    );
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 12 }),
        fc.array(fc.string({ unit: chars, maxLength: 6 }), { maxLength: 3 }),
        (value, values) => {
          const text = toNovaConf([o('g', 'k', 'str', value), o('g', 'm', 'multistr', values)]);
          const resolver = new OptionResolver([parseOsloIni(text, 'w.conf')], [spec, multi]);
          if (!text.includes('[g] k cannot be written'))
            expect(resolver.resolve(spec).value).toBe(value);
          if (!text.includes('[g] m cannot be written'))
            expect(resolver.resolve(multi).value).toEqual(values);
          // Only what nova.conf cannot hold is refused.
          const holdable = (v: string) =>
            !v.includes('\r') &&
            v
              .split('\n')
              .slice(1)
              .every((l) => l !== '' && l === l.trim());
          expect(text.includes('[g] k cannot be written')).toBe(!holdable(value));
          expect(text.includes('[g] m cannot be written')).toBe(
            values.length === 0 || !values.every(holdable),
          );
        },
      ),
      { numRuns: 500 },
    );
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
