import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '@opie/core';
import {
  alibabaMachines,
  CloudGenerationError,
  generateCloud,
  identicalMachines,
} from '@opie/simulator';
import type { MachineSpec } from '@opie/simulator';
import { EXIT_FAILURE, EXIT_OK } from '../io.js';
import type { CliIo } from '../io.js';
import { parseCommandArgs, UsageError } from './parse-command-args.js';

export const CLOUD_GENERATE_USAGE = `Usage: opie cloud generate --hosts N --vcpus V --memory-mb M --disk-gb D [options]
       opie cloud generate --from-alibaba NODE_LIST.csv [--hosts N] [--disk-gb D] [options]

Write a cloud.json (the format opie schedule, simulate and serve read) of N
identical compute hosts, or of the machines of Alibaba's GPU-cluster node
list (openb_node_list_all_node.csv; with --hosts, every (total / N)-th
machine, which keeps the list's mix). Every node gets its allocation ratios
and its reserved memory and disk written explicitly; every compute service
is up at --now; no instances.

Options:
  --hosts N                      number of hosts
  --vcpus V                      vCPUs per host
  --memory-mb M                  RAM per host, MB
  --disk-gb D                    local disk per host, GB (Alibaba: default 0, the list has none)
  --from-alibaba FILE            the machines of Alibaba's node list instead
  --zones Z                      availability zones az1..azZ, hosts dealt round-robin (default 1)
  --cpu-allocation-ratio R       default 16.0 (nova's)
  --ram-allocation-ratio R       default 1.5 (nova's)
  --disk-allocation-ratio R      default 1.0 (nova's)
  --reserved-host-memory-mb M    default 512 (nova's)
  --reserved-host-disk-mb M      default 0 (nova's)
  --now TIME                     the cloud's clock, ISO 8601 (default 2024-01-01T00:00:00Z)
  --out FILE                     write there instead of stdout
  -h, --help                     show this help

Exit status: 0 done; 1 an unreadable node list; 2 bad usage.
`;

interface GenerateArgs {
  hosts: number | undefined;
  vcpus: number | undefined;
  memoryMb: number | undefined;
  diskGb: number | undefined;
  alibaba: string | undefined;
  zones: number | undefined;
  cpu: number | undefined;
  ram: number | undefined;
  disk: number | undefined;
  reservedMb: number | undefined;
  reservedDiskMb: number | undefined;
  now: string | undefined;
  out: string | undefined;
}

function count(raw: string | undefined, name: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${name}: expected an integer >= ${min}, got "${raw}"`);
  return value;
}

function ratio(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name}: expected a number > 0, got "${raw}"`);
  return value;
}

