import { CLOUD_GENERATE_USAGE, cloudGenerate } from './commands/cloud-generate.js';
import { CONFIG_USAGE, configShow } from './commands/config-show.js';
import { schedule } from './commands/schedule.js';
import { serve } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io.js';
import type { CliIo } from './io.js';

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

Options:
  -h, --help   show help (also: opie config --help, opie schedule --help, opie simulate --help,
               opie cloud generate --help)
`;

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';

/**
 * The `opie` command line, in process: `argv` without node and the script.
 * Returns the exit status (0 ok, 1 bad configuration or failure, 2 bad usage).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (isHelp(command) || command === 'help') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  try {
    if (command === 'config') {
      const [sub, ...args] = rest;
      if (isHelp(sub) || sub === 'help') {
        io.stdout.write(CONFIG_USAGE);
        return EXIT_OK;
      }
      if (sub === 'show') return await configShow(args, io);
      const what = sub === undefined ? 'missing subcommand' : `unknown subcommand: ${sub}`;
      io.stderr.write(`opie config: ${what}\n\n${CONFIG_USAGE}`);
      return EXIT_USAGE;
    }
    if (command === 'cloud') {
      const [sub, ...args] = rest;
      if (sub === 'generate') return await cloudGenerate(args, io);
      if (isHelp(sub) || sub === 'help') {
        io.stdout.write(CLOUD_GENERATE_USAGE);
        return EXIT_OK;
      }
      const what = sub === undefined ? 'missing subcommand' : `unknown subcommand: ${sub}`;
      io.stderr.write(`opie cloud: ${what}\n\n${CLOUD_GENERATE_USAGE}`);
      return EXIT_USAGE;
    }
    if (command === 'schedule') return await schedule(rest, io);
    if (command === 'simulate') return await simulateCommand(rest, io);
    if (command === 'serve') return await serve(rest, io);
  } catch (error) {
    io.stderr.write(`opie: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
  const what = command === undefined ? 'missing command' : `unknown command: ${command}`;
  io.stderr.write(`opie: ${what}\n\n${USAGE}`);
  return EXIT_USAGE;
}
