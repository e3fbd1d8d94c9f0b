import { describe, expect, it } from 'vitest';
import { firstExample } from './first-example.js';

describe('firstExample', () => {
  it('returns the first fenced block with its language, verbatim', () => {
    const md = '# x\n\ntext\n\n```ts\nconst a = 1;\n  indented();\n```\n\n```sh\nls\n```\n';
    expect(firstExample(md)).toEqual({ lang: 'ts', code: 'const a = 1;\n  indented();\n' });
  });

  it('gives an untagged block an empty language', () => {
    expect(firstExample('```\nopie --help\n```\n')).toEqual({ lang: '', code: 'opie --help\n' });
  });

  it('fails naming the problem when there is no block or it is not closed', () => {
    expect(() => firstExample('# nothing here\n')).toThrow(/no fenced code block/);
    expect(() => firstExample('a\n```ts\nconst a = 1;\n')).toThrow(
      /line 2: the code block is never closed/,
    );
  });
});