/** `opie cloud generate`: a cloud.json of identical hosts or of Alibaba's machines. */
export async function cloudGenerate(argv: readonly string[], io: CliIo): Promise<number> {
  const outcome = parseCommandArgs(
    argv,
    io,
    {
      command: 'cloud generate',
      usage: CLOUD_GENERATE_USAGE,
      config: {
        options: {
          hosts: { type: 'string' },
          vcpus: { type: 'string' },
          'memory-mb': { type: 'string' },
          'disk-gb': { type: 'string' },
          'from-alibaba': { type: 'string' },
          zones: { type: 'string' },
          'cpu-allocation-ratio': { type: 'string' },
          'ram-allocation-ratio': { type: 'string' },
          'disk-allocation-ratio': { type: 'string' },
          'reserved-host-memory-mb': { type: 'string' },
          'reserved-host-disk-mb': { type: 'string' },
          now: { type: 'string' },
          out: { type: 'string' },
        },
        allowPositionals: false,
      },
    },
    ({ values: v }): GenerateArgs => {
      const args: GenerateArgs = {
        hosts: count(v.hosts, '--hosts', 1),
        vcpus: count(v.vcpus, '--vcpus', 1),
        memoryMb: count(v['memory-mb'], '--memory-mb', 1),
        diskGb: count(v['disk-gb'], '--disk-gb', 0),
        alibaba: v['from-alibaba'],
        zones: count(v.zones, '--zones', 1),
        cpu: ratio(v['cpu-allocation-ratio'], '--cpu-allocation-ratio'),
        ram: ratio(v['ram-allocation-ratio'], '--ram-allocation-ratio'),
        disk: ratio(v['disk-allocation-ratio'], '--disk-allocation-ratio'),
        reservedMb: count(v['reserved-host-memory-mb'], '--reserved-host-memory-mb', 0),
        reservedDiskMb: count(v['reserved-host-disk-mb'], '--reserved-host-disk-mb', 0),
        now: v.now,
        out: v.out,
      };
      if (args.alibaba !== undefined) {
        const extra = [
          args.vcpus !== undefined ? '--vcpus' : undefined,
          args.memoryMb !== undefined ? '--memory-mb' : undefined,
        ].filter((x) => x !== undefined);
        if (extra.length > 0)
          throw new UsageError(
            `${extra.join(', ')}: the machines of --from-alibaba have their own sizes; drop ${extra.length === 1 ? 'it' : 'them'}`,
          );
      } else {
        const missing = [
          args.hosts === undefined ? '--hosts' : undefined,
          args.vcpus === undefined ? '--vcpus' : undefined,
          args.memoryMb === undefined ? '--memory-mb' : undefined,
          args.diskGb === undefined ? '--disk-gb' : undefined,
        ].filter((x) => x !== undefined);
        if (missing.length > 0)
          throw new UsageError(`missing ${missing.join(', ')} (or give --from-alibaba FILE)`);
      }
      return args;
    },
  );
  if (!outcome.ok) return outcome.exit;
  const a = outcome.args;
  let machines: MachineSpec[];
  let how: string;
  try {
    if (a.alibaba !== undefined) {
      const path = resolve(io.cwd, a.alibaba);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        io.stderr.write(
          `opie cloud generate: --from-alibaba ${a.alibaba}: cannot read the file: ${(error as Error).message}\n`,
        );
        return EXIT_FAILURE;
      }
      machines = alibabaMachines(text.split(/\r?\n/), {
        file: a.alibaba,
        diskGb: a.diskGb ?? 0,
        ...(a.hosts !== undefined ? { hosts: a.hosts } : {}),
      });
      how = `the machines of ${a.alibaba}${a.hosts !== undefined ? `, thinned evenly to ${a.hosts}` : ''}`;
    } else {
      machines = identicalMachines(a.hosts ?? 0, {
        vcpus: a.vcpus ?? 0,
        memoryMb: a.memoryMb ?? 0,
        diskGb: a.diskGb ?? 0,
      });
      how = `${a.hosts} hosts of ${a.vcpus} vCPUs, ${a.memoryMb} MB RAM, ${a.diskGb} GB disk`;
    }
    const doc = generateCloud({
      machines,
      ...(a.zones !== undefined ? { zones: a.zones } : {}),
      ...(a.cpu !== undefined ? { cpuAllocationRatio: a.cpu } : {}),
      ...(a.ram !== undefined ? { ramAllocationRatio: a.ram } : {}),
      ...(a.disk !== undefined ? { diskAllocationRatio: a.disk } : {}),
      ...(a.reservedMb !== undefined ? { reservedHostMemoryMb: a.reservedMb } : {}),
      ...(a.reservedDiskMb !== undefined ? { reservedHostDiskMb: a.reservedDiskMb } : {}),
      ...(a.now !== undefined ? { now: a.now } : {}),
      comment: `Generated by opie cloud generate: ${how}.`,
    });
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (a.out === undefined) {
      io.stdout.write(text);
    } else {
      await writeFile(resolve(io.cwd, a.out), text, 'utf8');
      io.stderr.write(`opie cloud generate: wrote ${a.out} (${machines.length} hosts)\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CloudGenerationError) {
      io.stderr.write(`opie cloud generate: --${error.message}\n`);
      return EXIT_FAILURE;
    }
    if (InvalidInputError.isInstance(error)) {
      io.stderr.write(`opie cloud generate: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
