import type { ScheduleReport } from './schedule-report.js';

/** The `opie schedule --json` document (its shape is documented in the package README). */
export function scheduleJson(report: ScheduleReport): Record<string, unknown> {
  const common = {
    request: report.spec,
    preemptible: report.preemptible,
    view: report.view,
    now: new Date(report.now).toISOString(),
    nowFrom: report.nowFrom,
    seed: report.seed,
    dryRun: true,
  };
  if (report.result === undefined) {
    const error = report.error;
    return {
      error: {
        code: error?.code ?? 'NO_VALID_HOST',
        message: error?.message ?? 'No valid host was found.',
        reason: error?.reason ?? '',
      },
      ...common,
      explanation: report.explanation,
    };
  }
  return {
    ...common,
    destinations: report.result.destinations,
    preemptions: report.result.preemptions,
    explanation: report.explanation,
  };
}
