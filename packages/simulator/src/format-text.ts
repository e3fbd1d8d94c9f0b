import { formatBadRow } from './bad-row.js';
import { comparisonRows } from './comparison-rows.js';
import { formatCount, formatHours, formatSpan } from './number-format.js';
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
  lines.push(...provenanceLines(result));
  for (const w of result.warnings) lines.push(`Warning: ${w}`);
  lines.push('');
  const header = ['', ...result.policies.map((p) => p.name)];
  const rows: string[][] = [header];
  for (const r of comparisonRows(result.policies)) {
    if (r.group === true) rows.push(header.map(() => ''));
    rows.push([r.label, ...r.cells]);
  }
  lines.push(table(rows));
  const diff = differenceLines(result.differences);
  if (diff.length > 0) lines.push('', ...diff);
  return `${lines.join('\n')}\n`;
}

/** What was run, so it can be run again: tool, cloud, policies' files, inputs' sha256. */
export function provenanceLines(result: SimulationResult): string[] {
  const c = result.cloud;
  const out: string[] = [];
  if (result.tool !== undefined) out.push(`Tool: ${result.tool}`);
  out.push(
    `Cloud: ${c.file !== undefined ? `${c.file}: ` : ''}${formatCount(c.hosts)} hosts, ` +
      `${formatCount(c.vcpus)} vCPUs, ${formatCount(c.memoryMb)} MB RAM, ${formatCount(c.diskGb)} GB disk, ` +
      `${formatCount(c.instances)} instances at the start`,
  );
  for (const p of result.policies) {
    out.push(`Policy ${p.name}: ${p.configFiles.join(', ') || '(built in code)'}`);
  }
  if (result.resubmitVictimsS !== undefined) {
    out.push(
      `Preempted preemptible instances re-submitted after ${formatSpan(result.resubmitVictimsS)}`,
    );
  }
  for (const f of result.inputs) out.push(`sha256 ${f.sha256}  ${f.file} (${f.role})`);
  return out;
}

const signed = (n: number, text: string): string => (n > 0 ? `+${text}` : n === 0 ? '±0' : text);

/** One line per comparison: what changed, and what it did. */
export function differenceLines(differences: SimulationResult['differences']): string[] {
  if (differences.length === 0) return [];
  const out = ['What each difference does (the second policy minus the first):'];
  for (const d of differences) {
    const what =
      d.changes.length === 0
        ? 'no option differs'
        : d.changes.length === 1
          ? `only ${d.changes.map((c) => `${c.option} (${c.from} -> ${c.to})`).join('')}`
          : `${d.changes.length} options: ${d.changes.map((c) => `${c.option} (${c.from} -> ${c.to})`).join(', ')}`;
    const e = d.effects;
    out.push(`  ${d.from} -> ${d.to}: ${what}`);
    out.push(
      `    rejected normal ${signed(e.rejectedNormal, formatCount(e.rejectedNormal))}, ` +
        `rejected preemptible ${signed(e.rejectedPreemptible, formatCount(e.rejectedPreemptible))}, ` +
        `victims ${signed(e.victims, formatCount(e.victims))} ` +
        `(of failed requests ${signed(e.victimsOfFailedRequests, formatCount(e.victimsOfFailedRequests))}), ` +
        `work lost ${signed(e.lostInstanceSeconds, formatHours(e.lostInstanceSeconds))}, ` +
        `RAM utilisation ${signed(e.ramUtilisation, `${(e.ramUtilisation * 100).toFixed(1)} points`)}`,
    );
  }
  return out;
}
