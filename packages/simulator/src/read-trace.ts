import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { BadRowLog, RowProblem, TraceError, TraceProblem } from './bad-row.js';
import { ReorderBuffer } from './reorder-buffer.js';
import type { RowParser, TraceConversion, TraceFormatName } from './trace-format.js';
import { formatForPath, traceFormats } from './trace-formats.js';
import type { TraceRow } from './trace-row.js';
import type { ColumnMapping, PreemptibleRule, ScaleFactors } from './trace-mapping.js';
import type { CpuRounding, MemoryUnit, TimeUnit } from './units.js';

/** How to read a trace. Every field has a default. */
export interface ReadTraceOptions {
  /** Default: by extension (`.jsonl`/`.ndjson` → jsonl, else csv). */
  format?: TraceFormatName;
  /** The file as named in messages; defaults to the path. */
  name?: string;
  /** Default: the format's (csv/jsonl `mb`, alibaba `mib`, huawei `gb`). */
  memoryUnit?: MemoryUnit;
  /** Default `s`. */
  timeUnit?: TimeUnit;
  /** Default `ceil`. */
  cpuRounding?: CpuRounding;
  /** huawei only: fraction of VMs marked preemptible (default 0). */
  preemptibleFraction?: number;
  /** Seed of the preemptible choice (default 0). */
  seed?: number;
  /** csv/jsonl: the column of each field; only mapped columns are read (default: the field names). */
  columns?: ColumnMapping;
  /** csv/jsonl: factors applied to the raw numbers, before unit conversion and rounding. */
  scale?: ScaleFactors;
  /** csv/jsonl: which rows are preemptible (instead of a `preemptible` column). */
  preemptibleWhen?: PreemptibleRule;
  /** Fail on the first bad row instead of skipping it (default false). */
  strict?: boolean;
  /** Rows held to put a slightly unsorted trace in order (default 1024; 0 = input must be sorted). */
  reorderWindow?: number;
  /** Stop after this many good rows. */
  limit?: number;
  /** How many bad rows to keep for the report (default 10; all are counted). */
  keepBadRows?: number;
}

export const DEFAULT_REORDER_WINDOW = 1024;

/**
 * A trace as a stream of rows in arrival order. Iterate it once; it holds
 * only the reorder window, never the whole trace. Bad rows are counted in
 * `badRows` (the first few kept) or, when strict, thrown as a `TraceError`.
 */
export class TraceReader implements AsyncIterable<TraceRow> {
  readonly badRows: BadRowLog;
  /** Good rows read so far. */
  rows = 0;
  /** Lines read so far (header, blank and bad ones included). */
  lines = 0;
  private started = false;

  constructor(
    readonly file: string,
    readonly format: TraceFormatName,
    private readonly source: AsyncIterable<string> | Iterable<string>,
    private readonly parser: RowParser,
    private readonly options: ReadTraceOptions,
    /** File size in bytes, when known. */
    readonly size: number | undefined = undefined,
    private readonly bytes: () => number = () => 0,
    private readonly closeSource: () => void = () => undefined,
  ) {
    this.badRows = new BadRowLog(options.keepBadRows ?? 10);
  }

  /** Stops reading and releases the file (a reader that will not be iterated). */
  close(): void {
    this.closeSource();
  }

  /** Bytes read so far (for progress). */
  get bytesRead(): number {
    return this.bytes();
  }

  [Symbol.asyncIterator](): AsyncIterator<TraceRow> {
    if (this.started) throw new Error(`the trace ${this.file} can be read only once`);
    this.started = true;
    return this.generate();
  }

  private bad(line: number, reason: string): void {
    if (this.options.strict === true) throw new TraceError(this.file, reason, line);
    this.badRows.add({ file: this.file, line, reason });
  }

