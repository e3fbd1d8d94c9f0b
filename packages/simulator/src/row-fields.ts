import { parseApiBoolean } from '@opie/core';
import { RowProblem } from './bad-row.js';

/** Column positions of a CSV header, by lower-cased, trimmed name. */
export class CsvColumns {
  private readonly byName = new Map<string, number>();

  constructor(header: readonly string[]) {
    header.forEach((name, i) => {
      const key = name.trim().toLowerCase();
      if (!this.byName.has(key)) this.byName.set(key, i);
    });
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Position of `name`, or -1. */
  indexOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  /** The required names the header lacks. */
  missing(names: readonly string[]): string[] {
    return names.filter((n) => !this.byName.has(n));
  }
}

function shown(raw: unknown): string {
  return typeof raw === 'string' ? `"${raw}"` : (JSON.stringify(raw) ?? String(raw));
}

/** A finite number from a CSV field or a JSON value (numbers only in JSON). */
export function numberField(raw: unknown, name: string): number {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && raw.trim() !== '') value = Number(raw.trim());
  else if (raw === undefined || raw === '' || raw === null)
    throw new RowProblem(`${name}: missing`);
  else throw new RowProblem(`${name}: expected a number, got ${shown(raw)}`);
  if (!Number.isFinite(value))
    throw new RowProblem(`${name}: expected a number, got ${shown(raw)}`);
  return value;
}

/** A number > 0. */
export function positiveField(raw: unknown, name: string): number {
  const value = numberField(raw, name);
  if (value <= 0) throw new RowProblem(`${name}: expected a number > 0, got ${shown(raw)}`);
  return value;
}

/** A number >= 0. */
export function nonNegativeField(raw: unknown, name: string): number {
  const value = numberField(raw, name);
  if (value < 0) throw new RowProblem(`${name}: expected a number >= 0, got ${shown(raw)}`);
  return value;
}

/** Absent or empty: undefined; else a finite number. */
export function optionalNumberField(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  return numberField(raw, name);
}

/**
 * A strict boolean: JSON `true`/`false` or nova's API spellings
 * (true/false, 1/0, yes/no, on/off, any case). Anything else is a bad row.
 */
export function booleanField(raw: unknown, name: string): boolean {
  if (raw === undefined || raw === '' || raw === null) throw new RowProblem(`${name}: missing`);
  const value = parseApiBoolean(typeof raw === 'string' ? raw.trim() : raw);
  if (value === undefined)
    throw new RowProblem(`${name}: expected true or false, got ${shown(raw)}`);
  return value;
}

/** An id: a non-empty string or a number; absent or empty is undefined. */
export function idField(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw.trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  throw new RowProblem(`${name}: expected a string or a number, got ${shown(raw)}`);
}
