import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDom, findChromium, INSTALL_HINT } from './__fixtures__/chromium.js';
import { PLOT_IDS } from './__fixtures__/plot-ids.js';
import { START, SPREAD_CONF, twoHosts } from './__fixtures__/two-hosts.js';
import { renderHtmlReport } from './html-report.js';
import { loadPolicy } from './load-policy.js';
import { simulate } from './simulate.js';
import { syntheticTrace } from './synthetic-trace.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opie-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the HTML report in headless Chromium (Debian package chromium)', () => {
  it('renders offline with every plot SVG in the DOM', { timeout: 120_000 }, async () => {
    const files = [{ path: 'spread.conf', text: SPREAD_CONF }];
    const policies = [
      await loadPolicy({ files, name: 'first' }),
      await loadPolicy({ files, name: 'second' }),
    ];
    const result = await simulate({
      policies,
      cloud: twoHosts(),
      trace: syntheticTrace({ requests: 200, seed: 3, meanInterarrivalS: 30, meanLifetimeS: 900 }),
      startMs: START,
      sampleIntervalS: 300,
    });
    const path = join(dir, 'report.html');
    await writeFile(path, renderHtmlReport(result), 'utf8');
    const dom = await dumpDom(path);
    expect(dom).toContain('<h1>opie simulate report</h1>');
    for (const id of PLOT_IDS) expect(dom).toMatch(new RegExp(`<svg id="${id}"[^>]*>`));
    expect(dom.match(/<polyline class="series"/g)).toHaveLength(6);
    // Two policies x one bar chart per figure (the PLOT_IDS after the 3 plots over time).
    expect(dom.match(/<rect class="bar"/g)?.length).toBe(2 * (PLOT_IDS.length - 3));
    expect(dom).toContain('<table id="figures">');
    expect(dom).toContain('<pre id="provenance">');
    expect(dom).toContain('<td>  of failed requests</td>');
  });
});

describe('without Chromium', () => {
  it('fails with how to install it', async () => {
    const saved = process.env['CHROMIUM'];
    process.env['CHROMIUM'] = '/nonexistent/chromium';
    try {
      await expect(findChromium()).rejects.toThrow('apt-get update && apt-get install -y chromium');
      expect(INSTALL_HINT).toMatch(/^Chromium is needed/);
    } finally {
      if (saved === undefined) delete process.env['CHROMIUM'];
      else process.env['CHROMIUM'] = saved;
    }
  });
});
