import { describe, expect, it } from 'vitest';
import { sampleResult } from './__fixtures__/sample-result.js';
import { comparisonRows } from './comparison-rows.js';
import { formatSimulationJson } from './format-json.js';
import { formatSimulationText } from './format-text.js';
import {
  formatCount,
  formatDecimal,
  formatHours,
  formatMicros,
  formatPercent,
  formatSpan,
} from './number-format.js';

describe('text and JSON output', () => {
  it('prints the trace, the bad rows and the policies side by side', () => {
    const text = formatSimulationText(sampleResult());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Trace: trace.csv (csv): 2,000 requests over 3h');
    expect(lines[1]).toBe('Bad rows skipped: 2');
    expect(lines[2]).toBe('  trace.csv:7: vcpus: missing');
    expect(text).toContain(
      'Start: 2024-03-05T12:00:00.000Z   seed 3   samples every 1h   billing period 1h',
    );
    expect(text).toMatch(/\n +opie-compat +cost-aware\n/);
    expect(text).toMatch(/\nvictim policy +opie +cost\n/);
    expect(text).toMatch(/\nplaced preemptible +1,400 +700\n/);
    // Two decimals always (3 -> 3.00, 1.5 -> 1.50).
    expect(text).toMatch(/\nvictims per preemption \(max\) +3\.00 \(3\) +1\.50 \(3\)\n/);
    expect(text).toMatch(/\n {2}of failed requests +4 +0\n/);
    expect(text).toContain(
      'Cloud: cloud.json: 4 hosts, 32 vCPUs, 65,536 MB RAM, 800 GB disk, 7 instances at the start',
    );
    expect(text).toContain('Policy cost-aware: examples/policies/cost-aware.conf');
    expect(text).toContain(`sha256 ${'a'.repeat(64)}  cloud.json (cloud)`);
    expect(text).toContain('Tool: opie simulate (@opie/simulator 0.0.0)');
    // cost-aware minus opie-compat (sample figures: victims 60 - 120, 4 - 0 of failed requests).
    expect(text).toContain('  opie-compat -> cost-aware: no option differs');
    expect(text).toContain('victims -60 (of failed requests -4)');
    expect(text).toMatch(
      /\npreemptible work lost +4 h \(instance-hours\) +2 h \(instance-hours\)\n/,
    );
    expect(text).toMatch(
      /\nRAM utilisation avg \(peak\) +81\.2 % \(97\.0 %\) +81\.2 % \(97\.0 %\)\n/,
    );
    expect(text).toMatch(/\nscheduler time per decision +25 µs +25 µs\n/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('lists the same figures for every output', () => {
    const rows = comparisonRows(sampleResult().policies);
    // The label says what the formula (run time mod billing period) measures.
    expect(rows.map((r) => r.label)).toContain('work lost in the billing period');
    expect(rows.every((r) => r.cells.length === 2)).toBe(true);
    expect(rows.filter((r) => r.group === true).length).toBe(4);
  });

  it('writes JSON with number arrays on one line, which parses back to the result', () => {
    const result = sampleResult();
    const json = formatSimulationJson(result);
    expect(JSON.parse(json)).toEqual(result);
    expect(json).toContain('"t": [0, 3600, 7200, 10800]');
    expect(json).toContain('"histogram": {\n');
    expect(formatSimulationJson({ ...result, policies: [] })).toContain('"policies": []');
  });

  it('formats numbers', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1234.4)).toBe('-1,234');
    expect(formatPercent(0.95221)).toBe('95.2 %');
    expect(formatDecimal(1.0)).toBe('1');
    expect(formatDecimal(-0.001)).toBe('0');
    expect(formatMicros(6.128)).toBe('6.13 µs');
    expect(formatMicros(850.2)).toBe('850 µs');
    expect(formatMicros(12345)).toBe('12.3 ms');
    expect(formatMicros(1.2e6)).toBe('1.20 s');
    expect(formatHours(42032)).toBe('11.68 h');
    // 16,462.16 h x 3600 s/h = 59,263,776 s; -14.09 h x 3600 = -50,724 s.
    expect(formatHours(59263776)).toBe('16,462.16 h');
    expect(formatHours(-50724)).toBe('-14.09 h');
    expect(formatHours(-1800)).toBe('-0.5 h');
    expect(formatSpan(2678081)).toBe('30d 23h');
    expect(formatSpan(86400)).toBe('1d');
    expect(formatSpan(3660)).toBe('1h 1m');
    expect(formatSpan(3600)).toBe('1h');
    expect(formatSpan(61)).toBe('1m 1s');
    expect(formatSpan(120)).toBe('2m');
    expect(formatSpan(-3)).toBe('0s');
  });
});
