/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests read JSON response bodies loosely */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from './__fixtures__/harness.js';
import type { Json, TestApi } from './__fixtures__/harness.js';
import { FakeClock } from './__fixtures__/manual-timer.js';
import { TEST_NOVA_CONF, testCloud } from './__fixtures__/test-cloud.js';
import { createRuntime } from '@opie/core';

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

/** The real client as `token` (noauth2 `USER:PROJECT`), with the admin_token auth plugin. */
async function openstackAs(token: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(
    'openstack',
    [
      '--os-auth-type',
      'admin_token',
      '--os-token',
      token,
      '--os-endpoint',
      `${t.api.url}/v2.1`,
      ...args,
    ],
    { timeout: 90_000, env: cleanEnv() },
  );
  return stdout;
}

async function jsonAs<T = Json>(token: string, ...args: string[]): Promise<T> {
  return JSON.parse(await openstackAs(token, ...args, '-f', 'json')) as T;
}

/** Runs the client and returns its exit failure's stderr (the command must fail). */
async function failureAs(token: string, ...args: string[]): Promise<string> {
  try {
    await openstackAs(token, ...args);
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr ?? error);
  }
  throw new Error(`openstack ${args.join(' ')} succeeded as ${token}; expected a failure`);
}

const ALICE = 'alice:projA';
const BOB = 'bob:projB';
const ADMIN = 'admin:admin';

