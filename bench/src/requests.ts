import type { RequestSpec } from '@opie/core';
import { M1_MEDIUM } from './cloud.js';

/**
 * The benchmarked runs, each a `plan()` + `execute()` per decision (what
 * `selectDestinations` does), claims kept: `normal` asks for an m1.medium
 * with no zone (every host goes through every filter and weigher: the worst
 * case); `zone` asks for az1 and az2 in turn (half the hosts); `preempt` runs
 * on a full cloud where only the preemptible-as-free view has room, so every
 * decision terminates victims.
 */
export type Scenario = 'normal' | 'zone' | 'preempt';

export const SCENARIOS: readonly Scenario[] = ['normal', 'zone', 'preempt'];

const IMAGE_PROPERTIES = { architecture: 'x86_64', hypervisor_type: 'qemu', vm_mode: 'hvm' };

/** Request `i` of a run: one normal (not preemptible) m1.medium instance. */
export function benchRequest(scenario: Scenario, i: number): RequestSpec {
  const spec: RequestSpec = {
    requestId: `req-${scenario}-${i}`,
    instanceUuids: [`${scenario}-${i}`],
    projectId: 'bench',
    flavor: M1_MEDIUM,
    image: { id: 'cirros', properties: IMAGE_PROPERTIES },
    schedulerHints: {},
    numInstances: 1,
  };
  if (scenario === 'zone') spec.availabilityZone = i % 2 === 0 ? 'az1' : 'az2';
  return spec;
}
