import { RowProblem, TraceProblem } from './bad-row.js';
import { readMappedRow } from './mapped-row.js';
import { columnNames, mappingProblem } from './trace-mapping.js';
import type { RowParser, TraceConversion, TraceFormatDefinition } from './trace-format.js';

function createParser(conversion: TraceConversion): RowParser {
  const names = columnNames(conversion.columns);
  const mapped = conversion.columns !== undefined;
  let checked = !mapped && conversion.preemptibleWhen === undefined;
  return {
    hasHeader: false,
    header: () => undefined,
    parse(line) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new RowProblem(`not valid JSON: ${(error as Error).message}`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new RowProblem('expected one JSON object per line');
      const o = value as Record<string, unknown>;
      if (!checked) {
        // The first object stands for the header: a mapping to absent keys is a trace error.
        const problem = mappingProblem(
          names,
          mapped,
          conversion.preemptibleWhen,
          (k) => Object.hasOwn(o, k),
          Object.keys(o),
        );
        if (problem !== undefined)
          throw new TraceProblem(problem.replace('the header', 'the first object'));
        checked = true;
      }
      return readMappedRow(
        (k) => (Object.hasOwn(o, k) ? o[k] : undefined),
        names,
        conversion,
        'json',
      );
    },
  };
}

/**
 * The generic JSON Lines format: one object per line with the generic CSV
 * format's keys (or those `columns` maps); numbers are JSON numbers,
 * `lifetime`/`end` may be null (never leaves), `preemptible` a boolean or
 * one of nova's boolean strings.
 */
export const genericJsonlFormat: TraceFormatDefinition = {
  name: 'jsonl',
  description: 'generic JSON Lines: one object per line with the csv format keys',
  defaultMemoryUnit: 'mb',
  createParser,
};
