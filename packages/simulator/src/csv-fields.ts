import { RowProblem } from './bad-row.js';

/**
 * The fields of one CSV line (RFC 4180 quoting: `"a,b"` and `""` inside
 * quotes; no line breaks inside fields, since traces are read line by
 * line). Lines without quotes take a fast path.
 */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) throw new RowProblem('unterminated quoted field');
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      if (i < n && line[i] !== ',') throw new RowProblem('text after a closing quote');
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      fields.push(line.slice(i, end));
      i = end;
    }
    if (i >= n) return fields;
    i += 1; // the comma
    if (i === n) {
      fields.push('');
      return fields;
    }
  }
}
