/**
 * Python's `int()` and `float()` on strings, as oslo.config and nova's
 * filters use them: surrounding blanks allowed, `int('3.0')` and
 * `int('0x10')` rejected, `float('1e3')`, `float('inf')` accepted.
 * Return `undefined` where Python raises ValueError.
 */

const INT_RE = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT_RE =
  /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+)?|\d+(?:_\d+)*\.(?:[eE][+-]?\d+)?)$/;
const SPECIAL: Record<string, number> = {
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
};

export function parsePythonInt(raw: string): number | undefined {
  const s = raw.trim();
  if (!INT_RE.test(s)) return undefined;
  return Number.parseInt(s.replaceAll('_', ''), 10);
}

export function parsePythonFloat(raw: string): number | undefined {
  const s = raw.trim();
  const special = SPECIAL[s.toLowerCase()];
  if (special !== undefined) return special;
  if (!FLOAT_RE.test(s)) return undefined;
  return Number.parseFloat(s.replaceAll('_', ''));
}
