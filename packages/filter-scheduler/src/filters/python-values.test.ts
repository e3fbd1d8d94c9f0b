import { describe, expect, it } from 'vitest';
import {
  pyEquals,
  pyFloatStr,
  pyIsSpace,
  pyOrder,
  pyRepr,
  pyStr,
  pyTruthy,
} from './python-values.js';

describe('pyTruthy', () => {
  it('follows bool(): None, False, 0, empty string/list/dict are false; NaN is true', () => {
    for (const v of [null, undefined, false, 0, -0, '', [], {}, new Map()])
      expect(pyTruthy(v)).toBe(false);
    for (const v of [true, 1, -1, NaN, 'a', [0], { a: 0 }, new Map([['a', 1]])]) {
      expect(pyTruthy(v)).toBe(true);
    }
  });
});

describe('pyEquals', () => {
  it('compares numbers and booleans numerically, other kinds never equal', () => {
    expect(pyEquals(1, 1)).toBe(true);
    expect(pyEquals(1, true)).toBe(true);
    expect(pyEquals(0, false)).toBe(true);
    expect(pyEquals('1', 1)).toBe(false);
    expect(pyEquals('a', 'a')).toBe(true);
    expect(pyEquals(null, undefined)).toBe(true);
    expect(pyEquals(null, 0)).toBe(false);
  });

  it('compares lists element-wise and dicts by keys and values', () => {
    expect(pyEquals([1, 'a', [true]], [1, 'a', [1]])).toBe(true);
    expect(pyEquals([1], [1, 2])).toBe(false);
    expect(pyEquals([1], { 0: 1 })).toBe(false);
    expect(pyEquals({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(pyEquals({ a: 1 }, { a: 2 })).toBe(false);
    expect(pyEquals({ a: 1 }, { b: 1 })).toBe(false);
    expect(pyEquals(new Map([['a', 1]]), { a: 1 })).toBe(true);
  });
});

describe('pyOrder', () => {
  it('orders numbers (NaN never) and strings naturally', () => {
    expect(pyOrder('<', 1, 2)).toBe(true);
    expect(pyOrder('>=', 2, 2)).toBe(true);
    expect(pyOrder('<', true, 2)).toBe(true);
    expect(pyOrder('<', NaN, 1)).toBe(false);
    expect(pyOrder('>=', NaN, 1)).toBe(false);
    expect(pyOrder('<', 'abc', 'abd')).toBe(true);
    expect(pyOrder('>', '10', '9')).toBe(false);
  });

  it('orders mixed kinds like Python 2: None < numbers < dicts < lists < strings', () => {
    expect(pyOrder('<', null, 0)).toBe(true);
    expect(pyOrder('<', 1e9, {})).toBe(true);
    expect(pyOrder('<', {}, [])).toBe(true);
    expect(pyOrder('<', [], '')).toBe(true);
    expect(pyOrder('>', '1', 5)).toBe(true);
    expect(pyOrder('<=', null, null)).toBe(true);
    expect(pyOrder('<', null, undefined)).toBe(false);
  });

  it('orders lists lexicographically, then by length', () => {
    expect(pyOrder('<', [1, 2], [1, 3])).toBe(true);
    expect(pyOrder('<', [1, 2], [1, 2, 0])).toBe(true);
    expect(pyOrder('>=', [1, 2], [1, 2])).toBe(true);
    expect(pyOrder('>', [2], [1, 9])).toBe(true);
  });

  it('orders dicts by size only', () => {
    expect(pyOrder('<', { a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(pyOrder('<=', { a: 1 }, { a: 1 })).toBe(true);
    expect(pyOrder('<', { a: 1 }, { a: 2 })).toBe(false);
    expect(pyOrder('>', { a: 1 }, { a: 2 })).toBe(false);
    expect(pyOrder('<=', { a: 1 }, { a: 2 })).toBe(false);
  });
});

describe('pyStr / pyRepr', () => {
  it('prints scalars the Python way', () => {
    expect(pyStr('abc')).toBe('abc');
    expect(pyStr(5)).toBe('5');
    expect(pyStr(1.5)).toBe('1.5');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(false)).toBe('False');
    expect(pyStr(null)).toBe('None');
    expect(pyStr(Infinity)).toBe('inf');
  });

  it('prints lists and dicts like Python 3 repr', () => {
    expect(pyStr(['aes', 'mmx', 'aux'])).toBe("['aes', 'mmx', 'aux']");
    expect(pyStr({ cores: 1, flags: ['a'], ok: true, none: null })).toBe(
      "{'cores': 1, 'flags': ['a'], 'ok': True, 'none': None}",
    );
    expect(pyStr(new Map([['k', 'v']]))).toBe("{'k': 'v'}");
  });

  it('quotes and escapes strings like Python repr', () => {
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('say "hi"')).toBe('\'say "hi"\'');
    expect(pyRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pyRepr('a\\b\n\t\r\u0001')).toBe("'a\\\\b\\n\\t\\r\\x01'");
    expect(pyRepr('é')).toBe("'é'");
  });

  it('pyFloatStr keeps a .0 on integral floats', () => {
    expect(pyFloatStr(16)).toBe('16.0');
    expect(pyFloatStr(1.5)).toBe('1.5');
    expect(pyFloatStr(-Infinity)).toBe('-inf');
    expect(pyFloatStr(NaN)).toBe('nan');
    expect(pyFloatStr(1e20)).toBe('100000000000000000000');
  });
});

describe('pyIsSpace', () => {
  it('knows Python whitespace, not the BOM', () => {
    for (const c of [' ', '\t', '\n', '\x1c', '\x85', '\u00a0', '\u3000']) {
      expect(pyIsSpace(c.charCodeAt(0))).toBe(true);
    }
    for (const c of ['a', '_', '\ufeff', '\u200b']) expect(pyIsSpace(c.charCodeAt(0))).toBe(false);
  });
});
