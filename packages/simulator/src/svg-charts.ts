/** Escapes text for HTML and SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A round step for about `count` ticks over `range`: 1, 2 or 5 times a power of ten. */
export function niceStep(range: number, count = 5): number {
  if (!(range > 0)) return 1;
  const raw = range / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** Ticks from 0 (or `min`) to at least `max`, `step` apart. */
function ticks(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  const first = Math.floor(min / step) * step;
  for (let v = first; v <= max + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

const n = (v: number): string => (Math.round(v * 10) / 10).toString();

export interface LineSeries {
  name: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  /** Draw dashed (tells overlapping series apart). */
  dashed?: boolean;
}

export interface LineChartOptions {
  id: string;
  title: string;
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
  xFormat: (x: number) => string;
  yFormat: (y: number) => string;
  /** Fixed top of the y axis (e.g. 1 for utilisation); default: from the data. */
  yMax?: number;
  /** Draw as steps (counts per interval). */
  step?: boolean;
  /** Points per series above which the series is reduced to per-bucket min and max. */
  maxPoints?: number;
  width?: number;
  height?: number;
}

/** Keeps the shape of a long series: for each bucket, its lowest and highest point. */
export function envelope(
  x: readonly number[],
  y: readonly number[],
  maxPoints: number,
): { x: number[]; y: number[] } {
  const len = Math.min(x.length, y.length);
  if (len <= maxPoints) return { x: x.slice(0, len), y: y.slice(0, len) };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = len / buckets;
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(len, Math.floor((b + 1) * size));
    if (to <= from) continue;
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if ((y[i] ?? 0) < (y[lo] ?? 0)) lo = i;
      if ((y[i] ?? 0) > (y[hi] ?? 0)) hi = i;
    }
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) {
      if (ox.length > 0 && ox[ox.length - 1] === x[i]) continue;
      ox.push(x[i] ?? 0);
      oy.push(y[i] ?? 0);
    }
  }
  return { x: ox, y: oy };
}

/** A line chart as one inline `<svg>` (axes, grid, one polyline per series, a legend). */
export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 760;
  const height = o.height ?? 280;
  const m = { left: 64, right: 16, top: 32, bottom: 56 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMaxData = 0;
  for (const s of o.series) {
    for (const x of s.x) {
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
    }
    for (const y of s.y) if (y > yMaxData) yMaxData = y;
  }
  if (!Number.isFinite(xMin)) {
    xMin = 0;
    xMax = 1;
  }
  if (xMax <= xMin) xMax = xMin + 1;
  const yStep = niceStep(o.yMax ?? (yMaxData > 0 ? yMaxData : 1), 5);
  const yTop = Math.max(o.yMax ?? 0, Math.ceil((yMaxData > 0 ? yMaxData : 1) / yStep) * yStep);
  const sx = (x: number): number => m.left + ((x - xMin) / (xMax - xMin)) * pw;
  const sy = (y: number): number => m.top + ph - (y / yTop) * ph;

  const parts: string[] = [];
  const titleId = `${o.id}-title`;
  parts.push(
    `<svg id="${escapeXml(o.id)}" class="plot line-plot" xmlns="http://www.w3.org/2000/svg" ` +
      `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${escapeXml(titleId)}">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(o.title)}</title>`,
    `<text class="plot-title" x="${m.left}" y="20">${escapeXml(o.title)}</text>`,
  );
  for (const v of ticks(0, yTop, yStep)) {
    const y = n(sy(v));
    parts.push(
      `<line class="grid" x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(o.yFormat(v))}</text>`,
    );
  }
  const xStep = niceStep(xMax - xMin, 6);
  for (const v of ticks(xMin, xMax, xStep)) {
    if (v < xMin - xStep * 1e-9) continue;
    const x = n(sx(v));
    parts.push(
      `<line class="axis-tick" x1="${x}" x2="${x}" y1="${m.top + ph}" y2="${m.top + ph + 4}"/>`,
      `<text class="tick" x="${x}" y="${m.top + ph + 16}" text-anchor="middle">${escapeXml(o.xFormat(v))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}"/>`,
    `<line class="axis" x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}"/>`,
    `<text class="axis-label" x="${m.left + pw / 2}" y="${height - 22}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    `<text class="axis-label" transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`,
  );
  for (const s of o.series) {
    const reduced = envelope(s.x, s.y, o.maxPoints ?? 1600);
    const pts: string[] = [];
    for (let i = 0; i < reduced.x.length; i++) {
      const x = sx(reduced.x[i] ?? 0);
      const y = sy(reduced.y[i] ?? 0);
      if (o.step === true && i > 0) pts.push(`${n(x)},${n(sy(reduced.y[i - 1] ?? 0))}`);
      pts.push(`${n(x)},${n(y)}`);
    }
    parts.push(
      `<polyline class="series" data-series="${escapeXml(s.name)}" fill="none" stroke="${escapeXml(s.color)}" ` +
        `stroke-width="1.5"${s.dashed === true ? ' stroke-dasharray="6 3"' : ''} points="${pts.join(' ')}"/>`,
    );
  }
  let lx = m.left;
  for (const s of o.series) {
    parts.push(
      `<rect x="${lx}" y="${height - 12}" width="12" height="4" fill="${escapeXml(s.color)}"/>`,
      `<text class="legend" x="${lx + 16}" y="${height - 8}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
    lx += 28 + s.name.length * 7;
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export interface Bar {
  label: string;
  value: number;
  color: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  bars: readonly Bar[];
  format: (v: number) => string;
  width?: number;
}

/** A horizontal bar chart (one bar per policy) as one inline `<svg>`. */
export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 360;
  const barH = 20;
  const gap = 8;
  const labelW = Math.min(140, 12 + Math.max(0, ...o.bars.map((b) => b.label.length)) * 7);
  const top = 30;
  const valueW = 84;
  const height = top + o.bars.length * (barH + gap) + 8;
  const max = Math.max(0, ...o.bars.map((b) => b.value));
  const pw = width - labelW - valueW;
  const titleId = `${o.id}-title`;
  const parts: string[] = [
    `<svg id="${escapeXml(o.id)}" class="plot bar-plot" xmlns="http://www.w3.org/2000/svg" ` +
      `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${escapeXml(titleId)}">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(o.title)}</title>`,
    `<text class="plot-title" x="4" y="18">${escapeXml(o.title)}</text>`,
  ];
  o.bars.forEach((b, i) => {
    const y = top + i * (barH + gap);
    const w = max > 0 ? (Math.max(0, b.value) / max) * pw : 0;
    parts.push(
      `<text class="tick" x="${labelW - 6}" y="${y + barH / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(b.label)}</text>`,
      `<rect class="bar" data-series="${escapeXml(b.label)}" x="${labelW}" y="${y}" width="${n(w)}" height="${barH}" fill="${escapeXml(b.color)}"/>`,
      `<text class="value" x="${n(labelW + w + 4)}" y="${y + barH / 2}" dominant-baseline="middle">${escapeXml(o.format(b.value))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
