import type { SimulationResult } from './simulation-result.js';

function isFlat(value: unknown[]): boolean {
  return value.every((v) => v === null || typeof v !== 'object');
}

function write(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (isFlat(value)) return `[${value.map((v) => JSON.stringify(v) ?? 'null').join(', ')}]`;
    const inner = `${indent}  `;
    return `[\n${value.map((v) => inner + write(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const body = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The result as indented JSON, with arrays of numbers on one line each (the
 * time series stay readable). `JSON.parse` gives the result back.
 */
export function formatSimulationJson(result: SimulationResult): string {
  return `${write(result, '')}\n`;
}
