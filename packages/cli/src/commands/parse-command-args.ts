import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import type { CliIo } from '../io.js';
import { didYouMean } from '../suggest.js';

/** A bad-usage problem found while converting parsed arguments (exit status 2). */
export class UsageError extends Error {}

/** What a command's arguments are parsed with: `parseArgs`'s options and positionals. */
export type CommandArgsConfig = Pick<ParseArgsConfig, 'options' | 'allowPositionals'>;

/** `parseArgs`'s result for a config (strict, as the commands parse). */
export type ParsedCommandArgs<T extends CommandArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** How one command parses its arguments. */
export interface CommandArgsSpec<T extends CommandArgsConfig> {
  /** The command as messages name it: `schedule`, `config show`. */
  command: string;
  /** The help text (stdout for `--help`; after a usage error on stderr). */
  usage: string;
  /** The options (`-h, --help` is added) and whether positionals are allowed. */
  config: T;
  /** Options that must be given (a `multiple` one at least once), in message order. */
  required?: readonly (keyof T['options'] & string)[];
}

/** The converted arguments, or the exit status of a help request or usage error. */
export type CommandArgs<R> = { ok: true; args: R } | { ok: false; exit: number };

const HELP = { type: 'boolean', short: 'h' } as const;

/**
 * The argument handling every command shares: strict `parseArgs`, `-h/--help`
 * (usage on stdout, exit 0), `missing --a, --b` for absent required options,
 * then `convert`, which throws `UsageError` for bad values. A usage problem is
 * written to stderr as `opie COMMAND: message`, a blank line and the usage
 * (exit 2).
 */
export function parseCommandArgs<T extends CommandArgsConfig, R>(
  argv: readonly string[],
  io: CliIo,
  spec: CommandArgsSpec<T>,
  convert: (parsed: ParsedCommandArgs<T>) => R,
): CommandArgs<R> {
  const fail = (message: string): CommandArgs<R> => {
    io.stderr.write(`opie ${spec.command}: ${message}\n\n${spec.usage}`);
    return { ok: false, exit: EXIT_USAGE };
  };
  let parsed: ParsedCommandArgs<T>;
  try {
    parsed = parseArgs({
      ...spec.config,
      options: { ...spec.config.options, help: HELP },
      args: [...argv],
      strict: true,
    }) as ParsedCommandArgs<T>;
  } catch (error) {
    return fail(withSuggestion(error as Error & { code?: unknown }, spec.config.options ?? {}));
  }
  const values = parsed.values as Record<string, unknown>;
  if (values['help'] === true) {
    io.stdout.write(spec.usage);
    return { ok: false, exit: EXIT_OK };
  }
  const missing = (spec.required ?? []).filter((name) => {
    const value = values[name];
    return value === undefined || (Array.isArray(value) && value.length === 0);
  });
  if (missing.length > 0) return fail(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  try {
    return { ok: true, args: convert(parsed) };
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
}

/** parseArgs's message, plus the nearest known option for an unknown one (`--jsn` → `--json`). */
function withSuggestion(error: Error & { code?: unknown }, options: object): string {
  const unknown = /^Unknown option '(-[^']*)'/.exec(error.message)?.[1];
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || unknown === undefined) return error.message;
  const known = ['--help', ...Object.keys(options).map((name) => `--${name}`)];
  const suggestion = didYouMean(unknown, known);
  return suggestion === '' ? error.message : `Unknown option '${unknown}'.${suggestion}`;
}
