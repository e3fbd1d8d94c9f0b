import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** This package's version, from its package.json (one level above both `src/` and `dist/`). */
export function simulatorVersion(): string {
  if (cached === undefined) {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    cached = typeof version === 'string' ? version : 'unknown';
  }
  return cached;
}
