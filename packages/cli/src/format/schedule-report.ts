import type {
  HostView,
  InstanceExplanation,
  NoValidHostError,
  RequestSpec,
  SchedulingResult,
  TerminationOrder,
} from '@opie/core';

/** Where the decision's clock came from: `--now`, the cloud file's `now`, or the wall clock. */
export type NowSource = 'option' | 'cloud' | 'clock';

/** Everything `opie schedule` prints, in text or JSON. */
export interface ScheduleReport {
  configFiles: readonly string[];
  cloudFile: string;
  requestFile: string;
  /** The driver's class path. */
  driver: string;
  /** Filter names in the order they run (orders the per-filter counts). */
  filters: readonly string[];
  spec: RequestSpec;
  preemptible: boolean;
  /** The view the request was filtered on. */
  view: HostView;
  now: number;
  nowFrom: NowSource;
  seed: number;
  /** The decision, when the request was placed. */
  result?: SchedulingResult;
  /** NoValidHost, when it was not. */
  error?: NoValidHostError;
  /** Per instance, every host's verdict (up to the failure, if any). */
  explanation: readonly InstanceExplanation[];
  /** What the recording compute port was asked to do (nothing was done). */
  orders: readonly TerminationOrder[];
}
