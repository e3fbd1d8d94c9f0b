import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstExample } from './first-example.js';
import { KNOWN_CONSUMER_TYPE_ERRORS, unexpectedDiagnostics } from './known-type-errors.js';

// Every public package, packed as npm would publish it, installed with npm in
// a directory outside the monorepo, and used there as a consumer would: typed
// under the strictest flags, every README's first example run verbatim, and
// `require()`d. Slow (about a minute): it installs zod, pg and PGlite from the
// registry.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('../', import.meta.url));

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: unknown;
  files?: string[];
  publishConfig?: { exports?: unknown };
}

interface PublicPackage {
  dir: string;
  json: PackageJson;
  tarball: string;
}

let work = '';
let consumer = '';
const packages: PublicPackage[] = [];
const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');

/** pnpm as this test was started with (turbo → pnpm run test), else npx's. */
function pnpm(args: string[], cwd: string) {
  const execPath = process.env['npm_execpath'];
  if (execPath !== undefined && /pnpm/.test(execPath)) {
    return run(process.execPath, [execPath, ...args], { cwd, timeout: 300_000 });
  }
  return run('npx', ['-y', 'pnpm@10', ...args], { cwd, timeout: 300_000 });
}

function node(args: string[], cwd: string, timeout = 120_000) {
  return run(process.execPath, args, { cwd, timeout, maxBuffer: 16 << 20 });
}

