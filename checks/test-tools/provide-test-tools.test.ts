import { describe, expect, it } from 'vitest';
import { isPresent, plan, TOOLS } from './provide-test-tools.js';

const [chromium, openstack, nova] = TOOLS;

describe('provide-test-tools plan', () => {
  it('does nothing when every tool is there, or when told to skip', () => {
    expect(plan({ missing: [], isRoot: true, hasAptGet: true, skip: false })).toEqual({
      action: 'none',
    });
    expect(plan({ missing: [...TOOLS], isRoot: true, hasAptGet: true, skip: true })).toEqual({
      action: 'none',
    });
  });

  it('installs the missing Debian packages as root', () => {
    const todo = plan({ missing: [...TOOLS], isRoot: true, hasAptGet: true, skip: false });
    expect(todo).toMatchObject({
      action: 'install',
      packages: ['chromium', 'python3-openstackclient', 'python3-nova'],
    });
  });

  it('not root: names what is missing, why, and the command to run', () => {
    const todo = plan({ missing: [openstack!], isRoot: false, hasAptGet: true, skip: false });
    expect(todo.action).toBe('advise');
    const message = 'message' in todo ? todo.message : '';
    expect(message).toContain("python3-openstackclient (the server's OpenStack client test)");
    expect(message).toContain(
      'sudo apt-get update && sudo apt-get install -y python3-openstackclient',
    );
    expect(message).not.toContain('chromium');
  });

  it('without apt-get: names the packages for another package manager', () => {
    const todo = plan({ missing: [chromium!], isRoot: true, hasAptGet: false, skip: false });
    expect(todo.action).toBe('advise');
    expect('message' in todo ? todo.message : '').toContain(
      "install chromium with your system's package manager",
    );
  });
});

describe('provide-test-tools presence', () => {
  it('a tool without a probe is present when its command is on the PATH', () => {
    const calls: string[][] = [];
    const run = (program: string, args: readonly string[]) => {
      calls.push([program, ...args]);
      return 0;
    };
    expect(isPresent(chromium!, run)).toBe(true);
    expect(calls).toEqual([['sh', '-c', 'command -v chromium']]);
    expect(isPresent(openstack!, () => 1)).toBe(false);
  });

  it('python3-nova is probed by importing nova with /usr/bin/python3, not by a command', () => {
    const calls: string[][] = [];
    const run = (program: string, args: readonly string[]) => {
      calls.push([program, ...args]);
      return 1;
    };
    expect(nova).toMatchObject({ pkg: 'python3-nova' });
    expect(isPresent(nova!, run)).toBe(false);
    expect(calls).toEqual([['/usr/bin/python3', '-c', 'import nova.scheduler.weights']]);
    expect(isPresent(nova!, () => 0)).toBe(true);
    // A failed start (no /usr/bin/python3) has no exit status: missing.
    expect(isPresent(nova!, () => null)).toBe(false);
  });

  it('not root: the advice names python3-nova and the apt-get command', () => {
    const todo = plan({ missing: [nova!], isRoot: false, hasAptGet: true, skip: false });
    expect('message' in todo ? todo.message : '').toContain(
      'sudo apt-get update && sudo apt-get install -y python3-nova',
    );
  });
});
