import { describe, expect, it } from 'vitest';
import { sampleResult } from './__fixtures__/sample-result.js';
import { PLOT_IDS } from './__fixtures__/plot-ids.js';
import { renderHtmlReport } from './html-report.js';
import { barChart, envelope, escapeXml, lineChart, niceStep } from './svg-charts.js';

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(sampleResult());

  it('is one self-contained page: inline CSS and SVG, no script, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`,
    );
  });

  it('has the plots over time and one comparison bar chart per figure', () => {
    for (const id of PLOT_IDS) expect(html).toContain(`<svg id="${id}"`);
    // Two policies: two lines per plot over time, two bars per comparison.
    expect(html.match(/<polyline class="series"/g)).toHaveLength(6);
    // 13 comparison charts (the PLOT_IDS after the 3 over time) x 2 policies.
    expect(html.match(/<rect class="bar"/g)).toHaveLength((PLOT_IDS.length - 3) * 2);
    expect(html).toContain('stroke-dasharray="6 3"');
  });

  it('shows the figures table, the policies and the escaped bad rows', () => {
    expect(html).toContain('<table id="figures">');
    expect(html).toContain('<td>placed preemptible</td><td>1,400</td><td>700</td>');
    expect(html).toContain('examples/policies/cost-aware.conf; driver opie.scheduler');
    expect(html).toContain(
      'trace.csv:9: preemptible: expected true or false, got &quot;&lt;x&gt;&quot;',
    );
    expect(html).toContain('2 bad rows skipped');
  });

  it('names the cloud, the inputs with their sha256, the tool, and the differences', () => {
    expect(html).toContain('Tool: opie simulate (@opie/simulator 0.0.0)');
    expect(html).toContain('Cloud: cloud.json: 4 hosts, 32 vCPUs, 65,536 MB RAM, 800 GB disk');
    expect(html).toContain(`sha256 ${'b'.repeat(64)}  trace.csv (trace)`);
    expect(html).toContain('<pre id="differences">What each difference does');
    expect(html).toContain('<td>  of failed requests</td><td>4</td><td>0</td>');
  });
});

describe('svg charts', () => {
  it('escapes markup', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('picks round steps', () => {
    expect(niceStep(1, 5)).toBeCloseTo(0.2, 12);
    expect(niceStep(31, 6)).toBe(10);
    expect(niceStep(7, 5)).toBe(2);
    expect(niceStep(0)).toBe(1);
  });

  it('reduces long series to per-bucket minimum and maximum', () => {
    const x = Array.from({ length: 1000 }, (_, i) => i);
    const y = x.map((i) => (i === 500 ? 99 : i % 2));
    const r = envelope(x, y, 100);
    expect(r.x.length).toBeLessThanOrEqual(100);
    expect(Math.max(...r.y)).toBe(99);
    expect(Math.min(...r.y)).toBe(0);
    expect(envelope([1, 2], [3, 4], 10)).toEqual({ x: [1, 2], y: [3, 4] });
  });

  it('draws a line chart with steps, and copes with no data', () => {
    const svg = lineChart({
      id: 'c',
      title: 'T <1>',
      series: [{ name: 'a', color: '#000', x: [0, 1, 2], y: [0, 2, 1] }],
      xLabel: 'x',
      yLabel: 'y',
      xFormat: String,
      yFormat: String,
      step: true,
    });
    expect(svg).toContain('<title id="c-title">T &lt;1&gt;</title>');
    expect(svg).toMatch(/points="[^"]+"/);
    // A step chart has two points per sample after the first.
    expect(svg.match(/points="([^"]+)"/)?.[1]?.split(' ')).toHaveLength(5);
    const empty = lineChart({
      ...{ id: 'e', title: 'E', xLabel: '', yLabel: '' },
      series: [],
      xFormat: String,
      yFormat: String,
    });
    expect(empty).toContain('</svg>');
  });

  it('draws bars proportional to the values', () => {
    const svg = barChart({
      id: 'b',
      title: 'B',
      bars: [
        { label: 'one', value: 10, color: '#111' },
        { label: 'two', value: 5, color: '#222' },
        { label: 'zero', value: 0, color: '#333' },
      ],
      format: String,
    });
    const widths = [...svg.matchAll(/class="bar"[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[1]! / widths[0]!).toBeCloseTo(0.5, 2);
    expect(widths[2]).toBe(0);
  });
});
