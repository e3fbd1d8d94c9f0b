import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns columns, leaves last cells unpadded and lets short rows end early', () => {
    const text = formatTable([
      ['A', 'BB', 'C'],
      ['aaa', 'b', 'c'],
      ['x', 'a long last cell'],
    ]);
    expect(text).toBe(['  A    BB  C', '  aaa  b   c', '  x    a long last cell'].join('\n'));
  });

  it('caps a column width: a longer cell shifts only its row', () => {
    const text = formatTable(
      [
        ['abcdefgh', '1'],
        ['a', '2'],
      ],
      '',
      4,
    );
    expect(text).toBe('abcdefgh  1\na     2');
  });
});
