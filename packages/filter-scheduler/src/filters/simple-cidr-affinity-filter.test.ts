import { describe, expect, it } from 'vitest';
import type { SchedulerHints } from '@opie/core';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  createSimpleCidrAffinityFilter,
  simpleCidrAffinityFilterPlugin,
} from './simple-cidr-affinity-filter.js';

const host = (hostIp: string | undefined) => makeHost({ hostIp });
const hints = (schedulerHints: SchedulerHints) => makeRequest({ schedulerHints });

describe('SimpleCIDRAffinityFilter', () => {
  it('test_affinity_simple_cidr_filter_passes (nova)', () => {
    const filter = createSimpleCidrAffinityFilter();
    const request = hints({ cidr: '/24', build_near_host_ip: '10.8.1.100' });
    expect(filter.hostPasses(host('10.8.1.1'), request)).toBe(true);
  });

  it('test_affinity_simple_cidr_filter_fails (nova)', () => {
    const filter = createSimpleCidrAffinityFilter();
    const request = hints({ cidr: '/32', build_near_host_ip: '10.8.1.100' });
    expect(filter.hostPasses(host('10.8.1.1'), request)).toBe(false);
  });

  it('test_affinity_simple_cidr_filter_handles_none (nova): no hint passes', () => {
    const filter = createSimpleCidrAffinityFilter();
    const none = makeRequest({ schedulerHints: undefined as unknown as SchedulerHints });
    expect(filter.hostPasses(host('10.8.1.1'), none)).toBe(true);
    expect(filter.hostPasses(host(undefined), hints({}))).toBe(true);
    expect(filter.hostPasses(host(undefined), hints({ build_near_host_ip: '' }))).toBe(true);
  });

  it('cidr defaults to /24', () => {
    const filter = createSimpleCidrAffinityFilter();
    const request = hints({ build_near_host_ip: '10.8.1.100' });
    expect(filter.hostPasses(host('10.8.1.254'), request)).toBe(true);
    expect(filter.hostPasses(host('10.8.2.1'), request)).toBe(false);
  });

  it('an empty cidr hint means the single address (ip + "")', () => {
    const filter = createSimpleCidrAffinityFilter();
    const request = hints({ build_near_host_ip: '10.8.1.100', cidr: '' });
    expect(filter.hostPasses(host('10.8.1.100'), request)).toBe(true);
    expect(filter.hostPasses(host('10.8.1.101'), request)).toBe(false);
  });

  it('one-element list hints are unwrapped (as nova Mitaka+ does)', () => {
    const filter = createSimpleCidrAffinityFilter();
    const request = hints({ cidr: ['/24'], build_near_host_ip: ['10.8.1.100'] });
    expect(filter.hostPasses(host('10.8.1.1'), request)).toBe(true);
  });

  it('IPv6 networks', () => {
    const filter = createSimpleCidrAffinityFilter();
    const request = hints({ build_near_host_ip: '2001:db8::1', cidr: '/64' });
    expect(filter.hostPasses(host('2001:db8::abcd'), request)).toBe(true);
    expect(filter.hostPasses(host('2001:db8:0:1::1'), request)).toBe(false);
    expect(filter.hostPasses(host('10.8.1.1'), request)).toBe(false);
  });

  it('an IPv4 netmask cidr, as netaddr accepts', () => {
    const filter = createSimpleCidrAffinityFilter();
    const request = hints({ build_near_host_ip: '10.8.1.100', cidr: '/255.255.0.0' });
    expect(filter.hostPasses(host('10.8.200.1'), request)).toBe(true);
    expect(filter.hostPasses(host('10.9.0.1'), request)).toBe(false);
  });

  it('a malformed ip, cidr or host IP fails the host instead of throwing', () => {
    const filter = createSimpleCidrAffinityFilter();
    expect(filter.hostPasses(host('10.8.1.1'), hints({ build_near_host_ip: 'nope' }))).toBe(false);
    const badCidr = hints({ build_near_host_ip: '10.8.1.100', cidr: '/33' });
    expect(filter.hostPasses(host('10.8.1.1'), badCidr)).toBe(false);
    const noSlash = hints({ build_near_host_ip: '10.8.1.100', cidr: '24' });
    expect(filter.hostPasses(host('10.8.1.1'), noSlash)).toBe(false);
    const twoIps = hints({ build_near_host_ip: ['10.8.1.100', '10.8.1.101'] });
    expect(filter.hostPasses(host('10.8.1.1'), twoIps)).toBe(false);
    const good = hints({ build_near_host_ip: '10.8.1.100' });
    expect(filter.hostPasses(host(undefined), good)).toBe(false);
    expect(filter.hostPasses(host('10.8.1'), good)).toBe(false);
  });

  it('re-parses when the hints change between requests', () => {
    const filter = createSimpleCidrAffinityFilter();
    expect(filter.hostPasses(host('10.0.0.1'), hints({ build_near_host_ip: '10.0.0.9' }))).toBe(
      true,
    );
    expect(filter.hostPasses(host('10.0.0.1'), hints({ build_near_host_ip: '10.0.1.9' }))).toBe(
      false,
    );
    const wide = hints({ build_near_host_ip: '10.0.1.9', cidr: '/16' });
    expect(filter.hostPasses(host('10.0.0.1'), wide)).toBe(true);
  });

  it('plugin definition', () => {
    expect(simpleCidrAffinityFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.affinity_filter.SimpleCIDRAffinityFilter',
    );
    expect(simpleCidrAffinityFilterPlugin.options).toBeUndefined();
    const created = simpleCidrAffinityFilterPlugin.create(
      pluginContext(simpleCidrAffinityFilterPlugin),
    );
    expect(created.name).toBe('SimpleCIDRAffinityFilter');
    expect(created.runFilterOncePerRequest).toBe(true);
  });
});
