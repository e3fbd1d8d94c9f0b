import { describe, expect, it } from 'vitest';
import { columnsOf, InvalidArgumentError, PluginFailedError } from '@opie/core';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import { runFilterStage } from '../pipeline/filter-stage.js';
import { createJsonFilter, jsonFilterPlugin } from './json-filter.js';
import { py3Order, pyTypeName } from './python-values.js';

/*
 * nova Zed's JsonFilter, ported by behaviour from
 * nova/tests/unit/scheduler/filters/test_json_filters.py (stable/zed), and
 * Python 3's comparison rules: values of one kind compare as in Liberty;
 * values of different kinds raise TypeError ('<' not supported between
 * instances of 'str' and 'int'), which nova does not catch, so the request
 * fails. Expected results are the truth values of the Python expressions.
 */

const zed = createJsonFilter({ novaVersion: 'zed' });
const liberty = createJsonFilter();
const query = (raw: unknown) => makeRequest({ schedulerHints: { query: [JSON.stringify(raw)] } });
const host = makeHost({ freeRamMb: 1024, stats: { x: '5' } });

describe('JsonFilter (nova Zed)', () => {
  it('test_json_filter_basic_operators: same-kind comparisons as in Liberty', () => {
    const cases: [unknown[], boolean][] = [
      [['=', 1, 1], true],
      [['<', 1, 2], true],
      [['<', 2, 1], false],
      [['>=', 2, 2], true],
      [['in', 4, 1, 2, 3], false],
      [['<', 'a', 'b'], true],
      [['and', ['or', true, false], ['>', 2, 1]], true],
      [['not', true, false], true],
      [['>', 1], false],
      // bool is an int in Python: True > 0.
      [['>', true, 0], true],
    ];
    for (const [raw, expected] of cases) expect(zed.hostPasses(host, query(raw))).toBe(expected);
  });

  it('test_json_filter_unknown_variable_ignored and _empty_filters_pass, as in Liberty', () => {
    expect(zed.hostPasses(host, query(['=', '$foo', 2, 2]))).toBe(true);
    expect(zed.hostPasses(host, query([]))).toBe(true);
    expect(zed.hostPasses(host, query({}))).toBe(true);
  });

  it('a comparison of different kinds raises TypeError (Liberty orders str above int)', () => {
    const raw = ['<', '$stats.x', 5];
    expect(() => zed.hostPasses(host, query(raw))).toThrow(TypeError);
    expect(() => zed.hostPasses(host, query(raw))).toThrow(
      "'<' not supported between instances of 'str' and 'int'",
    );
    // Python 2: every str is greater than every int, so '5' < 5 is False.
    expect(liberty.hostPasses(host, query(raw))).toBe(false);
  });

  it('test_json_filter_unknown_operator_raises: the request fails naming the hint', () => {
    expect(() => zed.hostPasses(host, query(['!=', 1, 2]))).toThrow(InvalidArgumentError);
    expect(() => zed.hostPasses(host, query(['!=', 1, 2]))).toThrow(
      /spec\.schedulerHints\.query.*unknown operator "!="/,
    );
    const badJson = makeRequest({ schedulerHints: { query: '[' } });
    expect(() => zed.hostPasses(host, badJson)).toThrow(/invalid JSON/);
    expect(liberty.hostPasses(host, query(['!=', 1, 2]))).toBe(false);
  });

  it("a lookup into a value that is not a dict raises (nova's AttributeError)", () => {
    const cpu = makeHost({ cpuInfo: '{"vendor": "Intel"}' });
    expect(() => zed.hostPasses(cpu, query(['=', '$cpu_info.vendor', 'Intel']))).toThrow(
      "'str' object has no attribute 'get' (looking up $cpu_info.vendor)",
    );
    expect(liberty.hostPasses(cpu, query(['=', '$cpu_info.vendor', 'Intel']))).toBe(false);
  });

  it('through the filter stage the request fails with a PluginFailedError naming JsonFilter', () => {
    const states = [makeHost({ host: 'a', stats: { x: '5' } })];
    const rows = Int32Array.from([0]);
    const run = () =>
      runFilterStage([zed], columnsOf(states, 'full'), rows, 1, query(['>', '$stats.x', 1]));
    expect(run).toThrow(PluginFailedError);
    expect(run).toThrow(/JsonFilter.*'>' not supported between instances of 'str' and 'int'/);
  });

  it('the plugin follows [opie] nova_version', () => {
    const raw = query(['<', '$stats.x', 5]);
    const make = (values: Record<string, string>) =>
      jsonFilterPlugin.create(pluginContext(jsonFilterPlugin, values));
    expect(() => make({ 'opie.nova_version': 'zed' }).hostPasses(host, raw)).toThrow(TypeError);
    expect(make({}).hostPasses(host, raw)).toBe(false);
  });
});

describe('py3Order and pyTypeName', () => {
  it("orders numbers, strings and lists, and raises for other pairs with Python's type names", () => {
    expect(py3Order('<', 1, 2.5)).toBe(true);
    expect(py3Order('>=', 'b', 'a')).toBe(true);
    expect(py3Order('<', [1, 'a'], [1, 'b'])).toBe(true);
    expect(py3Order('<', [1], [1, 0])).toBe(true);
    expect(() => py3Order('<', [1], ['a'])).toThrow(
      "'<' not supported between instances of 'int' and 'str'",
    );
    expect(() => py3Order('<=', { a: 1 }, { a: 1 })).toThrow(
      "between instances of 'dict' and 'dict'",
    );
    expect(() => py3Order('>', 1.5, null)).toThrow("instances of 'float' and 'NoneType'");
    expect([true, 1, 1.5, 's', [], {}, null].map(pyTypeName)).toEqual([
      'bool',
      'int',
      'float',
      'str',
      'list',
      'dict',
      'NoneType',
    ]);
  });
});
