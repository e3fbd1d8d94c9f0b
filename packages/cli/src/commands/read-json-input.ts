import { loadJsonFile } from '@opie/cloud';

/**
 * Reads a JSON input file relative to `cwd`, naming it in errors as
 * `<what> <path>` with the path as the user gave it. A missing file or a
 * syntax error (with line and column) is an `InvalidInputError`.
 */
export function readJsonInput(path: string, what: string, cwd: string): Promise<unknown> {
  return loadJsonFile(path, what, { cwd });
}
