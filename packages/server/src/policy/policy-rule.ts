/**
 * oslo.policy's rule language, parsed once into a tree: checks (`rule:NAME`,
 * `role:NAME`, `KEY:VALUE` with `%(target)s` substitution or a literal,
 * `@` always, `!` never, the empty rule: always) combined with `not`, `and`,
 * `or` (in that order of precedence) and parentheses.
 * @see oslo_policy/_parser.py, oslo_policy/_checks.py
 */
export type PolicyRule =
  | { kind: 'always' }
  | { kind: 'never' }
  | { kind: 'rule'; name: string }
  | { kind: 'role'; role: string }
  | { kind: 'generic'; key: string; match: string }
  | { kind: 'not'; rule: PolicyRule }
  | { kind: 'and'; rules: PolicyRule[] }
  | { kind: 'or'; rules: PolicyRule[] };

/** A rule text that does not parse; `message` says where and why. */
export class PolicyRuleSyntaxError extends Error {}

type Token = '(' | ')' | 'and' | 'or' | 'not' | { check: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const piece of text.trim().split(/\s+/)) {
    if (piece === '') continue;
    let word = piece;
    let open = 0;
    while (word.startsWith('(')) {
      open += 1;
      word = word.slice(1);
    }
    let close = 0;
    while (word.endsWith(')') && !/%\([^)]*\)$/.test(word)) {
      close += 1;
      word = word.slice(0, -1);
    }
    for (let i = 0; i < open; i++) tokens.push('(');
    if (word !== '') {
      const lower = word.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') tokens.push(lower);
      else tokens.push({ check: word });
    }
    for (let i = 0; i < close; i++) tokens.push(')');
  }
  return tokens;
}

function parseCheck(text: string): PolicyRule {
  if (text === '@') return { kind: 'always' };
  if (text === '!') return { kind: 'never' };
  const colon = text.indexOf(':');
  if (colon <= 0) {
    throw new PolicyRuleSyntaxError(
      `"${text}" is not a check: expected rule:NAME, role:NAME, KEY:VALUE, @ or !`,
    );
  }
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (match === '') throw new PolicyRuleSyntaxError(`"${text}" has nothing after the colon`);
  if (kind === 'rule') return { kind: 'rule', name: match };
  if (kind === 'role') return { kind: 'role', role: match.toLowerCase() };
  if (kind === 'http' || kind === 'https') {
    throw new PolicyRuleSyntaxError(`"${text}": http checks are not supported by opie serve`);
  }
  return { kind: 'generic', key: kind, match };
}

/** Parses a rule text; throws a `PolicyRuleSyntaxError` naming the problem. */
export function parsePolicyRule(text: string): PolicyRule {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: 'always' };
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const describe = (t: Token | undefined): string =>
    t === undefined ? 'the end' : typeof t === 'string' ? `"${t}"` : `"${t.check}"`;

  const parseOr = (): PolicyRule => {
    const rules = [parseAnd()];
    while (peek() === 'or') {
      at += 1;
      rules.push(parseAnd());
    }
    return rules.length === 1 ? (rules[0] as PolicyRule) : { kind: 'or', rules };
  };
  const parseAnd = (): PolicyRule => {
    const rules = [parseNot()];
    while (peek() === 'and') {
      at += 1;
      rules.push(parseNot());
    }
    return rules.length === 1 ? (rules[0] as PolicyRule) : { kind: 'and', rules };
  };
  const parseNot = (): PolicyRule => {
    if (peek() === 'not') {
      at += 1;
      return { kind: 'not', rule: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): PolicyRule => {
    const token = peek();
    if (token === '(') {
      at += 1;
      const inner = parseOr();
      if (peek() !== ')') {
        throw new PolicyRuleSyntaxError(`expected ")" but found ${describe(peek())}`);
      }
      at += 1;
      return inner;
    }
    if (token !== undefined && typeof token !== 'string') {
      at += 1;
      return parseCheck(token.check);
    }
    throw new PolicyRuleSyntaxError(`expected a check or "(" but found ${describe(token)}`);
  };

  const rule = parseOr();
  if (at < tokens.length) {
    throw new PolicyRuleSyntaxError(`unexpected ${describe(peek())} after a complete rule`);
  }
  return rule;
}

/** Every `rule:NAME` a rule refers to. */
export function referencedRules(rule: PolicyRule): string[] {
  switch (rule.kind) {
    case 'rule':
      return [rule.name];
    case 'not':
      return referencedRules(rule.rule);
    case 'and':
    case 'or':
      return rule.rules.flatMap(referencedRules);
    default:
      return [];
  }
}

/** What a check reads: the caller's credentials and the target's attributes. */
export interface PolicyInput {
  /** `user_id`, `project_id`, `is_admin` ("True"/"False") and any other string credential. */
  credentials: Readonly<Record<string, string>>;
  roles: readonly string[];
  /** e.g. `project_id` and `user_id` of the server acted on. */
  target: Readonly<Record<string, string>>;
}

function genericMatch(key: string, match: string, input: PolicyInput): boolean {
  const value = input.credentials[key];
  if (value === undefined) return false;
  let expected = match;
  const substitution = /^%\(([^)]+)\)s$/.exec(match);
  if (substitution !== null) {
    const fromTarget = input.target[substitution[1] as string];
    if (fromTarget === undefined) return false;
    expected = fromTarget;
  } else if (/^'.*'$/.test(match) || /^".*"$/.test(match)) {
    expected = match.slice(1, -1);
  }
  return value === expected;
}

/** Evaluates a parsed rule; `lookup` resolves `rule:NAME` (unknown names are false). */
export function evaluatePolicyRule(
  rule: PolicyRule,
  input: PolicyInput,
  lookup: (name: string) => PolicyRule | undefined,
  depth = 0,
): boolean {
  if (depth > 50) return false; // a cycle of rule: references
  switch (rule.kind) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'role':
      return input.roles.includes(rule.role);
    case 'generic':
      return genericMatch(rule.key, rule.match, input);
    case 'rule': {
      const named = lookup(rule.name);
      return named !== undefined && evaluatePolicyRule(named, input, lookup, depth + 1);
    }
    case 'not':
      return !evaluatePolicyRule(rule.rule, input, lookup, depth + 1);
    case 'and':
      return rule.rules.every((r) => evaluatePolicyRule(r, input, lookup, depth + 1));
    case 'or':
      return rule.rules.some((r) => evaluatePolicyRule(r, input, lookup, depth + 1));
  }
}
