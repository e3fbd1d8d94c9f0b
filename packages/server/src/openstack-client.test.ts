/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests read JSON response bodies loosely */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { Json, TestApi } from './__fixtures__/harness.js';
import { testCloud } from './__fixtures__/test-cloud.js';

const run = promisify(execFile);

const INSTALL_HINT =
  'the openstack command is missing: install the real client with `apt-get install -y python3-openstackclient` (Debian); this test drives it against the service';

/** Whether `openstack` runs, and why not. */
async function clientProblem(): Promise<string | undefined> {
  try {
    await run('openstack', ['--version'], { timeout: 60_000 });
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT' ? INSTALL_HINT : `openstack --version failed: ${String(error)}`;
  }
}

/** The environment without any OS_* variable, so only our flags count. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OS_')) env[k] = v;
  return env;
}

let t: TestApi;
let problem: string | undefined;

async function openstack(...args: string[]): Promise<string> {
  const { stdout } = await run(
    'openstack',
    ['--os-auth-type', 'none', '--os-endpoint', `${t.api.url}/v2.1`, ...args],
    { timeout: 90_000, env: cleanEnv() },
  );
  return stdout;
}

async function openstackJson<T = Json>(...args: string[]): Promise<T> {
  return JSON.parse(await openstack(...args, '-f', 'json')) as T;
}

beforeAll(async () => {
  problem = await clientProblem();
  // One host: a normal large server only fits by preempting.
  t = await startTestApi({ cloud: testCloud({ hosts: 1 }) });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the real OpenStack client (python3-openstackclient), without keystone', () => {
  it('is installed', () => {
    expect(problem, problem).toBeUndefined();
  });

  it('lists flavors', async () => {
    expect(problem, problem).toBeUndefined();
    const flavors = await openstackJson<Array<{ Name: string; RAM: number }>>('flavor', 'list');
    expect(flavors.map((f) => [f.Name, f.RAM])).toEqual([
      ['tiny', 1024],
      ['small', 2048],
      ['medium', 4096],
      ['large', 8192],
    ]);
  });

  it('creates a preemptible server (--hint preemptible=True), then a normal one that preempts it; shows, lists, deletes', async () => {
    expect(problem, problem).toBeUndefined();
    const batch = await openstackJson(
      'server',
      'create',
      '--flavor',
      'medium',
      '--image',
      'cirros',
      '--hint',
      'preemptible=True',
      'batch',
    );
    expect(batch).toMatchObject({ name: 'batch', status: 'ACTIVE', preemptible: true });
    expect(batch['OS-EXT-SRV-ATTR:host']).toBe('node1');

    const prod = await openstackJson(
      'server',
      'create',
      '--flavor',
      'large',
      '--image',
      'cirros',
      'prod',
    );
    expect(prod).toMatchObject({ name: 'prod', status: 'ACTIVE', preemptible: false });
    const prodRecord = await t.api.service.getServer(prod.id as string);

    const shown = await openstackJson('server', 'show', 'batch');
    expect(shown).toMatchObject({ status: 'ERROR', preemptible: true });
    expect(shown.fault).toMatchObject({
      code: 409,
      message: `preempted by request ${prodRecord?.requestId} (server ${prod.id})`,
    });

    const list = await openstackJson<Array<{ Name: string; Status: string }>>('server', 'list');
    expect(list.map((s) => [s.Name, s.Status]).sort()).toEqual([
      ['batch', 'ERROR'],
      ['prod', 'ACTIVE'],
    ]);

    const hypervisors = await openstackJson<Array<Record<string, unknown>>>('hypervisor', 'list');
    expect(hypervisors).toEqual([
      expect.objectContaining({ 'Hypervisor Hostname': 'node1', State: 'up' }),
    ]);
    const stats = await openstackJson('hypervisor', 'stats', 'show');
    expect(stats).toMatchObject({ count: 1, running_vms: 1, memory_mb_used: 512 + 8192 });

    await openstack('server', 'delete', 'prod');
    await openstack('server', 'delete', batch.id as string);
    expect(await openstackJson('server', 'list')).toEqual([]);
    const after = await openstackJson('hypervisor', 'stats', 'show');
    expect(after).toMatchObject({ running_vms: 0, memory_mb_used: 512 });
  });
});
