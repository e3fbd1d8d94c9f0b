import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { staleSchemaFiles, writeSchemaFiles } from './write-schemas.js';

const SCHEMA_DIR = fileURLToPath(new URL('../schema/', import.meta.url));

describe('committed JSON Schema files', () => {
  it('are up to date (regenerate with UPDATE_SCHEMAS=1 npx vitest run)', async () => {
    if (process.env['UPDATE_SCHEMAS'] === '1') await writeSchemaFiles(SCHEMA_DIR);
    expect(await staleSchemaFiles(SCHEMA_DIR)).toEqual([]);
  });
});
