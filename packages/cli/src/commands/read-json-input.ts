import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '@opie/core';
import { parseJsonText } from '@opie/cloud';

/**
 * Reads a JSON input file relative to `cwd`, naming it in errors as
 * `<what> <path>` with the path as the user gave it. A missing file or a
 * syntax error (with line and column) is an `InvalidInputError`.
 */
export async function readJsonInput(path: string, what: string, cwd: string): Promise<unknown> {
  const source = `${what} ${path}`;
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'cannot read the file: it does not exist'
        : `cannot read the file: ${(error as Error).message}`;
    throw new InvalidInputError(source, [{ path: '$', message }]);
  }
  return parseJsonText(text, source);
}
