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
export { SCHEDULE_USAGE, schedule } from './commands/schedule.js';
export { SERVE_USAGE, serve } from './commands/serve.js';
export type { ServeControl } from './commands/serve.js';
export { SIMULATE_USAGE, simulateCommand } from './commands/simulate.js';
export { formatScheduleText } from './format/schedule-text.js';
export type { ScheduleTextOptions } from './format/schedule-text.js';
export { scheduleJson } from './format/schedule-json.js';
export type { NowSource, ScheduleReport } from './format/schedule-report.js';
