import type { Flavor, RequestSpec } from '@opie/core';
import { seededRandom } from '@opie/core';
import type { FlavorSpec } from './cloud.js';
import { hostName, M1_MEDIUM, M1_MEDIUM_SSD, ZONES } from './cloud.js';

/**
 * The benchmarked runs, each a `plan()` + `execute()` per decision (what
 * `selectDestinations` does), claims kept:
 * - `normal`: one m1.medium, image x86_64 / qemu / hvm, no zone, under nova's
 *   driver: every host goes through every filter and weigher.
 * - `constrained`: an m1.medium.ssd (`aggregate_instance_extra_specs:ssd =
 *   true`) in az1, az2, az3 in turn, in an anti-affinity server group that
 *   already has members on 8 hosts, under nova's driver.
 * - `preempt`: one normal m1.medium on the `full` cloud under opie's driver
 *   (`host_selection = prefer-no-preemption`): it only fits where
 *   preemptible instances are counted as free, so decisions preempt.
 */
export type Scenario = 'normal' | 'constrained' | 'preempt';

export const SCENARIOS: readonly Scenario[] = ['normal', 'constrained', 'preempt'];

/** Members of the constrained request's server group. */
export const GROUP_MEMBERS = 8;

export const IMAGE_PROPERTIES = {
  architecture: 'x86_64',
  hypervisor_type: 'qemu',
  vm_mode: 'hvm',
} as const;

function toFlavor(f: FlavorSpec): Flavor {
  return {
    id: f.id,
    name: f.name,
    memoryMb: f.memoryMb,
    vcpus: f.vcpus,
    rootGb: f.rootGb,
    ephemeralGb: 0,
    swap: 0,
    extraSpecs: { ...(f.extraSpecs ?? {}) },
  };
}

/** Whether a scenario runs on the `full` cloud under opie's driver. */
export function preempts(scenario: Scenario): boolean {
  return scenario === 'preempt';
}

/**
 * Request `i` of a run on a cloud of `hosts` hosts: one normal (not
 * preemptible) instance. The constrained request's group members are drawn
 * from a source seeded by `i`, so every run asks the same.
 */
export function benchRequest(scenario: Scenario, i: number, hosts: number): RequestSpec {
  const spec: RequestSpec = {
    requestId: `req-${scenario}-${i}`,
    instanceUuids: [`${scenario}-${i}`],
    projectId: 'project-bench',
    flavor: toFlavor(scenario === 'constrained' ? M1_MEDIUM_SSD : M1_MEDIUM),
    image: { id: 'cirros', properties: { ...IMAGE_PROPERTIES } },
    schedulerHints: {},
    numInstances: 1,
  };
  if (scenario === 'constrained') {
    spec.availabilityZone = ZONES[i % ZONES.length] as string;
    const random = seededRandom(i + 1);
    const members: string[] = [];
    for (let k = 0; k < GROUP_MEMBERS; k++) members.push(hostName(Math.floor(random() * hosts)));
    spec.instanceGroup = { uuid: `group-${i}`, policies: ['anti-affinity'], hosts: members };
  }
  return spec;
}
