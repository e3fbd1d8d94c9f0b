import { formatBadRow } from './bad-row.js';
import { comparisonRows } from './comparison-rows.js';
import { differenceLines, provenanceLines } from './format-text.js';
import {
  formatCount,
  formatDecimal,
  formatHours,
  formatMicros,
  formatPercent,
  formatSpan,
} from './number-format.js';
import type { PolicyResult, SimulationResult } from './simulation-result.js';
import { barChart, escapeXml, lineChart } from './svg-charts.js';
import type { LineSeries } from './svg-charts.js';

/** Colour-blind-safe palette (Okabe–Ito), one colour per policy. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442'];

const colorOf = (i: number): string => PALETTE[i % PALETTE.length] ?? '#000000';

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto; max-width: 1120px; padding: 0 16px; color: #1b1b1b; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; margin: 2px 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 12px; text-align: right; border-bottom: 1px solid #eee; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tr.group td { border-top: 1px solid #bbb; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; }
.plot { background: #fcfcfc; border: 1px solid #e4e4e4; border-radius: 4px; max-width: 100%; height: auto; }
.plot text { font: 11px system-ui, sans-serif; fill: #333; }
.plot .plot-title { font-size: 13px; font-weight: 600; }
.plot .grid { stroke: #e6e6e6; }
.plot .axis, .plot .axis-tick { stroke: #777; }
dt { font-weight: 600; margin-top: 6px; }
dd { margin: 0 0 0 16px; color: #333; }
footer { color: #777; margin-top: 32px; font-size: 12px; }
`;

/** The unit the time axis uses for a span (seconds per unit, and its name). */
function timeAxis(spanS: number): { label: string; seconds: number } {
  if (spanS >= 2 * 86400) return { label: 'trace time (days)', seconds: 86400 };
  if (spanS >= 2 * 3600) return { label: 'trace time (hours)', seconds: 3600 };
  if (spanS >= 120) return { label: 'trace time (minutes)', seconds: 60 };
  return { label: 'trace time (seconds)', seconds: 1 };
}

function series(
  policies: readonly PolicyResult[],
  pick: (p: PolicyResult) => readonly number[],
  secondsPerUnit: number,
): LineSeries[] {
  return policies.map((p, i) => ({
    name: p.name,
    color: colorOf(i),
    x: p.series.t.map((t) => t / secondsPerUnit),
    y: pick(p),
    ...(i % 2 === 1 ? { dashed: true } : {}),
  }));
}

function comparisonBars(policies: readonly PolicyResult[]): string[] {
  const charts: {
    id: string;
    title: string;
    value: (p: PolicyResult) => number;
    format: (v: number) => string;
  }[] = [
    {
      id: 'placed-normal',
      title: 'Placed, normal',
      value: (p) => p.placed.normal,
      format: formatCount,
    },
    {
      id: 'placed-preemptible',
      title: 'Placed, preemptible',
      value: (p) => p.placed.preemptible,
      format: formatCount,
    },
    {
      id: 'rejected-normal',
      title: 'Rejected, normal',
      value: (p) => p.rejected.normal,
      format: formatCount,
    },
    {
      id: 'rejected-preemptible',
      title: 'Rejected, preemptible',
      value: (p) => p.rejected.preemptible,
      format: formatCount,
    },
    {
      id: 'preemptions',
      title: 'Preemptions',
      value: (p) => p.preemptions.count,
      format: formatCount,
    },
    { id: 'victims', title: 'Victims', value: (p) => p.preemptions.victims, format: formatCount },
    {
      id: 'victims-of-failed-requests',
      title: 'Victims of failed requests',
      value: (p) => p.preemptions.victimsOfFailedRequests,
      format: formatCount,
    },
    {
      id: 'victims-per-preemption',
      title: 'Victims per preemption',
      value: (p) => p.preemptions.victimsPerPreemption,
      format: (v) => v.toFixed(2),
    },
    {
      id: 'work-lost',
      title: 'Preemptible work lost (instance-hours)',
      value: (p) => p.lostWork.instanceSeconds,
      format: formatHours,
    },
    {
      id: 'paid-lost',
      title: 'Work lost in the billing period (hours)',
      value: (p) => p.lostWork.paidPeriodSeconds,
      format: formatHours,
    },
    {
      id: 'ram-average',
      title: 'RAM utilisation, average',
      value: (p) => p.utilisation.ram.average,
      format: formatPercent,
    },
    {
      id: 'vcpu-average',
      title: 'vCPU utilisation, average',
      value: (p) => p.utilisation.vcpu.average,
      format: formatPercent,
    },
    {
      id: 'decision-time',
      title: 'Scheduler time per decision (mean)',
      value: (p) => p.timing.meanUs,
      format: formatMicros,
    },
  ];
  return charts.map((c) =>
    barChart({
      id: `plot-compare-${c.id}`,
      title: c.title,
      bars: policies.map((p, i) => ({ label: p.name, value: c.value(p), color: colorOf(i) })),
      format: c.format,
    }),
  );
}

