const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads an ISO 8601 time (`2024-03-05T12:00:00Z`, `2024-03-05 12:00:00.123456`,
 * `2024-03-05T13:00+01:00`, `2024-03-05`) or epoch milliseconds into epoch
 * milliseconds. A time without a zone is UTC, as nova stores times. Returns
 * `undefined` when the value is not such a time.
 *
 * Resolution: one millisecond. Fractional seconds beyond three digits are
 * dropped (nova's microseconds included), so two instances started 0.3 ms
 * apart get the same `createdAt` and weigh the same under the duration,
 * billing and age weighers (see @opie/weighers' README, "Time resolution").
 */
export function parseTime(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const m = ISO_TIME.exec(value.trim());
  if (m === null) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = hs === undefined ? 0 : Number(hs);
  const mi = mis === undefined ? 0 : Number(mis);
  const s = ss === undefined ? 0 : Number(ss);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 2024-02-30 over to March; reject such dates.
  if (new Date(t).getUTCDate() !== d) return undefined;
  return t - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** Whether `value` is a time string `parseTime` accepts. */
export function isTimeString(value: string): boolean {
  return parseTime(value) !== undefined;
}