  private async *generate(): AsyncGenerator<TraceRow> {
    const parser = this.parser;
    const window = this.options.reorderWindow ?? DEFAULT_REORDER_WINDOW;
    const buffer = new ReorderBuffer(window);
    const limit = this.options.limit ?? Infinity;
    let headerSeen = !parser.hasHeader;
    for await (const text of this.source) {
      const lineNo = ++this.lines;
      const line = lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (line.trim() === '') continue;
      if (parser.hasHeader && line.startsWith('#')) continue;
      if (!headerSeen) {
        const problem = parser.header(line);
        if (problem !== undefined) throw new TraceError(this.file, problem, lineNo);
        headerSeen = true;
        continue;
      }
      let row: TraceRow;
      try {
        row = parser.parse(line);
      } catch (error) {
        if (error instanceof TraceProblem) throw new TraceError(this.file, error.message, lineNo);
        if (!(error instanceof RowProblem)) throw error;
        this.bad(lineNo, error.message);
        continue;
      }
      row.line = lineNo;
      if (buffer.isLate(row)) {
        this.bad(
          lineNo,
          `arrives at ${row.arrival} s, before a row already replayed (${buffer.lastArrival} s): ` +
            `the trace is more than ${window} rows out of order (raise --reorder-window or sort it)`,
        );
        continue;
      }
      this.rows += 1;
      const out = buffer.push(row);
      if (out !== undefined) yield out;
      if (this.rows >= limit) break;
    }
    if (!headerSeen) throw new TraceError(this.file, 'the file has no header line');
    yield* buffer.drain();
  }
}

function conversionOf(options: ReadTraceOptions, format: TraceFormatName): TraceConversion {
  const mapped =
    options.columns !== undefined ||
    options.scale !== undefined ||
    options.preemptibleWhen !== undefined;
  if (mapped && format !== 'csv' && format !== 'jsonl')
    throw new RangeError(
      `columns, scale and preemptibleWhen apply to the csv and jsonl formats only, not ${format}`,
    );
  const fraction = options.preemptibleFraction ?? 0;
  if (!(fraction >= 0 && fraction <= 1))
    throw new RangeError(`preemptibleFraction must be in [0, 1], got ${fraction}`);
  return {
    memoryUnit: options.memoryUnit ?? traceFormats[format].defaultMemoryUnit,
    timeUnit: options.timeUnit ?? 's',
    cpuRounding: options.cpuRounding ?? 'ceil',
    preemptibleFraction: fraction,
    seed: options.seed ?? 0,
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.preemptibleWhen !== undefined ? { preemptibleWhen: options.preemptibleWhen } : {}),
  };
}

/** A trace from lines already in memory or streamed from elsewhere (tests, generators). */
export function traceFromLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: ReadTraceOptions & { format: TraceFormatName },
): TraceReader {
  const format = options.format;
  const parser = traceFormats[format].createParser(conversionOf(options, format));
  return new TraceReader(options.name ?? 'trace', format, lines, parser, options);
}

/**
 * Opens a trace file for streaming (`node:readline` over a file stream).
 * A missing or unreadable file is a `TraceError`.
 */
export async function openTrace(
  path: string,
  options: ReadTraceOptions = {},
): Promise<TraceReader> {
  const name = options.name ?? path;
  const format = options.format ?? formatForPath(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new TraceError(name, 'cannot read the file: it is not a file');
    size = info.size;
  } catch (error) {
    if (TraceError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new TraceError(
      name,
      code === 'ENOENT'
        ? 'cannot read the file: it does not exist'
        : `cannot read the file: ${(error as Error).message}`,
    );
  }
  const parser = traceFormats[format].createParser(conversionOf(options, format));
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  // Take the line iterator now: readline starts reading at once, and lines
  // emitted before anyone iterates are lost, which a caller that awaits
  // something else between opening and reading (writing an events file, say)
  // would see as an empty trace on a busy machine. The iterator buffers them.
  const iterator = lines[Symbol.asyncIterator]();
  const source: AsyncIterable<string> = { [Symbol.asyncIterator]: () => iterator };
  return new TraceReader(
    name,
    format,
    source,
    parser,
    options,
    size,
    () => stream.bytesRead,
    () => {
      lines.close();
      stream.destroy();
    },
  );
}
