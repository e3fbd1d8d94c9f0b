export type { TraceRow } from './trace-row.js';
export {
  MEMORY_UNITS,
  TIME_UNITS,
  CPU_ROUNDINGS,
  isMemoryUnit,
  isTimeUnit,
  isCpuRounding,
  mbPer,
  secondsPer,
  toMemoryMb,
  roundVcpus,
} from './units.js';
export type { MemoryUnit, TimeUnit, CpuRounding } from './units.js';
export { BadRowLog, TraceError, formatBadRow } from './bad-row.js';
export type { BadRow } from './bad-row.js';
export { splitCsvLine } from './csv-fields.js';
export {
  TRACE_FIELDS,
  SCALABLE_FIELDS,
  TraceMappingError,
  parseColumnsOption,
  parseScaleOption,
  parsePreemptibleWhen,
} from './trace-mapping.js';
export type {
  TraceField,
  ScalableField,
  ColumnMapping,
  ScaleFactors,
  PreemptibleRule,
} from './trace-mapping.js';
export { TRACE_FORMATS, isTraceFormat } from './trace-format.js';
export type {
  TraceFormatName,
  TraceConversion,
  RowParser,
  TraceFormatDefinition,
} from './trace-format.js';
export { traceFormats, formatForPath } from './trace-formats.js';
export { genericCsvFormat } from './generic-csv-format.js';
export { genericJsonlFormat } from './generic-jsonl-format.js';
export { alibabaFormat } from './alibaba-format.js';
export { huaweiFormat } from './huawei-format.js';
export { seededUnit, inSeededFraction } from './seeded-fraction.js';
export { ReorderBuffer } from './reorder-buffer.js';
export { MinHeap } from './min-heap.js';
export type { HeapItem } from './min-heap.js';
export { TraceReader, openTrace, traceFromLines, DEFAULT_REORDER_WINDOW } from './read-trace.js';
export type { ReadTraceOptions } from './read-trace.js';
export { syntheticTrace, DEFAULT_SYNTHETIC_FLAVORS } from './synthetic-trace.js';
export type { SyntheticTraceOptions, SyntheticFlavor } from './synthetic-trace.js';

export {
  generateCloud,
  identicalMachines,
  alibabaMachines,
  CloudGenerationError,
} from './generate-cloud.js';
export type { GenerateCloudOptions, MachineSpec } from './generate-cloud.js';
export { simulatorVersion } from './simulator-version.js';
export { simulateInWorkers, defaultWorkerUrl } from './simulate-in-workers.js';
export type { SimulateInWorkersOptions, PolicySpec } from './simulate-in-workers.js';
export { runPolicyJob } from './policy-job.js';
export type { PolicyJob, PolicyJobOutcome, PolicyJobMessage } from './policy-job.js';
export { VirtualClock } from './virtual-clock.js';
export { recordWith, holdsResources } from './node-record.js';
export { SimulatedCloud } from './simulated-cloud.js';
export type { CloudRecords, NodeCapacity } from './simulated-cloud.js';
export { isPlanningScheduler, isSourceSettable } from './replay-policy.js';
export type {
  PlanningScheduler,
  SourceSettableHostManager,
  ReplayPolicy,
} from './replay-policy.js';
export { ReplayEngine } from './replay-engine.js';
export type { ReplaySettings, ReplayHooks } from './replay-engine.js';
export { formatEventLine } from './replay-event.js';
export type { ReplayEvent, ReplayEventType, ReplayEventSink } from './replay-event.js';
export { effectiveOptions, distinctOptions, policyDifferences } from './policy-differences.js';
export type { OptionChange, PolicyDifference } from './policy-differences.js';
export { LatencyHistogram } from './latency-histogram.js';
export type { LatencySummary } from './latency-histogram.js';
export {
  simulate,
  assembleResult,
  summariseCloud,
  undersizedWarnings,
  UNDERSIZED_REJECTION,
} from './simulate.js';
export type { SimulateOptions, SimulationProgress, ResultParts } from './simulate.js';
export type {
  SimulationResult,
  PolicyResult,
  SplitCount,
  CloudSummary,
  InputFile,
  ResubmissionResult,
} from './simulation-result.js';
export { loadPolicy, policyName } from './load-policy.js';
export type { LoadPolicyOptions } from './load-policy.js';

export { comparisonRows } from './comparison-rows.js';
export type { ComparisonRow } from './comparison-rows.js';
export { formatSimulationText, provenanceLines, differenceLines } from './format-text.js';
export { formatSimulationJson } from './format-json.js';
export { renderHtmlReport } from './html-report.js';
export { lineChart, barChart, envelope, niceStep, escapeXml } from './svg-charts.js';
export type { LineChartOptions, LineSeries, BarChartOptions, Bar } from './svg-charts.js';
export { createProgressReporter } from './progress.js';
export type { ProgressOptions, ProgressReporter, ProgressSink } from './progress.js';
