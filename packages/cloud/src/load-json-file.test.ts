import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { loadJsonFile } from './load-json-file.js';

async function tempFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opie-cloud-'));
  const path = join(dir, 'f.json');
  await writeFile(path, text, 'utf8');
  return path;
}

describe('loadJsonFile', () => {
  it('reads and parses a file', async () => {
    const path = await tempFile('{"nodes": []}');
    await expect(loadJsonFile(path, 'cloud file')).resolves.toEqual({ nodes: [] });
  });
  it('reports syntax errors with line and column, naming the file', async () => {
    const path = await tempFile('{\n  "nodes": [\n    1 2\n  ]\n}');
    const error = await loadJsonFile(path, 'cloud file').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    const err = error as InvalidInputError;
    expect(err.source).toBe(`cloud file ${path}`);
    expect(err.issues[0]!.message).toMatch(/^JSON syntax error at line 3, column 7: /);
    expect(err.message).toContain(`Invalid cloud file ${path}:`);
  });
  it('reports a missing file', async () => {
    const error = await loadJsonFile('/nonexistent/opie/cloud.json', 'cloud file').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues).toEqual([
      { path: '$', message: 'cannot read the file: it does not exist' },
    ]);
  });
  it('reports other read errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opie-cloud-'));
    const error = await loadJsonFile(dir, 'request file').catch((e: unknown) => e);
    expect((error as InvalidInputError).issues[0]!.message).toMatch(/^cannot read the file: /);
  });
});
