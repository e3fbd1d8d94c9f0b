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

const DECIMAL_DIGIT = /\p{Nd}/u;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Python accepts every Unicode decimal digit (`int('٥')` is 5): map them to
 * ASCII. Decimal-digit blocks are runs of ten starting at their zero, so a
 * digit's value is its distance from the start of its block, modulo 10.
 */
function asciiDigits(s: string): string {
  if (isAscii(s)) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80 || !DECIMAL_DIGIT.test(ch)) {
      out += ch;
      continue;
    }
    let start = cp;
    while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    out += String((cp - start) % 10);
  }
  return out;
}

export function parsePythonInt(raw: string): number | undefined {
  const s = asciiDigits(raw.trim());
  if (!INT_RE.test(s)) return undefined;
  return Number.parseInt(s.replaceAll('_', ''), 10);
}

export function parsePythonFloat(raw: string): number | undefined {
  const s = asciiDigits(raw.trim());
  const special = SPECIAL[s.toLowerCase()];
  if (special !== undefined) return special;
  if (!FLOAT_RE.test(s)) return undefined;
  return Number.parseFloat(s.replaceAll('_', ''));
}
