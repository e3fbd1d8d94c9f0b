import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyError } from './compute-policy.js';
import { parsePolicyJson, parsePolicyYaml, readPolicyFile } from './policy-file.js';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PolicyError) return error.problems;
    throw error;
  }
  throw new Error('expected a PolicyError');
};

describe('parsePolicyYaml (the flat mapping oslo.policy files are)', () => {
  it('reads quoted and bare keys and values, skipping comments and blank lines, with their lines', () => {
    const text = [
      '# nova policy overrides',
      '---',
      '"os_compute_api:os-hypervisors": "role:ops"',
      '',
      "'admin_api': 'is_admin:True or role:''ops'''",
      'os_compute_api:servers:delete: rule:admin_api  # admins only',
      '"os_compute_api:flavors": ""',
    ].join('\n');
    expect(parsePolicyYaml(text, 'p.yaml')).toEqual([
      { rule: 'os_compute_api:os-hypervisors', text: 'role:ops', place: 'p.yaml:3' },
      { rule: 'admin_api', text: "is_admin:True or role:'ops'", place: 'p.yaml:5' },
      { rule: 'os_compute_api:servers:delete', text: 'rule:admin_api', place: 'p.yaml:6' },
      { rule: 'os_compute_api:flavors', text: '', place: 'p.yaml:7' },
    ]);
  });
  it('names the line of every line it cannot read', () => {
    const text = [
      '"a": "role:x"',
      '  "nested": "x"',
      'no colon here',
      '"b": "unterminated',
      '"a": "again"',
    ].join('\n');
    expect(problemsOf(() => parsePolicyYaml(text, 'p.yaml'))).toEqual([
      'p.yaml:2: indented line; a policy file is a flat mapping of "rule": "expression"',
      'p.yaml:3: expected "rule name": "expression", got "no colon here"',
      'p.yaml:4: unterminated "..." string; close the quote',
      'p.yaml:5: rule "a" is already set at p.yaml:1; keep one',
    ]);
  });
});

describe('parsePolicyJson', () => {
  it('reads an object of strings, each with the line of its name', () => {
    const text = '{\n  "os_compute_api:os-hypervisors": "role:ops",\n  "admin_api": "@"\n}\n';
    expect(parsePolicyJson(text, 'p.json')).toEqual([
      { rule: 'os_compute_api:os-hypervisors', text: 'role:ops', place: 'p.json:2' },
      { rule: 'admin_api', text: '@', place: 'p.json:3' },
    ]);
  });
  it('refuses bad JSON, a non-object and non-string rules', () => {
    expect(problemsOf(() => parsePolicyJson('{"a": ', 'p.json'))[0]).toMatch(
      /^p\.json: not valid JSON/,
    );
    expect(problemsOf(() => parsePolicyJson('[]', 'p.json'))).toEqual([
      'p.json: expected an object of "rule name": "expression"',
    ]);
    expect(problemsOf(() => parsePolicyJson('{\n"a": 1\n}', 'p.json'))).toEqual([
      'p.json:2: rule "a" must be a string expression, got 1',
    ]);
  });
});

describe('readPolicyFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opie-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  it('reads YAML, and JSON by extension or by a leading {', async () => {
    await writeFile(join(dir, 'p.yaml'), '"os_compute_api:os-hypervisors": "role:ops"\n');
    await writeFile(join(dir, 'p.json'), '{"os_compute_api:os-hypervisors": "role:ops"}');
    await writeFile(join(dir, 'p.conf'), '  {"os_compute_api:os-hypervisors": "role:ops"}');
    const ops = { userId: 'o', projectId: 'ops', roles: ['ops'] };
    for (const name of ['p.yaml', 'p.json', 'p.conf']) {
      const policy = await readPolicyFile(name, dir);
      expect(policy.check('os_compute_api:os-hypervisors', ops), name).toBe(true);
    }
  });
  it('names a file it cannot read', async () => {
    await expect(readPolicyFile('missing.yaml', dir)).rejects.toThrow(
      'missing.yaml: cannot read the policy file',
    );
  });
});
