import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { parseCommandArgs, UsageError } from './parse-command-args.js';

function bufferIo() {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    cwd: '/',
  };
  return { io, out };
}

const USAGE = 'Usage: opie demo --config FILE --cloud FILE [--n N]\n';

function run(argv: string[]) {
  const { io, out } = bufferIo();
  const result = parseCommandArgs(
    argv,
    io,
    {
      command: 'demo',
      usage: USAGE,
      config: {
        options: {
          config: { type: 'string', multiple: true },
          cloud: { type: 'string' },
          n: { type: 'string' },
        },
        allowPositionals: false,
      },
      required: ['config', 'cloud'],
    },
    ({ values }) => {
      if (values.n === 'bad') throw new UsageError('--n: expected a number, got "bad"');
      if (values.n === 'boom') throw new Error('not a usage problem');
      return { configs: values.config ?? [], cloud: values.cloud, n: Number(values.n ?? 1) };
    },
  );
  return { result, out };
}

describe('parseCommandArgs', () => {
  it('converts the parsed arguments', () => {
    const { result, out } = run(['--config', 'a', '--config', 'b', '--cloud', 'c', '--n', '3']);
    expect(result).toEqual({ ok: true, args: { configs: ['a', 'b'], cloud: 'c', n: 3 } });
    expect(out).toEqual({ stdout: '', stderr: '' });
  });

  it('prints the usage on stdout for -h / --help, before checking required options', () => {
    for (const flag of ['-h', '--help']) {
      const { result, out } = run([flag]);
      expect(result).toEqual({ ok: false, exit: 0 });
      expect(out).toEqual({ stdout: USAGE, stderr: '' });
    }
  });

  it('names every missing required option (an empty multiple one included)', () => {
    const { result, out } = run([]);
    expect(result).toEqual({ ok: false, exit: 2 });
    expect(out.stderr).toBe(`opie demo: missing --config, --cloud\n\n${USAGE}`);
    expect(out.stdout).toBe('');
    expect(run(['--config', 'a']).out.stderr).toBe(`opie demo: missing --cloud\n\n${USAGE}`);
  });

  it("reports parseArgs' own errors as usage errors", () => {
    const { result, out } = run(['--nope']);
    expect(result).toEqual({ ok: false, exit: 2 });
    expect(out.stderr).toMatch(/^opie demo: Unknown option '--nope'/);
    expect(out.stderr.endsWith(`\n\n${USAGE}`)).toBe(true);
  });

  it('reports a UsageError thrown by the conversion, and rethrows any other error', () => {
    const { result, out } = run(['--config', 'a', '--cloud', 'c', '--n', 'bad']);
    expect(result).toEqual({ ok: false, exit: 2 });
    expect(out.stderr).toBe(`opie demo: --n: expected a number, got "bad"\n\n${USAGE}`);
    expect(() => run(['--config', 'a', '--cloud', 'c', '--n', 'boom'])).toThrow(
      'not a usage problem',
    );
  });
});
