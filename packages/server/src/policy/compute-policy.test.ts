import { describe, expect, it } from 'vitest';
import { ApiError } from '../api-error.js';
import { COMPUTE_RULES, ComputePolicy, PolicyError } from './compute-policy.js';

const alice = { userId: 'alice', projectId: 'projA', roles: ['member'] };
const admin = { userId: 'admin', projectId: 'admin', roles: ['admin'] };
const ofB = { project_id: 'projB', user_id: 'bob' };

describe('ComputePolicy defaults (nova)', () => {
  const policy = ComputePolicy.create();
  it('lets the owner project or an admin act on a server', () => {
    expect(policy.check('os_compute_api:servers:show', alice)).toBe(true);
    expect(policy.check('os_compute_api:servers:show', alice, ofB)).toBe(false);
    expect(policy.check('os_compute_api:servers:delete', admin, ofB)).toBe(true);
  });
  it('keeps all_tenants, hypervisors, forced hosts and quota updates for admins', () => {
    for (const rule of [
      'os_compute_api:servers:index:get_all_tenants',
      'os_compute_api:os-hypervisors',
      'os_compute_api:servers:create:forced_host',
      'os_compute_api:os-quota-sets:update',
    ]) {
      expect(policy.check(rule, alice), rule).toBe(false);
      expect(policy.check(rule, admin), rule).toBe(true);
    }
  });
  it('lets anyone authenticated read flavors and images', () => {
    expect(policy.check('os_compute_api:flavors', alice)).toBe(true);
    expect(policy.check('os_compute_api:images', alice)).toBe(true);
  });
  it('enforce answers 403 with nova message', () => {
    try {
      policy.enforce('os_compute_api:os-hypervisors', alice);
      expect.unreachable();
    } catch (error) {
      expect(ApiError.isInstance(error) && error.status).toBe(403);
      expect((error as Error).message).toBe(
        "Policy doesn't allow os_compute_api:os-hypervisors to be performed.",
      );
    }
  });
});

describe('ComputePolicy overrides', () => {
  it('replaces nova rules and base rules, and accepts rules of ones own that are referred to', () => {
    const policy = ComputePolicy.create([
      { rule: 'os_compute_api:os-hypervisors', text: 'rule:ops', place: 'p.yaml:1' },
      { rule: 'ops', text: 'role:operator or rule:admin_api', place: 'p.yaml:2' },
      { rule: 'context_is_admin', text: 'role:cloud-admin', place: 'p.yaml:3' },
    ]);
    const operator = { userId: 'o', projectId: 'ops', roles: ['operator'] };
    expect(policy.check('os_compute_api:os-hypervisors', operator)).toBe(true);
    expect(policy.check('os_compute_api:os-hypervisors', alice)).toBe(false);
    // role:admin is no longer the admin role; cloud-admin is.
    expect(policy.isAdmin(admin)).toBe(false);
    expect(policy.isAdmin({ ...alice, roles: ['cloud-admin'] })).toBe(true);
  });
  it('lists every problem with its place: unknown names, bad expressions, undefined references', () => {
    try {
      ComputePolicy.create([
        { rule: 'os_compute_api:servers:frobnicate', text: '', place: 'p.yaml:4' },
        { rule: 'os_compute_api:servers:show', text: 'role:a or', place: 'p.yaml:5' },
        { rule: 'os_compute_api:servers:index', text: 'rule:missing', place: 'p.yaml:6' },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      const problems = (error as PolicyError).problems;
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/^p\.yaml:5: rule "os_compute_api:servers:show": /);
      expect(problems[1]).toMatch(
        /^p\.yaml:4: unknown rule name "os_compute_api:servers:frobnicate"/,
      );
      expect(problems[1]).toContain(Object.keys(COMPUTE_RULES)[0]);
      expect(problems[2]).toBe(
        'p.yaml:6: rule "os_compute_api:servers:index" refers to rule:missing, which is not defined',
      );
    }
  });
});