/** Runs and returns stdout and stderr, or the failure's output (never throws). */
async function attempt(
  file: string,
  args: string[],
  cwd: string,
): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      timeout: 300_000,
      maxBuffer: 16 << 20,
    });
    return { ok: true, out: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message };
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'opie-packed-'));
  const tarballs = join(work, 'tarballs');
  await mkdir(tarballs);
  for (const dir of (await readdir(join(repo, 'packages'))).sort()) {
    const json = JSON.parse(
      await readFile(join(repo, 'packages', dir, 'package.json'), 'utf8'),
    ) as PackageJson;
    if (json.private === true) continue;
    const before = new Set(await readdir(tarballs));
    await pnpm(['pack', '--pack-destination', tarballs], join(repo, 'packages', dir));
    const made = (await readdir(tarballs)).filter((f) => !before.has(f));
    expect(made, `pnpm pack in packages/${dir}`).toHaveLength(1);
    packages.push({ dir, json, tarball: join(tarballs, made[0] ?? '') });
  }

  consumer = join(work, 'consumer');
  await cp(join(here, 'consumer'), consumer, { recursive: true });
  const deps = Object.fromEntries(packages.map((p) => [p.json.name, `file:${p.tarball}`]));
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify(
      {
        name: 'opie-consumer',
        private: true,
        type: 'module',
        // The packages depend on each other by version: point those at the tarballs too.
        dependencies: { ...deps, '@types/node': '^20.19.0' },
        overrides: deps,
      },
      null,
      2,
    ),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: consumer,
    timeout: 600_000,
  });
}, 900_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('are every public package, each with its LICENSE and no monorepo-only export condition', async () => {
    expect(packages.map((p) => p.dir)).toEqual([
      'api-patch',
      'cli',
      'cloud',
      'core',
      'filter-scheduler',
      'host-manager',
      'loader',
      'server',
      'simulator',
      'weighers',
    ]);
    const license = await readFile(join(repo, 'LICENSE'), 'utf8');
    expect(license).toMatch(/Apache License\s+Version 2\.0/);
    for (const p of packages) {
      const installed = join(consumer, 'node_modules', p.json.name);
      expect(await readFile(join(installed, 'LICENSE'), 'utf8'), p.json.name).toBe(license);
      const published = await readFile(join(installed, 'package.json'), 'utf8');
      expect(published, p.json.name).not.toContain('@opie/source');
      expect(published, p.json.name).not.toContain('workspace:');
      const json = JSON.parse(published) as Record<string, unknown>;
      for (const field of ['homepage', 'bugs', 'keywords', 'license', 'repository']) {
        expect(json[field], `${p.json.name} ${field}`).toBeDefined();
      }
    }
  });

  it('can be require()d (Node >= 20.19 loads ESM from CommonJS)', async () => {
    for (const p of packages) {
      const script = `const m = require(${JSON.stringify(p.json.name)}); if (Object.keys(m).length === 0) throw new Error('no exports');`;
      const { stderr } = await node(['-e', script], consumer);
      expect(stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
    }
  }, 300_000);

  it("compile in a consumer under strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess and skipLibCheck: false, with every README's first example", async () => {
    for (const p of packages) {
      const readme = await readFile(join(repo, 'packages', p.dir, 'README.md'), 'utf8');
      const example = firstExample(readme);
      if (example.lang === 'ts') {
        await writeFile(join(consumer, 'src', `readme-${p.dir}.ts`), example.code);
      }
    }
    const { ok, out } = await attempt(
      process.execPath,
      [tsc, '-p', '.', '--pretty', 'false'],
      consumer,
    );
    const unexpected = unexpectedDiagnostics(out);
    expect(unexpected, out).toEqual([]);
    // Every known problem is still there (remove it from the list once fixed).
    for (const known of KNOWN_CONSUMER_TYPE_ERRORS) expect(out, known.why).toContain(known.text);
    expect(ok).toBe(KNOWN_CONSUMER_TYPE_ERRORS.length === 0);
  }, 300_000);

  it("run every package README's first example verbatim, outside the monorepo", async () => {
    // tsc emits JavaScript even with type errors (noEmitOnError is off).
    const emitted = await readdir(join(consumer, 'dist'));
    for (const p of packages) {
      const readme = await readFile(join(repo, 'packages', p.dir, 'README.md'), 'utf8');
      const example = firstExample(readme);
      if (example.lang !== 'ts') continue;
      const file = `readme-${p.dir}.js`;
      expect(emitted, p.dir).toContain(file);
      const result = await attempt(process.execPath, [join('dist', file)], consumer);
      expect(result.ok, `${p.dir} README example:\n${result.out}`).toBe(true);
    }
    const own = await node([join('dist', 'consumer.js')], consumer);
    // consumer.ts: c1 has too little RAM; c3 has the most free, then c2.
    expect(own.stdout).toBe('c3 c2\n');
  }, 300_000);

  it('give a working `opie` command', async () => {
    const bin = join(consumer, 'node_modules', '.bin', 'opie');
    const cli = packages.find((p) => p.dir === 'cli');
    const version = await run(bin, ['--version'], { cwd: consumer });
    expect(version.stdout).toBe(`${cli?.json.version ?? ''}\n`);
    const help = await run(bin, ['--help'], { cwd: consumer });
    expect(help.stdout).toMatch(/^Usage: opie <command>/);
    await writeFile(
      join(consumer, 'nova.conf'),
      '[DEFAULT]\nscheduler_driver = filter_scheduler\nscheduler_default_filters = RamFilter\n',
    );
    const show = await run(bin, ['config', 'show', 'nova.conf'], { cwd: consumer });
    expect(show.stdout).toMatch(
      /\nFilters, in order:\n +1\. +RamFilter +nova\.scheduler\.filters\.ram_filter\.RamFilter\n/,
    );
  }, 120_000);

  it('keep zod and everything else unused off the filters + weighers bundle (at most 100 KB minified)', async () => {
    const { build } = await import('esbuild');
    const entry = join(consumer, 'bundle-entry.js');
    await writeFile(
      entry,
      "export { createRamFilter, filterHosts } from '@opie/filter-scheduler';\n" +
        "export { createRamWeigher, weighHosts } from '@opie/weighers';\n",
    );
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      write: false,
      metafile: true,
      absWorkingDir: consumer,
    });
    const bytes = result.outputFiles[0]?.contents.byteLength ?? Infinity;
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.includes('node_modules/zod/'))).toEqual([]);
    expect(bytes).toBeLessThanOrEqual(100 * 1024);
    console.log(`filters + weighers bundle: ${(bytes / 1024).toFixed(1)} KB minified`);
  }, 120_000);

  it('import @opie/weighers without loading zod, in well under 50 ms', async () => {
    // zod is loaded on first use of an option schema only: no static import of it.
    const dist = await readFile(
      join(consumer, 'node_modules/@opie/weighers/dist/index.js'),
      'utf8',
    );
    expect(dist).not.toMatch(/from\s*["']zod/);
    // Best of five fresh processes, each timing only the import.
    const script =
      "const t = performance.now(); await import('@opie/weighers'); console.log(performance.now() - t);";
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { stdout } = await node(['--input-type=module', '-e', script], consumer);
      times.push(Number(stdout));
    }
    const best = Math.min(...times);
    console.log(`import('@opie/weighers'): best of 5 ${best.toFixed(1)} ms`);
    expect(best).toBeLessThan(50);
  }, 120_000);
});
