import { ApiError } from '../api-error.js';
import type { Caller } from '../identity.js';
import { evaluatePolicyRule, parsePolicyRule, referencedRules } from './policy-rule.js';
import type { PolicyRule } from './policy-rule.js';

/** nova's base rules, which the API rules refer to. @see nova/policies/base.py */
export const BASE_RULES: Readonly<Record<string, string>> = {
  context_is_admin: 'role:admin',
  admin_or_owner: 'is_admin:True or project_id:%(project_id)s',
  admin_api: 'is_admin:True',
  default: 'rule:admin_or_owner',
};

/**
 * The API rules this service enforces, with nova's defaults (Liberty's
 * policy.json, as nova's in-code defaults kept them).
 * @see nova/policies/servers.py, hypervisors.py, quota_sets.py, server_groups.py
 */
export const COMPUTE_RULES: Readonly<Record<string, string>> = {
  'os_compute_api:servers:index': 'rule:admin_or_owner',
  'os_compute_api:servers:detail': 'rule:admin_or_owner',
  'os_compute_api:servers:index:get_all_tenants': 'rule:admin_api',
  'os_compute_api:servers:detail:get_all_tenants': 'rule:admin_api',
  'os_compute_api:servers:show': 'rule:admin_or_owner',
  'os_compute_api:servers:create': 'rule:admin_or_owner',
  'os_compute_api:servers:create:forced_host': 'rule:admin_api',
  'os_compute_api:servers:delete': 'rule:admin_or_owner',
  'os_compute_api:os-instance-actions': 'rule:admin_or_owner',
  'os_compute_api:os-extended-server-attributes': 'rule:admin_api',
  'os_compute_api:os-hypervisors': 'rule:admin_api',
  'os_compute_api:flavors': '',
  'os_compute_api:os-flavor-extra-specs:index': '',
  'os_compute_api:images': '',
  'os_compute_api:limits': '',
  'os_compute_api:os-availability-zone:list': 'rule:admin_or_owner',
  'os_compute_api:os-availability-zone:detail': 'rule:admin_api',
  'os_compute_api:os-quota-sets:show': 'rule:admin_or_owner',
  'os_compute_api:os-quota-sets:update': 'rule:admin_api',
  'os_compute_api:os-quota-sets:defaults': '',
  'os_compute_api:os-server-groups:index': 'rule:admin_or_owner',
  'os_compute_api:os-server-groups:show': 'rule:admin_or_owner',
  'os_compute_api:os-server-groups:create': 'rule:admin_or_owner',
  'os_compute_api:os-server-groups:delete': 'rule:admin_or_owner',
};

/** A rule override with where it came from (for messages). */
export interface PolicyOverride {
  rule: string;
  text: string;
  /** e.g. `policy.yaml:12`. */
  place: string;
}

/** A policy that cannot be used; `problems` has one line per bad rule, each naming its place. */
export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`the policy is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/** The attributes a rule's `%(name)s` reads: the owner of what is acted on. */
export type PolicyTarget = Readonly<Record<string, string>>;

/**
 * nova's API policy: named rules in oslo.policy's language, nova's defaults
 * unless overridden. `check` answers a question, `enforce` answers 403.
 */
export class ComputePolicy {
  private readonly rules: ReadonlyMap<string, PolicyRule>;

  private constructor(rules: ReadonlyMap<string, PolicyRule>) {
    this.rules = rules;
  }

  /**
   * nova's defaults, with `overrides` on top. Overrides may name nova's rules
   * and base rules, and define new rules that some other rule refers to
   * (`rule:NAME`); anything else is an unknown rule name. Throws a
   * `PolicyError` listing every problem with its place.
   */
  static create(overrides: readonly PolicyOverride[] = []): ComputePolicy {
    const texts = new Map<string, { text: string; place: string }>();
    for (const [rule, text] of Object.entries({ ...BASE_RULES, ...COMPUTE_RULES })) {
      texts.set(rule, { text, place: 'default' });
    }
    for (const o of overrides) texts.set(o.rule, { text: o.text, place: o.place });
    const problems: string[] = [];
    const parsed = new Map<string, PolicyRule>();
    for (const [rule, { text, place }] of texts) {
      try {
        parsed.set(rule, parsePolicyRule(text));
      } catch (error) {
        problems.push(
          `${place}: rule "${rule}": ${(error as Error).message} (in "${text}"); fix the expression`,
        );
      }
    }
    const referenced = new Set([...parsed.values()].flatMap(referencedRules));
    const known = new Set([...Object.keys(BASE_RULES), ...Object.keys(COMPUTE_RULES)]);
    for (const o of overrides) {
      if (!known.has(o.rule) && !referenced.has(o.rule)) {
        problems.push(
          `${o.place}: unknown rule name "${o.rule}": opie serve enforces ${[...Object.keys(COMPUTE_RULES)].join(', ')} (and the base rules ${Object.keys(BASE_RULES).join(', ')}); a rule of your own must be referred to by rule:NAME`,
        );
      }
    }
    for (const [rule, tree] of parsed) {
      for (const name of referencedRules(tree)) {
        if (!texts.has(name)) {
          const { place } = texts.get(rule) as { place: string };
          problems.push(`${place}: rule "${rule}" refers to rule:${name}, which is not defined`);
        }
      }
    }
    if (problems.length > 0) throw new PolicyError(problems);
    return new ComputePolicy(parsed);
  }

  /** Whether the caller is an administrator (`context_is_admin`, by default the role admin). */
  isAdmin(caller: Caller): boolean {
    return this.evaluate('context_is_admin', caller, {}, false);
  }

  /** Whether `rule` allows `caller` to act on `target` (default: the caller's own project). */
  check(rule: string, caller: Caller, target?: PolicyTarget): boolean {
    return this.evaluate(rule, caller, target ?? ownTarget(caller), this.isAdmin(caller));
  }

  /** A 403 with nova's message when `check` says no. */
  enforce(rule: string, caller: Caller, target?: PolicyTarget): void {
    if (!this.check(rule, caller, target)) {
      throw new ApiError(403, `Policy doesn't allow ${rule} to be performed.`);
    }
  }

  private evaluate(rule: string, caller: Caller, target: PolicyTarget, admin: boolean): boolean {
    const tree = this.rules.get(rule) ?? this.rules.get('default');
    if (tree === undefined) return false;
    return evaluatePolicyRule(
      tree,
      {
        credentials: {
          user_id: caller.userId,
          project_id: caller.projectId,
          is_admin: admin ? 'True' : 'False',
        },
        roles: caller.roles,
        target,
      },
      (name) => this.rules.get(name),
    );
  }
}

/** The target of an action on the caller's own project. */
export function ownTarget(caller: Caller): PolicyTarget {
  return { project_id: caller.projectId, user_id: caller.userId };
}
