import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ComputePolicy, PolicyError } from './compute-policy.js';
import type { PolicyOverride } from './compute-policy.js';

function unquote(text: string, place: string, problems: string[]): string | undefined {
  const t = text.trim();
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) {
      problems.push(`${place}: unterminated "..." string; close the quote`);
      return undefined;
    }
    try {
      return JSON.parse(t) as string;
    } catch {
      problems.push(`${place}: bad "..." string ${t}`);
      return undefined;
    }
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) {
      problems.push(`${place}: unterminated '...' string; close the quote`);
      return undefined;
    }
    return t.slice(1, -1).replace(/''/g, "'");
  }
  // A bare scalar: a comment may follow after " #".
  return t.replace(/\s+#.*$/, '');
}

/** Splits `key: value` at the first colon outside quotes. */
function splitEntry(line: string): [string, string] | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === ':' && (i + 1 === line.length || line[i + 1] === ' ')) {
      return [line.slice(0, i), line.slice(i + 1)];
    }
  }
  return undefined;
}

/**
 * The rules of an oslo.policy YAML file (the flat mapping oslopolicy-sample-generator
 * writes: one `"rule name": "expression"` a line, `#` comments), with their lines.
 */
export function parsePolicyYaml(text: string, file: string): PolicyOverride[] {
  const problems: string[] = [];
  const out: PolicyOverride[] = [];
  const seen = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const place = `${file}:${i + 1}`;
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '' || line.trim().startsWith('#') || line.trim() === '---') return;
    if (/^\s/.test(line)) {
      problems.push(
        `${place}: indented line; a policy file is a flat mapping of "rule": "expression"`,
      );
      return;
    }
    const entry = splitEntry(line);
    if (entry === undefined) {
      problems.push(`${place}: expected "rule name": "expression", got ${JSON.stringify(line)}`);
      return;
    }
    const rule = unquote(entry[0], place, problems);
    const value = unquote(entry[1], place, problems);
    if (rule === undefined || value === undefined) return;
    if (seen.has(rule)) {
      problems.push(
        `${place}: rule "${rule}" is already set at ${seen.get(rule) as string}; keep one`,
      );
      return;
    }
    seen.set(rule, place);
    out.push({ rule, text: value, place });
  });
  if (problems.length > 0) throw new PolicyError(problems);
  return out;
}

/** The rules of an oslo.policy JSON file, each with the line its name is on. */
export function parsePolicyJson(text: string, file: string): PolicyOverride[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PolicyError([`${file}: not valid JSON (${(error as Error).message})`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PolicyError([`${file}: expected an object of "rule name": "expression"`]);
  }
  const lines = text.split(/\r?\n/);
  const lineOf = (rule: string): number => {
    const needle = JSON.stringify(rule);
    const at = lines.findIndex((l) => l.includes(needle));
    return at < 0 ? 1 : at + 1;
  };
  const problems: string[] = [];
  const out: PolicyOverride[] = [];
  for (const [rule, value] of Object.entries(parsed)) {
    const place = `${file}:${lineOf(rule)}`;
    if (typeof value !== 'string') {
      problems.push(
        `${place}: rule "${rule}" must be a string expression, got ${JSON.stringify(value)}`,
      );
      continue;
    }
    out.push({ rule, text: value, place });
  }
  if (problems.length > 0) throw new PolicyError(problems);
  return out;
}

/**
 * Reads an oslo.policy file (YAML, or JSON when it ends in `.json` or starts
 * with `{`) and returns nova's default policy with its rules on top. Throws a
 * `PolicyError` naming each bad line.
 */
export async function readPolicyFile(path: string, cwd = process.cwd()): Promise<ComputePolicy> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    throw new PolicyError([`${path}: cannot read the policy file (${(error as Error).message})`]);
  }
  const json = path.endsWith('.json') || text.trimStart().startsWith('{');
  return ComputePolicy.create(json ? parsePolicyJson(text, path) : parsePolicyYaml(text, path));
}
