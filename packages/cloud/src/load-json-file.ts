import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '@opie/core';
import { parseJsonText } from './parse-json-text.js';

/**
 * Reads and parses a JSON file. `what` names it in errors (`cloud file`,
 * `request file`): a missing file or a syntax error (with line and column)
 * becomes an `InvalidInputError` whose source is `<what> <path>`, with the
 * path as given (a relative path is read from `options.cwd`, default the
 * process's working directory).
 */
export async function loadJsonFile(
  path: string,
  what: string,
  options: { cwd?: string } = {},
): Promise<unknown> {
  const source = `${what} ${path}`;
  let text: string;
  try {
    text = await readFile(options.cwd === undefined ? path : resolve(options.cwd, path), 'utf8');
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
