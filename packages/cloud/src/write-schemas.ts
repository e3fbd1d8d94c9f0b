import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatJson } from './format-json.js';
import { cloudJsonSchema, requestJsonSchema } from './json-schema.js';

/** The committed schema files, by file name, as they should read. */
export function schemaFiles(): Record<string, string> {
  return {
    'cloud.schema.json': formatJson(cloudJsonSchema()),
    'request.schema.json': formatJson(requestJsonSchema()),
  };
}

/** Writes `cloud.schema.json` and `request.schema.json` into `dir`. */
export async function writeSchemaFiles(dir: string): Promise<void> {
  for (const [name, text] of Object.entries(schemaFiles())) {
    await writeFile(join(dir, name), text, 'utf8');
  }
}

/** The names of the files in `dir` that differ from what `schemaFiles` generates. */
export async function staleSchemaFiles(dir: string): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, text] of Object.entries(schemaFiles())) {
    const current = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (current !== text) stale.push(name);
  }
  return stale;
}
