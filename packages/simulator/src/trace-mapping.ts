/** The fields of a trace row the generic formats read. */
export const TRACE_FIELDS = [
  'id',
  'arrival',
  'end',
  'lifetime',
  'vcpus',
  'memory_mb',
  'disk_gb',
  'preemptible',
  'priority',
] as const;
export type TraceField = (typeof TRACE_FIELDS)[number];

/** The numeric fields `--scale` can multiply. */
export const SCALABLE_FIELDS = [
  'arrival',
  'end',
  'lifetime',
  'vcpus',
  'memory_mb',
  'disk_gb',
  'priority',
] as const;
export type ScalableField = (typeof SCALABLE_FIELDS)[number];

/** Which trace column (CSV header name, JSON key) holds each field; only these are read. */
export type ColumnMapping = Partial<Record<TraceField, string>>;

/** Factors the raw values are multiplied by, before unit conversion and rounding. */
export type ScaleFactors = Partial<Record<ScalableField, number>>;

/** Rows whose `column` holds one of `values` are preemptible, every other row normal. */
export interface PreemptibleRule {
  column: string;
  values: readonly string[];
}

/** A bad `--columns`, `--scale` or `--preemptible-when` value. */
export class TraceMappingError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'TraceMappingError';
  }
}

const isField = (v: string): v is TraceField => (TRACE_FIELDS as readonly string[]).includes(v);
const isScalable = (v: string): v is ScalableField =>
  (SCALABLE_FIELDS as readonly string[]).includes(v);

function pairs(text: string, option: string, example: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq < 0 ? '' : item.slice(0, eq).trim();
    const value = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (key === '' || value === '')
      throw new TraceMappingError(option, `expected field=value, got "${item}" (e.g. ${example})`);
    out.push([key, value]);
  }
  if (out.length === 0)
    throw new TraceMappingError(option, `expected field=value[,field=value...] (e.g. ${example})`);
  return out;
}

/** `id=vmid,arrival=starttime,...` → a column mapping. */
export function parseColumnsOption(text: string, option = '--columns'): ColumnMapping {
  const out: ColumnMapping = {};
  for (const [field, column] of pairs(text, option, 'arrival=start_s,memory_mb=mem')) {
    const key = field.toLowerCase();
    if (!isField(key))
      throw new TraceMappingError(
        option,
        `unknown field "${field}" (the fields: ${TRACE_FIELDS.join(', ')})`,
      );
    if (out[key] !== undefined)
      throw new TraceMappingError(option, `${key} is mapped twice ("${out[key]}", "${column}")`);
    out[key] = column;
  }
  if (out.end !== undefined && out.lifetime !== undefined)
    throw new TraceMappingError(option, 'map end or lifetime, not both');
  return out;
}

/** `vcpus=64,memory_mb=1024` → scale factors (finite numbers > 0). */
export function parseScaleOption(text: string, option = '--scale'): ScaleFactors {
  const out: ScaleFactors = {};
  for (const [field, raw] of pairs(text, option, 'vcpus=64,memory_mb=262144')) {
    const key = field.toLowerCase();
    if (!isScalable(key))
      throw new TraceMappingError(
        option,
        `"${field}" is not a numeric field (the fields: ${SCALABLE_FIELDS.join(', ')})`,
      );
    const factor = Number(raw);
    if (!Number.isFinite(factor) || factor <= 0)
      throw new TraceMappingError(option, `${key}: expected a factor > 0, got "${raw}"`);
    if (out[key] !== undefined) throw new TraceMappingError(option, `${key} is scaled twice`);
    out[key] = factor;
  }
  return out;
}

/** `priority=1` or `qos=BE|spot` → the preemptible rule. */
export function parsePreemptibleWhen(text: string, option = '--preemptible-when'): PreemptibleRule {
  const eq = text.indexOf('=');
  const column = eq < 0 ? '' : text.slice(0, eq).trim();
  const values =
    eq < 0
      ? []
      : text
          .slice(eq + 1)
          .split('|')
          .map((v) => v.trim())
          .filter((v) => v !== '');
  if (column === '' || values.length === 0)
    throw new TraceMappingError(
      option,
      `expected column=value[|value...], got "${text}" (e.g. priority=1)`,
    );
  return { column, values };
}

/** The column each field is read from: the mapping's, else (no mapping) the field's own name. */
export function columnNames(mapping: ColumnMapping | undefined): ColumnMapping {
  if (mapping === undefined) return Object.fromEntries(TRACE_FIELDS.map((f) => [f, f]));
  return { ...mapping };
}

/**
 * What is wrong with reading these columns from a header (or key set) that
 * `has`, or undefined. `listed` names the header's columns for the message.
 */
export function mappingProblem(
  names: ColumnMapping,
  mapped: boolean,
  preemptible: PreemptibleRule | undefined,
  has: (column: string) => boolean,
  listed: readonly string[] | undefined,
): string | undefined {
  const them = listed !== undefined ? ` (it has: ${listed.join(', ')})` : '';
  const option = mapped ? ' (--columns)' : '';
  if (mapped) {
    const absent = TRACE_FIELDS.filter((f) => names[f] !== undefined && !has(names[f]));
    if (absent.length > 0 && listed !== undefined)
      return `--columns maps ${absent.map((f) => `${f}=${names[f]}`).join(', ')}, but the header has no such column${them}`;
  }
  const required: TraceField[] = ['arrival', 'vcpus', 'memory_mb'];
  if (preemptible === undefined) required.push('preemptible');
  const missing = required.filter(
    (f) => names[f] === undefined || (!has(names[f]) && listed !== undefined),
  );
  const hasLifetime = names.lifetime !== undefined && (listed === undefined || has(names.lifetime));
  const hasEnd = names.end !== undefined && (listed === undefined || has(names.end));
  const need: string[] = missing.map((f) => (mapped ? `${f} (map it: ${f}=COLUMN)` : f));
  if (!hasLifetime && !hasEnd)
    need.push(mapped ? 'lifetime or end (map one)' : 'lifetime (or end)');
  if (need.length > 0) {
    const when =
      preemptible === undefined && missing.includes('preemptible')
        ? '; or mark preemptible rows with --preemptible-when column=value'
        : '';
    return `the header lacks the column(s)${option}: ${need.join(', ')}${them}${when}`;
  }
  if (hasLifetime && hasEnd)
    return mapped
      ? '--columns maps both lifetime and end; keep one'
      : 'the header has both lifetime and end; keep one';
  if (preemptible !== undefined && listed !== undefined && !has(preemptible.column))
    return `--preemptible-when reads the column "${preemptible.column}", which the header lacks${them}`;
  return undefined;
}
