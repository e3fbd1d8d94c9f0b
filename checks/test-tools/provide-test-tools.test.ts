import { describe, expect, it } from 'vitest';
import { plan, TOOLS } from './provide-test-tools.js';

const [chromium, openstack] = TOOLS;

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
      packages: ['chromium', 'python3-openstackclient'],
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
