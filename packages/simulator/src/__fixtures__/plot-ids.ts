/** The id of every plot the HTML report draws. */
export const PLOT_IDS = [
  'plot-ram-utilisation',
  'plot-vcpu-utilisation',
  'plot-preemptions',
  'plot-compare-placed-normal',
  'plot-compare-placed-preemptible',
  'plot-compare-rejected-normal',
  'plot-compare-rejected-preemptible',
  'plot-compare-preemptions',
  'plot-compare-victims',
  'plot-compare-victims-of-failed-requests',
  'plot-compare-victims-per-preemption',
  'plot-compare-work-lost',
  'plot-compare-paid-lost',
  'plot-compare-ram-average',
  'plot-compare-vcpu-average',
  'plot-compare-decision-time',
];
