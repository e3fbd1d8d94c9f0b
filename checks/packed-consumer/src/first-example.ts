/** A README's first fenced code block: its language tag ('' when untagged) and its text. */
export interface Example {
  lang: string;
  code: string;
}

/**
 * The first fenced code block of a Markdown text, verbatim. Throws naming
 * the problem when there is none or it is not closed.
 */
export function firstExample(markdown: string): Example {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('```'));
  if (start < 0) throw new Error('README has no fenced code block: add a usage example');
  const end = lines.findIndex((l, i) => i > start && l.startsWith('```'));
  if (end < 0) {
    throw new Error(`README line ${start + 1}: the code block is never closed (add a line \`\`\`)`);
  }
  return {
    lang: (lines[start] ?? '').slice(3).trim(),
    code: `${lines.slice(start + 1, end).join('\n')}\n`,
  };
}