function figuresTable(policies: readonly PolicyResult[]): string {
  const head = `<tr><th></th>${policies.map((p) => `<th>${escapeXml(p.name)}</th>`).join('')}</tr>`;
  const body = comparisonRows(policies)
    .map(
      (r) =>
        `<tr${r.group === true ? ' class="group"' : ''}><td>${escapeXml(r.label)}</td>` +
        `${r.cells.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table id="figures">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function policyList(policies: readonly PolicyResult[]): string {
  const items = policies.map(
    (p, i) =>
      `<li><strong style="color:${colorOf(i)}">${escapeXml(p.name)}</strong>: ` +
      `${escapeXml(p.configFiles.join(', ') || '(built in code)')}` +
      (p.driver !== undefined ? `; driver ${escapeXml(p.driver)}` : '') +
      (p.filters.length > 0 ? `; filters ${escapeXml(p.filters.join(', '))}` : '') +
      (p.weighers.length > 0
        ? `; weighers ${escapeXml(p.weighers.map((w) => w.split('.').at(-1) ?? w).join(', '))}`
        : '') +
      '</li>',
  );
  return `<ul id="policies">\n${items.join('\n')}\n</ul>`;
}

const DEFINITIONS = `
<dl>
<dt>placed / rejected</dt><dd>Requests the scheduler placed, or answered with NoValidHost, split normal / preemptible.</dd>
<dt>preemptions, victims</dt><dd>A preemption is one request whose scheduling terminated at least one instance; its victims are the instances it terminated. Under victim_policy = opie a request can fail after opie has already deleted victims: they count as victims, and also as victims of failed requests.</dd>
<dt>preemptible work lost</dt><dd>For each victim, the time it had run when it was terminated, summed (instance-hours).</dd>
<dt>work lost in the billing period</dt><dd>For each victim, its run time modulo the billing period, summed: the work done in the billing period it was in when terminated (already paid for), lost with it.</dd>
<dt>utilisation</dt><dd>RAM in use (the compute's memory_mb − free_ram_mb, reserved memory included) over memory_mb × ram_allocation_ratio, and vCPUs in use over vcpus × cpu_allocation_ratio, summed over the hosts whose compute service is up and enabled at the start. Averages are time-weighted.</dd>
<dt>scheduler time per decision</dt><dd>Wall time of each plan() call, on one thread; it varies from run to run.</dd>
</dl>`;

/**
 * One self-contained HTML page: inline CSS, inline SVG drawn here, no
 * script, font or other external resource (a Content-Security-Policy says
 * so), so it opens offline in any browser.
 */
export function renderHtmlReport(
  result: SimulationResult,
  options: { title?: string } = {},
): string {
  const title = options.title ?? 'opie simulate report';
  const policies = result.policies;
  const t = result.trace;
  const axis = timeAxis(t.spanS);
  const interval = formatSpan(result.sampleIntervalS);
  const overTime = [
    lineChart({
      id: 'plot-ram-utilisation',
      title: 'RAM utilisation over time',
      series: series(policies, (p) => p.series.ram, axis.seconds),
      xLabel: axis.label,
      yLabel: 'RAM in use / schedulable',
      xFormat: (x) => formatDecimal(x, 2),
      yFormat: (v) => `${Math.round(v * 100)} %`,
      yMax: 1,
    }),
    lineChart({
      id: 'plot-vcpu-utilisation',
      title: 'vCPU utilisation over time',
      series: series(policies, (p) => p.series.vcpu, axis.seconds),
      xLabel: axis.label,
      yLabel: 'vCPUs in use / schedulable',
      xFormat: (x) => formatDecimal(x, 2),
      yFormat: (v) => `${Math.round(v * 100)} %`,
      yMax: 1,
    }),
    lineChart({
      id: 'plot-preemptions',
      title: `Preemptions over time (victims per ${interval})`,
      series: series(policies, (p) => p.series.victims, axis.seconds),
      xLabel: axis.label,
      yLabel: `victims per ${interval}`,
      xFormat: (x) => formatDecimal(x, 2),
      yFormat: (v) => formatDecimal(v, 2),
      step: true,
    }),
  ];
  const traceLine =
    `${t.file !== undefined ? `${escapeXml(t.file)} (${escapeXml(t.format ?? '')}): ` : ''}` +
    `${formatCount(t.rows)} requests over ${formatSpan(t.spanS)}` +
    (t.badRows > 0 ? `, ${formatCount(t.badRows)} bad rows skipped` : '') +
    (result.drain ? ', departures drained' : '');
  const badRows =
    t.firstBadRows.length > 0
      ? `<details><summary>First bad rows</summary><pre>${t.firstBadRows.map((b) => escapeXml(formatBadRow(b))).join('\n')}</pre></details>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeXml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeXml(title)}</h1>
<p class="meta">Trace: ${traceLine}</p>
<p class="meta">Start ${escapeXml(new Date(result.startMs).toISOString())}, seed ${result.seed}, samples every ${escapeXml(interval)}, billing period ${escapeXml(formatSpan(result.billingPeriodS))}</p>
<pre id="provenance">${provenanceLines(result).map(escapeXml).join('\n')}</pre>
${result.warnings.map((w) => `<p class="warning">Warning: ${escapeXml(w)}</p>`).join('\n')}
${badRows}
</header>
<section id="summary">
<h2>Policies</h2>
${policyList(policies)}
${figuresTable(policies)}
${result.differences.length > 0 ? `<pre id="differences">${differenceLines(result.differences).map(escapeXml).join('\n')}</pre>` : ''}
</section>
<section id="over-time">
<h2>Over time</h2>
<div class="plots">
${overTime.join('\n')}
</div>
</section>
<section id="comparison">
<h2>Per-policy comparison</h2>
<div class="plots">
${comparisonBars(policies).join('\n')}
</div>
</section>
<section id="definitions">
<h2>Definitions</h2>
${DEFINITIONS}
</section>
<footer>Generated by opie simulate. Every figure but the scheduler time is deterministic for the trace, cloud, configuration and seed.</footer>
</body>
</html>
`;
}
