import { pyIsSpace } from './python-values.js';

/**
 * Whether `value` is one of the comma-separated, stripped pieces of `raw`
 * (nova's `value in [x.strip() for x in raw.split(',')]`), without
 * allocating the pieces: aggregate metadata is read for every host.
 */
export function commaListIncludes(raw: string, value: string): boolean {
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf(',', start);
    if (end < 0) end = raw.length;
    let a = start;
    let b = end;
    while (a < b && pyIsSpace(raw.charCodeAt(a))) a++;
    while (b > a && pyIsSpace(raw.charCodeAt(b - 1))) b--;
    if (b - a === value.length && raw.startsWith(value, a)) return true;
    start = end + 1;
  }
  return false;
}
