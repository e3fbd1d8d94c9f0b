export { runCli, USAGE } from './cli.js';
export type { CliIo, TextSink } from './io.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io.js';
export {
  CONFIG_USAGE,
  configJson,
  configShow,
  formatConfigText,
  formatSource,
  formatValue,
} from './commands/config-show.js';