beforeAll(async () => {
  problem = await clientProblem();
  // One host: a normal large server only fits by preempting.
  t = await startTestApi({ cloud: testCloud({ hosts: 1 }) });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('the real OpenStack client (python3-openstackclient), noauth2 tokens through admin_token', () => {
  it('is installed', () => {
    expect(problem, problem).toBeUndefined();
  });

  it('lists flavors', async () => {
    expect(problem, problem).toBeUndefined();
    const flavors = await jsonAs<Array<{ Name: string; RAM: number }>>(ALICE, 'flavor', 'list');
    expect(flavors.map((f) => [f.Name, f.RAM])).toEqual([
      ['tiny', 1024],
      ['small', 2048],
      ['medium', 4096],
      ['large', 8192],
    ]);
  });

  it("creates project A's preemptible server, then B's normal one that preempts it; each project sees only its own; the admin sees the hypervisors", async () => {
    expect(problem, problem).toBeUndefined();
    const batch = await jsonAs(
      ALICE,
      'server',
      'create',
      '--wait',
      '--flavor',
      'medium',
      '--image',
      'cirros',
      '--hint',
      'preemptible=True',
      'batch',
    );
    expect(batch).toMatchObject({ name: 'batch', status: 'ACTIVE', preemptible: true });
    // Where it runs is admin only (nova's extended server attributes).
    expect(batch['OS-EXT-SRV-ATTR:host']).toBeUndefined();
    expect(
      (await jsonAs(ADMIN, 'server', 'show', batch.id as string))['OS-EXT-SRV-ATTR:host'],
    ).toBe('node1');

    const prod = await jsonAs(
      BOB,
      'server',
      'create',
      '--wait',
      '--flavor',
      'large',
      '--image',
      'cirros',
      'prod',
    );
    expect(prod).toMatchObject({ name: 'prod', status: 'ACTIVE', preemptible: false });
    const prodRecord = await t.api.service.getServer(prod.id as string);

    const shown = await jsonAs(ALICE, 'server', 'show', 'batch');
    expect(shown).toMatchObject({ status: 'ERROR', preemptible: true });
    expect(shown.fault).toMatchObject({
      code: 409,
      message: `preempted by request ${prodRecord?.requestId} (server ${prod.id})`,
    });

    // Each project lists only its own servers; the other's are not found.
    const listOf = async (token: string) =>
      (await jsonAs<Array<{ Name: string; Status: string }>>(token, 'server', 'list')).map((s) => [
        s.Name,
        s.Status,
      ]);
    expect(await listOf(ALICE)).toEqual([['batch', 'ERROR']]);
    expect(await listOf(BOB)).toEqual([['prod', 'ACTIVE']]);
    expect(await failureAs(BOB, 'server', 'show', batch.id as string)).toContain(
      'No server with a name or ID',
    );
    expect(await failureAs(BOB, 'server', 'delete', batch.id as string)).toMatch(
      /No server|not found/i,
    );
    const all = await jsonAs<Array<{ Name: string }>>(ADMIN, 'server', 'list', '--all-projects');
    expect(all.map((s) => s.Name).sort()).toEqual(['batch', 'prod']);
    expect(await failureAs(BOB, 'server', 'list', '--all-projects')).toContain('403');

    expect(await failureAs(BOB, 'hypervisor', 'list')).toContain('403');
    const hypervisors = await jsonAs<Array<Record<string, unknown>>>(ADMIN, 'hypervisor', 'list');
    expect(hypervisors).toEqual([
      expect.objectContaining({ 'Hypervisor Hostname': 'node1', State: 'up' }),
    ]);
    const stats = await jsonAs(ADMIN, 'hypervisor', 'stats', 'show');
    expect(stats).toMatchObject({ count: 1, running_vms: 1, memory_mb_used: 512 + 8192 });

    await openstackAs(BOB, 'server', 'delete', 'prod');
    await openstackAs(ALICE, 'server', 'delete', batch.id as string);
    expect(await jsonAs(ALICE, 'server', 'list')).toEqual([]);
    expect(await jsonAs(BOB, 'server', 'list')).toEqual([]);
    const after = await jsonAs(ADMIN, 'hypervisor', 'stats', 'show');
    expect(after).toMatchObject({ running_vms: 0, memory_mb_used: 512 });
  });
});

describe('the real OpenStack client: server groups', () => {
  let g: TestApi | undefined;
  let saved: TestApi;
  beforeAll(async () => {
    saved = t;
    g = await startTestApi({
      cloud: testCloud({ hosts: 2 }),
      configFiles: [
        {
          path: 'groups.conf',
          text: TEST_NOVA_CONF.replace(
            'ComputeFilter, ImagePropertiesFilter',
            'ComputeFilter, ImagePropertiesFilter, ServerGroupAntiAffinityFilter',
          ),
        },
      ],
    });
    t = g; // openstackAs talks to `t`
  }, 120_000);
  afterAll(async () => {
    t = saved;
    await g?.close();
  });

  it('server group create --policy anti-affinity, then members on distinct hosts', async () => {
    expect(problem, problem).toBeUndefined();
    const group = await jsonAs(
      ALICE,
      'server',
      'group',
      'create',
      '--policy',
      'anti-affinity',
      'web',
    );
    expect(group).toMatchObject({ name: 'web' });
    const ids: string[] = [];
    for (const name of ['web-1', 'web-2']) {
      const s = await jsonAs(
        ALICE,
        'server',
        'create',
        '--wait',
        '--flavor',
        'tiny',
        '--image',
        'cirros',
        '--hint',
        `group=${String(group.id)}`,
        name,
      );
      expect(s.status).toBe('ACTIVE');
      ids.push(s.id as string);
    }
    const hosts = await Promise.all(
      ids.map(async (id) =>
        String((await jsonAs(ADMIN, 'server', 'show', id))['OS-EXT-SRV-ATTR:host']),
      ),
    );
    expect(new Set(hosts).size).toBe(2);
    const shown = await jsonAs(ALICE, 'server', 'group', 'show', 'web');
    expect(String(shown.members)).toContain(ids[0]);
    expect(String(shown.members)).toContain(ids[1]);
    // A third member has no host left: ERROR with NoValidHost.
    const third = await jsonAs(
      ALICE,
      'server',
      'create',
      '--flavor',
      'tiny',
      '--image',
      'cirros',
      '--hint',
      `group=${String(group.id)}`,
      'web-3',
    );
    // Answered in BUILD (`--wait` fails on ERROR): wait for the decision, then show it.
    await t.client.waitWhile(third.id as string, (x) => x.status === 'BUILD');
    expect((await jsonAs(ALICE, 'server', 'show', 'web-3')).status).toBe('ERROR');
    // Project B cannot find it: the command fails (the API answers 404; this client
    // version then trips on its own name lookup), and B's list is empty.
    await failureAs(BOB, 'server', 'group', 'show', String(group.id));
    expect(await jsonAs(BOB, 'server', 'group', 'list')).toEqual([]);
    const list = await jsonAs<Array<{ Name: string }>>(ALICE, 'server', 'group', 'list');
    expect(list.map((x) => x.Name)).toEqual(['web']);
    await openstackAs(ALICE, 'server', 'group', 'delete', 'web');
    expect(await jsonAs(ALICE, 'server', 'group', 'list')).toEqual([]);
  });
});

describe('the real OpenStack client: a preemption with a grace period, watched through server show', () => {
  const GRACE_S = 600;
  const clock = new FakeClock();
  let g: TestApi | undefined;
  let saved: TestApi;
  beforeAll(async () => {
    saved = t;
    g = await startTestApi({
      cloud: testCloud({ hosts: 1 }),
      configFiles: [
        {
          path: 'grace.conf',
          text: `${TEST_NOVA_CONF}\n[preemptible_instances_scheduler]\ngrace_period = ${GRACE_S}\ntermination_action = stop\n`,
        },
      ],
      // The grace period passes when the test moves this clock (and calls tick).
      runtime: createRuntime({ now: clock.now }),
      sweepMs: 0,
    });
    t = g; // openstackAs talks to `t`
  }, 120_000);
  afterAll(async () => {
    t = saved;
    await g?.close();
  });

  it('server create --wait returns once the victim is stopped; server show and server event list show the notice meanwhile', async () => {
    expect(problem, problem).toBeUndefined();
    const batch = await jsonAs(
      ALICE,
      'server',
      'create',
      '--wait',
      '--flavor',
      'large',
      '--image',
      'cirros',
      '--hint',
      'preemptible=True',
      'batch',
    );
    expect(batch.status).toBe('ACTIVE');
    const noticeAt = clock.ms;
    // Bob's create waits (the client polls) while the victim has its notice.
    const creating = jsonAs(
      BOB,
      'server',
      'create',
      '--wait',
      '--flavor',
      'large',
      '--image',
      'cirros',
      'prod',
    );
    const admin = t.client.as('admin');
    let prodId: string | undefined;
    const until = Date.now() + 60_000;
    while (prodId === undefined) {
      const listed = (await admin.get('/v2.1/servers/detail?all_tenants=1&name=prod')).body.servers;
      if (listed[0]?.['OS-EXT-STS:task_state'] === 'spawning') prodId = listed[0].id as string;
      else await new Promise((resolve) => setTimeout(resolve, 50));
      expect(Date.now()).toBeLessThan(until);
    }
    const shown = await jsonAs(ALICE, 'server', 'show', 'batch');
    expect(shown).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'preempting' });
    const events = await jsonAs<Array<Record<string, unknown>>>(
      ALICE,
      'server',
      'event',
      'list',
      'batch',
    );
    const prodRecord = await t.api.service.getServer(prodId);
    expect(events).toContainEqual(
      expect.objectContaining({ Action: 'preempt', 'Request ID': prodRecord?.requestId }),
    );
    const event = await jsonAs(
      ALICE,
      'server',
      'event',
      'show',
      'batch',
      String(prodRecord?.requestId),
    );
    // Due: the notice time (the frozen clock) plus the grace period, to the second.
    const due = new Date(noticeAt + GRACE_S * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(String(event.message)).toContain(due);

    clock.advance(GRACE_S * 1000);
    await t.api.service.tick();
    const prod = await creating;
    expect(prod).toMatchObject({ name: 'prod', status: 'ACTIVE' });
    expect(await jsonAs(ALICE, 'server', 'show', 'batch')).toMatchObject({
      status: 'SHUTOFF',
      'OS-EXT-STS:task_state': null,
    });
  }, 180_000);
});
