import type { ConfigIssue } from '@opie/core';

/** One `key = value` of a nova.conf file, as oslo.config keeps it: a raw string. */
export interface IniEntry {
  /** Section name exactly as written between the brackets (not stripped). */
  section: string;
  key: string;
  /** Raw value: stripped, one pair of quotes removed, continuation lines joined with "\n". */
  value: string;
  /** 1-based line of the key. */
  line: number;
}

/** A parsed file: its entries in file order, and the syntax problems found. */
export interface IniDocument {
  file: string;
  entries: IniEntry[];
  issues: ConfigIssue[];
}

const NEWLINE = /\r\n|\n|\r/;

/**
 * Parses nova.conf text the way oslo.config 2.x does (oslo_config/iniparser.py): line-aware,
 * continuation lines, repeated keys kept in order, no inline comments. Unlike
 * oslo, it does not stop at the first syntax error: every one is reported.
 * @see oslo_config/iniparser.py BaseParser.parse
 */
export function parseOsloIni(text: string, file: string): IniDocument {
  const entries: IniEntry[] = [];
  const issues: ConfigIssue[] = [];
  const lines = text.split(NEWLINE);

  let section: string | undefined;
  let pendingKey: string | undefined;
  let pendingLine = 0;
  let pieces: string[] = [];
  // After a broken assignment, its continuation lines are not reported again.
  let skipping = false;

  const issue = (line: number, message: string, hint?: string): void => {
    const found: ConfigIssue = { file, line, message };
    if (section !== undefined) found.section = section;
    if (hint !== undefined) found.hint = hint;
    issues.push(found);
  };

  const flush = (): void => {
    if (pendingKey === undefined) return;
    if (section === undefined) {
      issue(
        pendingLine,
        `'${pendingKey}' is set before any section header`,
        'put it under a section, e.g. [DEFAULT]',
      );
    } else {
      entries.push({ section, key: pendingKey, value: pieces.join('\n'), line: pendingLine });
    }
    pendingKey = undefined;
    pieces = [];
  };

  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trimEnd();
    if (line === '') {
      flush();
      skipping = false;
      continue;
    }
    const first = line[0];
    if (first === ' ' || first === '\t') {
      if (skipping) continue;
      if (pendingKey === undefined) {
        issue(
          lineNo,
          'unexpected continuation line (an indented line must continue a value)',
          'remove the indentation; note an indented # line is a continuation, not a comment',
        );
      } else {
        pieces.push(line.trimStart());
      }
      continue;
    }
    flush();
    skipping = false;
    if (first === '[') {
      if (!line.endsWith(']')) {
        issue(lineNo, `invalid section header ${line}: it must end with ]`);
      } else if (line.length <= 2) {
        issue(lineNo, 'empty section name []');
      } else {
        section = line.slice(1, -1);
      }
      continue;
    }
    if (first === '#' || first === ';') continue;

    const colon = line.indexOf(':');
    const equal = line.indexOf('=');
    if (colon < 0 && equal < 0) {
      issue(lineNo, `invalid line ${line}: expected key = value`);
      skipping = true;
      continue;
    }
    const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
    const key = line.slice(0, at).trim();
    let value = line.slice(at + 1).trim();
    const q = value[0];
    if (value.length > 0 && (q === '"' || q === "'") && value.endsWith(q)) {
      value = value.slice(1, -1);
    }
    if (key === '') {
      issue(lineNo, `empty key in line ${line}`);
      skipping = true;
      continue;
    }
    pendingKey = key;
    pendingLine = lineNo;
    pieces = [value];
  }
  flush();
  return { file, entries, issues };
}
