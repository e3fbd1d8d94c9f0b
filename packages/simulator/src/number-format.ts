/** An integer with thin-space-free thousands separators: `1,234,567`. */
export function formatCount(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** A fraction as a percentage with one decimal: `0.9522` → `95.2 %`. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** A number with at most `digits` decimals, trailing zeros dropped. */
export function formatDecimal(n: number, digits = 2): string {
  let fixed = n.toFixed(digits);
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** Microseconds as `850 µs`, `12.3 ms` or `1.20 s`. */
export function formatMicros(us: number): string {
  if (us < 1000) return `${formatDecimal(us, us < 10 ? 2 : 0)} µs`;
  if (us < 1e6) return `${formatDecimal(us / 1000, 1)} ms`;
  return `${(us / 1e6).toFixed(2)} s`;
}

/** Seconds as hours, thousands grouped: `42032` → `11.68 h`, `59263776` → `16,462.16 h`. */
export function formatHours(seconds: number): string {
  const text = formatDecimal(seconds / 3600, 2);
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''} h`;
}

/** A span of seconds as `31d 2h`, `5h 3m`, `42m`, `17s`. */
export function formatSpan(seconds: number): string {
  let s = Math.floor(Math.max(0, seconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}
