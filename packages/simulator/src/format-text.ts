import { formatBadRow } from './bad-row.js';
import { comparisonRows } from './comparison-rows.js';
import { formatCount, formatSpan } from './number-format.js';
import type { SimulationResult } from './simulation-result.js';

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** The human report: what was replayed, then the policies side by side. */
export function formatSimulationText(result: SimulationResult): string {
  const t = result.trace;
  const lines: string[] = [];
  const what = t.file !== undefined ? `${t.file} (${t.format ?? '?'})` : 'trace';
  lines.push(
    `Trace: ${what}: ${formatCount(t.rows)} requests over ${formatSpan(t.spanS)}` +
      (result.drain ? ' (departures drained)' : ''),
  );
  if (t.badRows > 0) lines.push(`Bad rows skipped: ${formatCount(t.badRows)}`);
  for (const bad of t.firstBadRows) lines.push(`  ${formatBadRow(bad)}`);
  lines.push(
    `Start: ${new Date(result.startMs).toISOString()}   seed ${result.seed}   ` +
      `samples every ${formatSpan(result.sampleIntervalS)}   billing period ${formatSpan(result.billingPeriodS)}`,
  );
  lines.push('');
  const header = ['', ...result.policies.map((p) => p.name)];
  const rows: string[][] = [header];
  for (const r of comparisonRows(result.policies)) {
    if (r.group === true) rows.push(header.map(() => ''));
    rows.push([r.label, ...r.cells]);
  }
  lines.push(table(rows));
  return `${lines.join('\n')}\n`;
}
