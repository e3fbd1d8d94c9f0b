import { createRequire } from 'node:module';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io.js';
import type { CliIo } from './io.js';
import { didYouMean } from './suggest.js';

export const USAGE = `Usage: opie <command> [options]

Commands:
  config show FILE... [--json | --ini]   the scheduler configuration nova.conf files give
  schedule --config FILE --cloud FILE --request FILE [--json] [--seed N] [--now TIME]
                                         one scheduling decision, explained (dry run)
  simulate --config FILE... --cloud FILE --trace FILE [--format F] [--json] [--report FILE]
                                         replay a workload trace, compare policies
  cloud generate --hosts N --vcpus V --memory-mb M --disk-gb D [--out FILE]
                                         a cloud.json of N identical hosts (or --from-alibaba FILE)
  serve --config FILE... --cloud FILE [--db PATH|URL] [--port 8774] [--host 127.0.0.1]
                                         a nova compute API scheduling with the config

  help [COMMAND]                         this text, or one command's help

Options:
  -h, --help     show help (also: opie COMMAND --help)
  -V, --version  print the version of @opie/cli
`;

/** The version in this package's package.json (`../package.json` from `src/` and `dist/`). */
export function cliVersion(): string {
  const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
  return pkg.version;
}

/** A command: its help text and how to run it, each loading the command's modules on demand. */
interface Command {
  usage(): Promise<string>;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

// Each command is imported when it runs, so `opie --help` and `opie --version`
// load none of the scheduler, the simulator or the server.
const COMMANDS: Readonly<Record<string, Command>> = {
  config: {
    usage: async () => (await import('./commands/config-show.js')).CONFIG_USAGE,
    async run(argv, io) {
      const { CONFIG_USAGE, configShow } = await import('./commands/config-show.js');
      const [sub, ...args] = argv;
      if (isHelp(sub) || sub === 'help') {
        io.stdout.write(CONFIG_USAGE);
        return EXIT_OK;
      }
      if (sub === 'show') return configShow(args, io);
      const what =
        sub === undefined
          ? 'missing subcommand'
          : `unknown subcommand: ${sub}${withPeriod(didYouMean(sub, ['show']))}`;
      io.stderr.write(`opie config: ${what}\n\n${CONFIG_USAGE}`);
      return EXIT_USAGE;
    },
  },
  schedule: {
    usage: async () => (await import('./commands/schedule.js')).SCHEDULE_USAGE,
    run: async (argv, io) => (await import('./commands/schedule.js')).schedule(argv, io),
  },
  simulate: {
    usage: async () => (await import('./commands/simulate.js')).SIMULATE_USAGE,
    run: async (argv, io) => (await import('./commands/simulate.js')).simulateCommand(argv, io),
  },
  cloud: {
    usage: async () => (await import('./commands/cloud-generate.js')).CLOUD_GENERATE_USAGE,
    async run(argv, io) {
      const { CLOUD_GENERATE_USAGE, cloudGenerate } = await import('./commands/cloud-generate.js');
      const [sub, ...args] = argv;
      if (isHelp(sub) || sub === 'help') {
        io.stdout.write(CLOUD_GENERATE_USAGE);
        return EXIT_OK;
      }
      if (sub === 'generate') return cloudGenerate(args, io);
      const what =
        sub === undefined
          ? 'missing subcommand'
          : `unknown subcommand: ${sub}${withPeriod(didYouMean(sub, ['generate']))}`;
      io.stderr.write(`opie cloud: ${what}\n\n${CLOUD_GENERATE_USAGE}`);
      return EXIT_USAGE;
    },
  },
  serve: {
    usage: async () => (await import('./commands/serve.js')).SERVE_USAGE,
    run: async (argv, io) => (await import('./commands/serve.js')).serve(argv, io),
  },
};

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';

function commandOf(name: string): Command | undefined {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** `unknown command: x.` with the nearest command names, if any. */
function unknownCommand(name: string): string {
  return `unknown command: ${name}${withPeriod(didYouMean(name, [...Object.keys(COMMANDS), 'help']))}`;
}

/** `. Did you mean "x"?` after a message, or nothing when there is no suggestion. */
function withPeriod(suggestion: string): string {
  return suggestion === '' ? '' : `.${suggestion}`;
}

/**
 * The `opie` command line, in process: `argv` without node and the script.
 * Returns the exit status (0 ok, 1 bad configuration or failure, 2 bad usage).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${cliVersion()}\n`);
    return EXIT_OK;
  }
  try {
    if (isHelp(name) || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      if (topic === undefined) {
        io.stdout.write(USAGE);
        return EXIT_OK;
      }
      const command = commandOf(topic);
      if (command !== undefined) {
        io.stdout.write(await command.usage());
        return EXIT_OK;
      }
      io.stderr.write(`opie help: ${unknownCommand(topic)}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    const command = name === undefined ? undefined : commandOf(name);
    if (command !== undefined) return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`opie: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
  const what = name === undefined ? 'missing command' : unknownCommand(name);
  io.stderr.write(`opie: ${what}\n\n${USAGE}`);
  return EXIT_USAGE;
}
