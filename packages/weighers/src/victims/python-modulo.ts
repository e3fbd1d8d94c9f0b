/** Python's float `%`: the result takes the divisor's sign, so it is in `[0, period)`. */
export function pythonModulo(value: number, period: number): number {
  const r = value % period;
  return r < 0 ? r + period : r;
}
