import { describe, expect, it } from 'vitest';
import {
  evaluatePolicyRule,
  parsePolicyRule,
  PolicyRuleSyntaxError,
  referencedRules,
} from './policy-rule.js';
import type { PolicyInput } from './policy-rule.js';

const input = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  credentials: { user_id: 'alice', project_id: 'projA', is_admin: 'False' },
  roles: ['member'],
  target: { project_id: 'projA', user_id: 'alice' },
  ...over,
});
const allows = (text: string, i: PolicyInput = input(), named: Record<string, string> = {}) =>
  evaluatePolicyRule(parsePolicyRule(text), i, (n) =>
    named[n] === undefined ? undefined : parsePolicyRule(named[n]),
  );

describe('parsePolicyRule / evaluatePolicyRule (oslo.policy rule language)', () => {
  it('treats the empty rule and @ as always, ! as never', () => {
    expect(allows('')).toBe(true);
    expect(allows('@')).toBe(true);
    expect(allows('!')).toBe(false);
  });
  it('checks roles (case-insensitively), literals and %(target)s substitutions', () => {
    expect(allows('role:member')).toBe(true);
    expect(allows('role:Member')).toBe(true);
    expect(allows('role:admin')).toBe(false);
    expect(allows('is_admin:True')).toBe(false);
    expect(allows('is_admin:False')).toBe(true);
    expect(allows("user_id:'alice'")).toBe(true);
    expect(allows('project_id:%(project_id)s')).toBe(true);
    expect(allows('project_id:%(project_id)s', input({ target: { project_id: 'projB' } }))).toBe(
      false,
    );
    expect(allows('project_id:%(missing)s')).toBe(false);
    expect(allows('unknown_credential:x')).toBe(false);
  });
  it('combines with not > and > or, and parentheses', () => {
    // "a or b and c" is a or (b and c): true here because a is.
    expect(allows('role:member or role:admin and !')).toBe(true);
    expect(allows('(role:member or role:admin) and !')).toBe(false);
    expect(allows('not role:admin')).toBe(true);
    expect(allows('not (role:member)')).toBe(false);
    expect(allows('((role:member))')).toBe(true);
    expect(allows('role:member and not project_id:%(project_id)s')).toBe(false);
  });
  it('follows rule:NAME; an unknown name is false', () => {
    expect(allows('rule:owner', input(), { owner: 'project_id:%(project_id)s' })).toBe(true);
    expect(allows('rule:nope')).toBe(false);
    expect(referencedRules(parsePolicyRule('rule:a or (not rule:b and role:x)'))).toEqual([
      'a',
      'b',
    ]);
  });
  it('stops on a cycle of rule references (false)', () => {
    expect(allows('rule:a', input(), { a: 'rule:b', b: 'rule:a' })).toBe(false);
  });
  it('throws a PolicyRuleSyntaxError naming the problem', () => {
    const cases: Array<[string, string]> = [
      ['role:admin or', 'expected a check or "(" but found the end'],
      ['(role:admin', 'expected ")" but found the end'],
      ['role:admin)', 'unexpected ")"'],
      ['role:a role:b', 'unexpected "role:b"'],
      ['admin', '"admin" is not a check'],
      ['role:', 'nothing after the colon'],
      ['http://x/check', 'http checks are not supported'],
      ['and role:a', 'found "and"'],
    ];
    for (const [text, message] of cases) {
      expect(() => parsePolicyRule(text), text).toThrow(PolicyRuleSyntaxError);
      expect(() => parsePolicyRule(text), text).toThrow(message);
    }
  });
});
