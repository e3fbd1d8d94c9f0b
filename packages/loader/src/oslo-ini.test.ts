import { describe, expect, it } from 'vitest';
import { parseOsloIni } from './oslo-ini.js';

const parse = (text: string) => parseOsloIni(text, 'nova.conf');
const values = (text: string) => parse(text).entries.map((e) => [e.section, e.key, e.value]);

describe('parseOsloIni (oslo_config/iniparser.py)', () => {
  it('reads key = value and key: value, splitting at the first = or :', () => {
    expect(values('[DEFAULT]\na = 1\nb: 2\nc = x:y\nd: x=y\ne=f=g\n')).toEqual([
      ['DEFAULT', 'a', '1'],
      ['DEFAULT', 'b', '2'],
      ['DEFAULT', 'c', 'x:y'],
      ['DEFAULT', 'd', 'x=y'],
      ['DEFAULT', 'e', 'f=g'],
    ]);
  });

  it('records the line of each key', () => {
    const doc = parse('# comment\n[DEFAULT]\n\na = 1\n  continued\nb = 2\n');
    expect(doc.entries.map((e) => [e.key, e.line])).toEqual([
      ['a', 4],
      ['b', 6],
    ]);
    expect(doc.file).toBe('nova.conf');
  });

  it('right-strips lines and strips keys and values', () => {
    expect(values('[DEFAULT]   \n  \nkey   =   spaced value   \t\n')).toEqual([
      ['DEFAULT', 'key', 'spaced value'],
    ]);
  });

  it('skips # and ; comment lines; there are no inline comments', () => {
    expect(values('[DEFAULT]\n# a comment\n; another\nx = 8 # eight\ny = a;b\n')).toEqual([
      ['DEFAULT', 'x', '8 # eight'],
      ['DEFAULT', 'y', 'a;b'],
    ]);
  });

  it('joins continuation lines with newlines; a blank line ends the value', () => {
    expect(
      values('[DEFAULT]\nfilters = RamFilter,\n  DiskFilter,\n\tCoreFilter\n\nnext = 1\n'),
    ).toEqual([
      ['DEFAULT', 'filters', 'RamFilter,\nDiskFilter,\nCoreFilter'],
      ['DEFAULT', 'next', '1'],
    ]);
  });

  it('treats an indented # line as a continuation, not a comment', () => {
    expect(values('[DEFAULT]\nx = 1\n  # not a comment\n')).toEqual([
      ['DEFAULT', 'x', '1\n# not a comment'],
    ]);
  });

  it('removes one pair of matching quotes, only when they match', () => {
    expect(
      values(`[DEFAULT]\na = "quoted"\nb = 'single'\nc = "mismatched'\nd = ""x""\ne = "\nf = ''\n`),
    ).toEqual([
      ['DEFAULT', 'a', 'quoted'],
      ['DEFAULT', 'b', 'single'],
      ['DEFAULT', 'c', `"mismatched'`],
      ['DEFAULT', 'd', '"x"'],
      ['DEFAULT', 'e', ''],
      ['DEFAULT', 'f', ''],
    ]);
  });

  it('keeps section names raw (not stripped, case kept)', () => {
    expect(values('[ Metrics ]\na = 1\n[default]\nb = 2\n')).toEqual([
      [' Metrics ', 'a', '1'],
      ['default', 'b', '2'],
    ]);
  });

  it('keeps repeated keys in order', () => {
    expect(values('[DEFAULT]\nf = a\nf = b\n[DEFAULT]\nf = c\n')).toEqual([
      ['DEFAULT', 'f', 'a'],
      ['DEFAULT', 'f', 'b'],
      ['DEFAULT', 'f', 'c'],
    ]);
  });

  it('accepts an empty value and CRLF line ends', () => {
    expect(values('[DEFAULT]\r\nempty =\r\nx = 1\r\n')).toEqual([
      ['DEFAULT', 'empty', ''],
      ['DEFAULT', 'x', '1'],
    ]);
  });

  it('reports a continuation line with no pending key', () => {
    const doc = parse('[DEFAULT]\n  orphan\n');
    expect(doc.issues).toEqual([
      expect.objectContaining({ file: 'nova.conf', line: 2, section: 'DEFAULT' }),
    ]);
    expect(doc.issues[0]?.message).toMatch(/unexpected continuation/);
    expect(doc.issues[0]?.hint).toMatch(/indented # line/);
  });

  it('reports an assignment before any section header', () => {
    const doc = parse('x = 1\n[DEFAULT]\ny = 2\n');
    expect(doc.issues).toHaveLength(1);
    expect(doc.issues[0]?.line).toBe(1);
    expect(doc.issues[0]?.hint).toMatch(/\[DEFAULT\]/);
    expect(doc.issues[0]?.message).toMatch(/before any section header/);
    expect(doc.entries.map((e) => e.key)).toEqual(['y']);
  });

  it('reports an empty key and does not report its continuation lines again', () => {
    const doc = parse('[DEFAULT]\n= value\n  more\nok = 1\n');
    expect(doc.issues).toHaveLength(1);
    expect(doc.issues[0]?.line).toBe(2);
    expect(doc.issues[0]?.message).toMatch(/empty key/);
    expect(doc.entries.map((e) => e.key)).toEqual(['ok']);
  });

  it('reports bad section headers and lines without = or :', () => {
    const doc = parse('[DEFAULT\n[]\n[DEFAULT]\njust words\n');
    expect(doc.issues.map((i) => [i.line, i.message])).toEqual([
      [1, expect.stringMatching(/must end with \]/)],
      [2, expect.stringMatching(/empty section name/)],
      [4, expect.stringMatching(/expected key = value/)],
    ]);
  });

  it('reports every problem of a file, not only the first', () => {
    expect(parse('a = 1\n[]\n[x]\n: 2\n').issues).toHaveLength(3);
  });
});

