import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const INSTALL_HINT =
  'Chromium is needed to test the HTML report. Install it (Debian): apt-get update && apt-get install -y chromium';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function run(
  file: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error !== null)
        reject(new Error(`${file} failed: ${error.message}\n${stderr}`, { cause: error }));
      else resolve({ stdout, stderr });
    });
  });
}

/** The first Chromium on PATH (or `$CHROMIUM`); throws with the install hint if there is none. */
export async function findChromium(): Promise<string> {
  const fromEnv = process.env['CHROMIUM'];
  for (const name of fromEnv !== undefined && fromEnv !== '' ? [fromEnv] : CANDIDATES) {
    try {
      await run(name, ['--version'], 30_000);
      return name;
    } catch {
      // try the next one
    }
  }
  throw new Error(INSTALL_HINT);
}

/** Loads a local file in headless Chromium (offline: no network, no profile) and returns its DOM. */
export async function dumpDom(path: string): Promise<string> {
  const chromium = await findChromium();
  const profile = await mkdtemp(join(tmpdir(), 'opie-chromium-'));
  try {
    const { stdout } = await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        pathToFileURL(path).href,
      ],
      90_000,
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
