import { configValuesFrom, createRuntime, silentLogger } from '@opie/core';
import type { Logger } from '@opie/core';
import type { HostOverrides } from '@opie/testing';
import { makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it, vi } from 'vitest';
import { createJsonFilter, jsonFilterPlugin } from './json-filter.js';

const filter = createJsonFilter();

function passes(query: unknown, host: HostOverrides = {}): boolean {
  const request = makeRequest({ schedulerHints: { query: [JSON.stringify(query)] } });
  return filter.hostPasses(makeHost(host), request);
}

const ramAndDisk = ['and', ['>=', '$free_ram_mb', 1024], ['>=', '$free_disk_mb', 200 * 1024]];

describe('JsonFilter', () => {
  it('is nova JsonFilter, run for every instance', () => {
    expect(filter.name).toBe('JsonFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    expect(jsonFilterPlugin.classPath).toBe('nova.scheduler.filters.json_filter.JsonFilter');
    const f = jsonFilterPlugin.create({ conf: configValuesFrom([]), runtime: createRuntime() });
    expect(f.name).toBe('JsonFilter');
  });

  it('test_json_filter_passes (nova)', () => {
    expect(passes(ramAndDisk, { freeRamMb: 1024, freeDiskMb: 200 * 1024 })).toBe(true);
  });

  it('test_json_filter_passes_with_no_query (nova)', () => {
    const host = makeHost({ freeRamMb: 0, freeDiskMb: 0 });
    expect(filter.hostPasses(host, makeRequest({ schedulerHints: {} }))).toBe(true);
    expect(filter.hostPasses(host, makeRequest({ schedulerHints: { query: '' } }))).toBe(true);
    expect(filter.hostPasses(host, makeRequest({ schedulerHints: { query: [] } }))).toBe(true);
  });

  it('test_json_filter_fails_on_memory (nova)', () => {
    expect(passes(ramAndDisk, { freeRamMb: 1023, freeDiskMb: 200 * 1024 })).toBe(false);
  });

  it('test_json_filter_fails_on_disk (nova)', () => {
    expect(passes(ramAndDisk, { freeRamMb: 1024, freeDiskMb: 200 * 1024 - 1 })).toBe(false);
  });

  it('test_json_filter_fails_on_service_disabled (nova): no service gives an empty not-list', () => {
    const query = [...ramAndDisk, ['not', '$service.disabled']];
    expect(passes(query, { freeRamMb: 1024, freeDiskMb: 200 * 1024, service: undefined })).toBe(
      false,
    );
  });

  it('keeps the Python quirk: a non-empty not-list is truthy inside and', () => {
    const query = [...ramAndDisk, ['not', '$service.disabled']];
    const host = {
      freeRamMb: 1024,
      freeDiskMb: 200 * 1024,
      service: { host: 'host1', disabled: true },
    };
    expect(passes(query, host)).toBe(true);
  });

  it('test_json_filter_happy_day (nova), with stats standing in for capabilities', () => {
    const raw = [
      'and',
      '$stats.enabled',
      ['=', '$stats.opt1', 'match'],
      [
        'or',
        ['and', ['<', '$free_ram_mb', 30], ['<', '$free_disk_mb', 300]],
        ['and', ['>', '$free_ram_mb', 30], ['>', '$free_disk_mb', 300]],
      ],
    ];
    const host = (stats: Record<string, string>, freeRamMb: number, freeDiskMb: number) => ({
      stats,
      freeRamMb,
      freeDiskMb,
    });
    expect(passes(raw, host({ opt1: 'match' }, 10, 200))).toBe(true);
    expect(passes(raw, host({ opt1: 'match' }, 40, 400))).toBe(true);
    // stats.enabled is an empty (false) string.
    expect(passes(raw, host({ enabled: '', opt1: 'match' }, 40, 400))).toBe(false);
    expect(passes(raw, host({ enabled: 'True', opt1: 'match' }, 30, 300))).toBe(false);
    expect(passes(raw, host({ enabled: 'True', opt1: 'match' }, 20, 400))).toBe(false);
    expect(passes(raw, host({ enabled: 'True', opt1: 'no-match' }, 20, 400))).toBe(false);
  });

  it('test_json_filter_basic_operators (nova)', () => {
    const table: Array<[string, unknown[], boolean]> = [
      ['=', [1, 1], true],
      ['=', [1, 2], false],
      ['<', [1, 2], true],
      ['<', [1, 1], false],
      ['<', [2, 1], false],
      ['>', [2, 1], true],
      ['>', [2, 2], false],
      ['>', [2, 3], false],
      ['<=', [1, 2], true],
      ['<=', [1, 1], true],
      ['<=', [2, 1], false],
      ['>=', [2, 1], true],
      ['>=', [2, 2], true],
      ['>=', [2, 3], false],
      ['in', [1, 1], true],
      ['in', [1, 1, 2, 3], true],
      ['in', [4, 1, 2, 3], false],
      ['not', [true], false],
      ['not', [false], true],
      ['or', [true, false], true],
      ['or', [false, false], false],
      ['and', [true, true], true],
      ['and', [false, false], false],
      ['and', [true, false], false],
      [
        'and',
        [
          ['or', true, false],
          ['>', 2, 1],
        ],
        true,
      ],
    ];
    for (const [op, args, expected] of table) {
      expect(passes([op, ...args]), `${op} ${JSON.stringify(args)}`).toBe(expected);
    }
    // [False, True, False, True]: any is true.
    expect(passes(['not', true, false, true, false])).toBe(true);
    expect(passes(['not', true, true, true])).toBe(false);
  });

  it('test_json_filter_unknown_operator_raises (nova): every host fails instead', () => {
    const warn = vi.fn();
    const logger: Logger = { ...silentLogger, warn };
    const f = createJsonFilter({ logger });
    const request = makeRequest({ schedulerHints: { query: JSON.stringify(['!=', 1, 2]) } });
    expect(f.hostPasses(makeHost({ host: 'a' }), request)).toBe(false);
    expect(f.hostPasses(makeHost({ host: 'b' }), request)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('unknown operator');
  });

  it('an unknown operator in a nested query also fails every host', () => {
    expect(passes(['or', true, ['xor', 1, 2]])).toBe(false);
    expect(passes([['=', 1, 1]])).toBe(false);
    expect(passes([7, 1])).toBe(false);
  });

  it('test_json_filter_empty_filters_pass (nova)', () => {
    expect(passes([])).toBe(true);
    expect(passes({})).toBe(true);
    expect(passes(['and', []])).toBe(true);
  });

  it('test_json_filter_invalid_num_arguments_fails (nova)', () => {
    expect(passes(['>', ['and', ['or', ['not', ['<', ['>=', ['<=', ['in']]]]]]]])).toBe(false);
    expect(passes(['>', 1])).toBe(false);
  });

  it('test_json_filter_unknown_variable_ignored (nova)', () => {
    expect(passes(['=', '$........', 1, 1])).toBe(true);
    expect(passes(['=', '$foo', 2, 2])).toBe(true);
  });

  it('fails every host on JSON that does not parse, or a hint with several queries', () => {
    const host = makeHost();
    expect(filter.hostPasses(host, makeRequest({ schedulerHints: { query: '["=", 1' } }))).toBe(
      false,
    );
    const two = makeRequest({ schedulerHints: { query: ['["=", 1, 1]', '["=", 1, 1]'] } });
    expect(filter.hostPasses(host, two)).toBe(false);
  });

  it('reads a plain string hint as well as a one-element list', () => {
    const host = makeHost({ freeRamMb: 2048 });
    const q = JSON.stringify(['>', '$free_ram_mb', 1024]);
    expect(filter.hostPasses(host, makeRequest({ schedulerHints: { query: q } }))).toBe(true);
    expect(filter.hostPasses(host, makeRequest({ schedulerHints: { query: [q] } }))).toBe(true);
  });

  it('falsy JSON queries pass every host; other non-list queries fail every host', () => {
    for (const q of [0, false, null, '']) expect(passes(q)).toBe(true);
    for (const q of [5, true, { a: 1 }]) expect(passes(q)).toBe(false);
  });

  it('a JSON string query is indexed by character, as in Python', () => {
    // "<ab": op "<", arguments "a" and "b": 'a' < 'b'.
    expect(passes('<ab')).toBe(true);
    expect(passes('<ba')).toBe(false);
    expect(passes('abc')).toBe(false);
  });

  it('looks up dict members of host attributes ($stats.key, $limits.memory_mb, $service.host)', () => {
    expect(passes(['=', '$stats.foo', 'bar'], { stats: { foo: 'bar' } })).toBe(true);
    expect(passes(['=', '$limits.memory_mb', 1536], { limits: { memoryMb: 1536 } })).toBe(true);
    expect(passes(['=', '$service.host', 'h9'], { host: 'h9' })).toBe(true);
    expect(passes(['in', '$hypervisor_type', 'kvm', 'qemu'], { hypervisorType: 'qemu' })).toBe(
      true,
    );
    expect(passes(['=', '$host', 'h1', 'h1'], { host: 'h1' })).toBe(true);
  });

  it('a dotted lookup into something that is not a dict fails that host (nova raises)', () => {
    expect(passes(['=', '$cpu_info.vendor', 'Intel'], { cpuInfo: '{"vendor": "Intel"}' })).toBe(
      false,
    );
    expect(passes(['not', ['=', '$metrics.cpu', 1]], {})).toBe(false);
    // A None attribute is dropped before any lookup.
    expect(passes(['=', '$cpu_info.vendor', 1, 1], { cpuInfo: undefined })).toBe(true);
  });

  it('drops None and empty-string arguments', () => {
    expect(passes(['=', null, 1, 1])).toBe(true);
    expect(passes(['=', '', 1, 1])).toBe(true);
    expect(passes(['=', 1, ''])).toBe(false);
  });

  it('compares mixed kinds the Python 2 way', () => {
    expect(passes(['>', '$stats.n', 3], { stats: { n: '1' } })).toBe(true);
    expect(passes(['=', '$stats.n', 1], { stats: { n: '1' } })).toBe(false);
    expect(passes(['=', 1, true])).toBe(true);
    // numbers < dicts < lists < strings
    expect(passes(['<', 1, {}, 'a'])).toBe(true);
    expect(
      passes(['>', '$supported_instances', {}, 5], {
        supportedInstances: [['x86_64', 'kvm', 'hvm']],
      }),
    ).toBe(true);
    expect(
      passes(['<', '$supported_instances', 'a'], {
        supportedInstances: [['x86_64', 'kvm', 'hvm']],
      }),
    ).toBe(true);
    // Lists (not-results) compare element by element.
    expect(passes(['<', ['not', true], ['not', false]])).toBe(true);
    expect(passes(['in', ['not', false], ['not', true], ['not', false]])).toBe(true);
    expect(passes(['in', ['not', false], ['not', true]])).toBe(false);
    // A list sub-query is never a literal list.
    expect(passes(['=', 1, [1]])).toBe(false);
  });

  it('parses the query once per request, not once per host', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const f = createJsonFilter();
      const request = makeRequest({
        schedulerHints: { query: JSON.stringify(['>', '$free_ram_mb', 0]) },
      });
      for (let i = 0; i < 20; i++)
        expect(f.hostPasses(makeHost({ host: `h${i}` }), request)).toBe(true);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});