describe('oslo.config iniparser cases', () => {
  const one = (line: string) => parse(`[s]\n${line}\n`);

  it('test_invalid_assignment (oslo.config)', () => {
    expect(one('foo - bar').issues).toHaveLength(1);
  });

  it('test_empty_key (oslo.config)', () => {
    expect(one(': bar').issues[0]?.message).toMatch(/empty key/);
  });

  it('test_unexpected_continuation (oslo.config)', () => {
    expect(parse('   baz').issues[0]?.message).toMatch(/unexpected continuation/);
  });

  it('test_invalid_section (oslo.config)', () => {
    expect(parse('[section').issues).toHaveLength(1);
  });

  it('test_no_section_name (oslo.config)', () => {
    expect(parse('[]').issues).toHaveLength(1);
  });

  it('test_blank_line (oslo.config)', () => {
    expect(parse('')).toEqual({ file: 'nova.conf', entries: [], sections: [], issues: [] });
  });

  it('test_assignment_multiline (oslo.config)', () => {
    expect(values('[s]\nfoo = bar0\n  bar1')).toEqual([['s', 'foo', 'bar0\nbar1']]);
  });

  it('test_assignment_multline_empty (oslo.config)', () => {
    const doc = parse('[s]\nfoo = bar0\n\n  bar1');
    expect(doc.entries).toHaveLength(1);
    expect(doc.issues).toEqual([expect.objectContaining({ line: 4 })]);
  });

  it('test_empty_assignment (oslo.config)', () => {
    expect(values('[s]\nfoo = ')).toEqual([['s', 'foo', '']]);
  });

  it('test_assignment_space_single_quote (oslo.config)', () => {
    expect(values("[s]\nfoo = ' bar '")).toEqual([['s', 'foo', ' bar ']]);
  });

  it('test_assignment_space_double_quote (oslo.config)', () => {
    expect(values('[s]\nfoo = " bar "')).toEqual([['s', 'foo', ' bar ']]);
  });
});
