import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { toInputIssues } from './path-issue.js';

const schema = z.object({
  nodes: z.array(z.object({ host: z.string(), vcpus: z.number() })),
  instances: z.array(z.object({ uuid: z.string() })),
});

describe('toInputIssues', () => {
  it('lists issues in the order the schema declares fields, unknown keys last', () => {
    const issues = toInputIssues(
      [
        { path: ['instances', 0, 'uuid'], message: 'c' },
        { path: ['zzz'], message: 'e' },
        { path: ['nodes', 1, 'vcpus'], message: 'b' },
        { path: ['nodes', 1, 'host'], message: 'a' },
        { path: ['aaa'], message: 'd' },
      ],
      schema,
    );
    expect(issues).toEqual([
      { path: '$.nodes[1].host', message: 'a' },
      { path: '$.nodes[1].vcpus', message: 'b' },
      { path: '$.instances[0].uuid', message: 'c' },
      { path: '$.aaa', message: 'd' },
      { path: '$.zzz', message: 'e' },
    ]);
  });
  it('orders keys alphabetically without a schema', () => {
    expect(
      toInputIssues([
        { path: ['b'], message: '2' },
        { path: ['a'], message: '1' },
      ]).map((i) => i.path),
    ).toEqual(['$.a', '$.b']);
  });
});
