import { makeComputeNode, makeFlavor } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { statusOf } from '../store/server-store.js';
import { flavorDetail, flavorSummary } from './flavor-view.js';
import { hypervisorDetail, hypervisorStatistics, hypervisorSummary } from './hypervisor-view.js';
import { glanceImage } from './image-view.js';
import { instanceActionView } from './instance-action-view.js';
import { isoTime, usageTime } from './links.js';
import { hostIdOf } from './server-view.js';
import { versionDocument, versionsDocument } from './versions-view.js';

describe('statusOf (nova status_from_state)', () => {
  it.each([
    ['active', null, 'ACTIVE'],
    ['active', 'rebooting', 'REBOOT'],
    ['building', null, 'BUILD'],
    ['stopped', null, 'SHUTOFF'],
    ['error', null, 'ERROR'],
    ['deleted', null, 'DELETED'],
    ['shelved_offloaded', null, 'SHELVED_OFFLOADED'],
    ['weird', null, 'UNKNOWN'],
  ])('%s/%s is %s', (vm, task, status) => {
    expect(statusOf(vm, task)).toBe(status);
  });
});

describe('times', () => {
  it('prints nova times', () => {
    expect(isoTime(Date.UTC(2024, 2, 5, 12, 0, 0, 123))).toBe('2024-03-05T12:00:00Z');
    expect(usageTime(Date.UTC(2024, 2, 5, 12, 0, 0, 123))).toBe('2024-03-05T12:00:00.123000');
    expect(isoTime(null)).toBeNull();
    expect(usageTime(undefined)).toBeNull();
  });
});

describe('hostIdOf', () => {
  it('hashes project and host with sha224, empty without a host', () => {
    expect(hostIdOf('p', 'h')).toMatch(/^[0-9a-f]{56}$/);
    expect(hostIdOf('p', 'h')).not.toBe(hostIdOf('q', 'h'));
    expect(hostIdOf('p', null)).toBe('');
  });
});

describe('flavor views', () => {
  it('shows swap as "" when there is none, and the MB otherwise', () => {
    const f = makeFlavor({ id: '7', flavorid: 'x7', name: 'f', swap: 0 });
    expect(flavorSummary(f, 'http://h').id).toBe('x7');
    expect(flavorDetail(f, 'http://h').swap).toBe('');
    expect(flavorDetail({ ...f, swap: 512 }, 'http://h').swap).toBe(512);
  });
});

describe('hypervisor views', () => {
  const record = makeComputeNode({
    host: 'h1',
    hypervisorHostname: 'n1',
    memoryMb: 1000,
    freeRamMb: 400,
    localGbUsed: 10,
    freeDiskGb: 90,
    stats: { num_instances: '3', io_workload: '1' },
  });
  it('shows state and status from the service', () => {
    expect(hypervisorSummary({ id: 1, record, service: undefined })).toMatchObject({
      state: 'down',
      status: 'disabled',
    });
    expect(
      hypervisorSummary({ id: 1, record, service: { host: 'h1', disabled: true } }),
    ).toMatchObject({ state: 'up', status: 'disabled' });
  });
  it('details usage and sums it in statistics', () => {
    const entry = { id: 2, record, service: { host: 'h1', disabled: false } };
    expect(hypervisorDetail(entry)).toMatchObject({
      memory_mb_used: 600,
      running_vms: 3,
      current_workload: 1,
      disk_available_least: 90,
      service: { host: 'h1', id: 2, disabled_reason: null },
    });
    expect(hypervisorStatistics([entry, entry]).hypervisor_statistics).toMatchObject({
      count: 2,
      memory_mb: 2000,
      memory_mb_used: 1200,
      running_vms: 6,
    });
  });
});

describe('glanceImage', () => {
  it('puts properties at the top without letting them shadow Glance attributes', () => {
    const view = glanceImage(
      {
        id: 'i',
        status: 'active',
        minRam: 0,
        minDisk: 0,
        properties: { os_distro: 'ubuntu', status: 'hacked', id: 'other' },
      },
      0,
    );
    expect(view).toMatchObject({ id: 'i', status: 'active', os_distro: 'ubuntu', name: null });
    expect(view.created_at).toBe('1970-01-01T00:00:00Z');
  });
});

describe('versions', () => {
  it('links every version under the base URL', () => {
    expect(versionsDocument('http://h').versions[1]?.links[0]?.href).toBe('http://h/v2.1/');
    expect(versionDocument('http://h').version['media-types'][0]?.type).toContain('version=2.1');
  });
});

describe('instance action views', () => {
  const base = {
    instanceUuid: 'v',
    requestId: 'req-1',
    projectId: 'p',
    userId: null,
    startTime: Date.parse('2026-01-01T00:00:00Z'),
    message: 'm',
  };
  it("shows nova's fields, and opie's on a preempt only", () => {
    const create = instanceActionView({ ...base, action: 'create', userId: 'u' });
    expect(Object.keys(create).sort()).toEqual(
      [
        'action',
        'instance_uuid',
        'message',
        'project_id',
        'request_id',
        'start_time',
        'user_id',
      ].sort(),
    );
    const preempt = instanceActionView({
      ...base,
      action: 'preempt',
      terminateAt: Date.parse('2026-01-01T00:10:00Z'),
      terminationAction: 'stop',
      preemptedFor: 'n',
      finishTime: null,
      outcome: null,
    });
    expect(preempt).toMatchObject({
      start_time: '2026-01-01T00:00:00Z',
      'opie:terminate_at': '2026-01-01T00:10:00Z',
      'opie:termination_action': 'stop',
      'opie:preempted_for': 'n',
      'opie:outcome': null,
    });
    expect(preempt['events']).toBeUndefined();
  });
  it('details one event: pending (no finish, no result), done (Success) or ended otherwise (Cancelled)', () => {
    const at = (outcome: string | null, finishTime: number | null) =>
      (
        instanceActionView({ ...base, action: 'preempt', outcome, finishTime }, true)[
          'events'
        ] as Array<Record<string, unknown>>
      )[0];
    expect(at(null, null)).toMatchObject({
      event: 'compute_preempt_instance',
      finish_time: null,
      result: null,
    });
    const t = Date.parse('2026-01-01T00:10:00Z');
    expect(at('terminated', t)).toMatchObject({
      finish_time: '2026-01-01T00:10:00Z',
      result: 'Success',
    });
    expect(at('deleted', t)).toMatchObject({ result: 'Cancelled' });
    expect(at('cancelled', t)).toMatchObject({ result: 'Cancelled' });
    const create = instanceActionView({ ...base, action: 'create' }, true)['events'] as Array<
      Record<string, unknown>
    >;
    expect(create[0]).toMatchObject({ start_time: '2026-01-01T00:00:00Z', result: 'Success' });
  });
});
