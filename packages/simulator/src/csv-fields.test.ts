import { describe, expect, it } from 'vitest';
import { RowProblem } from './bad-row.js';
import { splitCsvLine } from './csv-fields.js';

describe('splitCsvLine', () => {
  it('splits plain lines, keeping empty fields', () => {
    expect(splitCsvLine('a,b,,d')).toEqual(['a', 'b', '', 'd']);
    expect(splitCsvLine('a,')).toEqual(['a', '']);
    expect(splitCsvLine('')).toEqual(['']);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    expect(splitCsvLine('"a,b",c')).toEqual(['a,b', 'c']);
    expect(splitCsvLine('x,"say ""hi""",')).toEqual(['x', 'say "hi"', '']);
    expect(splitCsvLine('"",1')).toEqual(['', '1']);
  });

  it('rejects an unterminated quote and text after a closing quote', () => {
    expect(() => splitCsvLine('"abc,1')).toThrow(RowProblem);
    expect(() => splitCsvLine('"abc"x,1')).toThrow(/after a closing quote/);
  });
});
