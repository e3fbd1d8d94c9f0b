import { describe, expect, it } from 'vitest';
import { formatJson } from './format-json.js';

describe('formatJson', () => {
  it('prints objects one key per line and short scalar lists inline', () => {
    expect(formatJson({ a: 1, b: ['x', 'y'], c: {}, d: [] })).toBe(
      '{\n  "a": 1,\n  "b": ["x", "y"],\n  "c": {},\n  "d": []\n}\n',
    );
  });
  it('breaks lists that do not fit and lists of objects', () => {
    expect(formatJson({ k: ['aaaa', 'bbbb'] }, 12)).toBe(
      '{\n  "k": [\n    "aaaa",\n    "bbbb"\n  ]\n}\n',
    );
    expect(formatJson([{ a: null }])).toBe('[\n  {\n    "a": null\n  }\n]\n');
  });
});
