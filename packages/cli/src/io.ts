/** Something text can be written to (a process stream, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** What a command may touch: its output streams and the directory it runs in. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Relative paths are read from here. */
  cwd: string;
}

/** Exit statuses: 0 success, 1 bad configuration or failure, 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
