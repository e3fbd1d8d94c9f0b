import type { IniDocument } from '@opie/loader';
import { parseOsloIni } from '@opie/loader';
import type { ConfigFile } from '@opie/loader';
import { ApiError } from './api-error.js';

/**
 * nova's quota resources a create consumes, and opie's preemptible ones: a
 * preemptible server counts only against `preemptible_*`, a normal one only
 * against the others (as spot capacity has its own quota at GCE, AWS and Azure).
 */
export const QUOTA_RESOURCES = [
  'instances',
  'cores',
  'ram',
  'preemptible_instances',
  'preemptible_cores',
  'preemptible_ram',
] as const;

export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** A hard limit per resource; -1 is unlimited. */
export type QuotaLimits = Record<QuotaResource, number>;

/** Where each default came from: `nova.conf:12 [quota] instances`, or undefined (unset: unlimited). */
export type QuotaSources = Partial<Record<QuotaResource, string>>;

/** The nova.conf options of each resource, the current name first. @see nova/conf/quota.py */
const OPTIONS: Record<QuotaResource, Array<[section: string, key: string]>> = {
  instances: [
    ['quota', 'instances'],
    ['DEFAULT', 'quota_instances'],
  ],
  cores: [
    ['quota', 'cores'],
    ['DEFAULT', 'quota_cores'],
  ],
  ram: [
    ['quota', 'ram'],
    ['DEFAULT', 'quota_ram'],
  ],
  preemptible_instances: [['quota', 'preemptible_instances']],
  preemptible_cores: [['quota', 'preemptible_cores']],
  preemptible_ram: [['quota', 'preemptible_ram']],
};

/** Default quotas of every project, from nova.conf, with their sources and any problems. */
export interface QuotaDefaults {
  limits: QuotaLimits;
  sources: QuotaSources;
  /** Deprecated names used (Liberty's `[DEFAULT] quota_*`). */
  warnings: string[];
  /** Values that are not integers >= -1, each with its file and line. */
  problems: string[];
}

/** Parses a quota value: an integer >= -1. */
export function parseQuotaValue(raw: unknown): number | undefined {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
        ? Number(raw)
        : NaN;
  return Number.isSafeInteger(n) && n >= -1 ? n : undefined;
}

/**
 * Reads `[quota] instances|cores|ram|preemptible_*` (and Liberty's deprecated
 * `[DEFAULT] quota_instances|quota_cores|quota_ram`) from nova.conf texts;
 * later files and later lines win, the current name over a deprecated one.
 * Unset: -1 (unlimited).
 */
export function readQuotaDefaults(files: readonly ConfigFile[]): QuotaDefaults {
  const docs: IniDocument[] = files.map((f) => parseOsloIni(f.text, f.path));
  const limits = Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, -1])) as QuotaLimits;
  const sources: QuotaSources = {};
  const warnings: string[] = [];
  const problems: string[] = [];
  for (const resource of QUOTA_RESOURCES) {
    // Current name first: the first option with a value wins.
    for (const [i, [section, key]] of OPTIONS[resource].entries()) {
      let found: { value: string; place: string } | undefined;
      for (const doc of docs) {
        for (const e of doc.entries) {
          if (e.section.trim() === section && e.key === key) {
            found = { value: e.value, place: `${doc.file}:${e.line}` };
          }
        }
      }
      if (found === undefined) continue;
      const value = parseQuotaValue(found.value);
      if (value === undefined) {
        problems.push(
          `${found.place}: [${section}] ${key} = ${found.value}: expected an integer >= -1 (-1: unlimited)`,
        );
      } else {
        limits[resource] = value;
        sources[resource] = `${found.place} [${section}] ${key}`;
        if (i > 0) {
          const [s0, k0] = OPTIONS[resource][0] as [string, string];
          warnings.push(`${found.place}: [${section}] ${key} is deprecated; use [${s0}] ${k0}`);
        }
      }
      break;
    }
  }
  return { limits, sources, warnings, problems };
}

/** What a create asks of a project's quota. */
export interface QuotaRequest {
  preemptible: boolean;
  instances: number;
  /** Per instance. */
  vcpus: number;
  memoryMb: number;
}

/** A project's usage of the three resources of one kind (normal or preemptible). */
export interface QuotaUsage {
  instances: number;
  cores: number;
  ram: number;
}

/** The resources of a request's kind: normal or preemptible. */
function kindOf(preemptible: boolean): [QuotaResource, QuotaResource, QuotaResource] {
  return preemptible
    ? ['preemptible_instances', 'preemptible_cores', 'preemptible_ram']
    : ['instances', 'cores', 'ram'];
}

/**
 * How many of the request's instances fit the quota (nova gives max_count
 * when it fits, else as many as fit if that is at least min_count).
 */
export function instancesAllowed(
  request: QuotaRequest,
  used: QuotaUsage,
  limits: QuotaLimits,
): number {
  const [i, c, r] = kindOf(request.preemptible);
  let allowed = request.instances;
  const cap = (limit: number, usedNow: number, per: number): void => {
    if (limit < 0 || per <= 0) return;
    allowed = Math.min(allowed, Math.max(0, Math.floor((limit - usedNow) / per)));
  };
  cap(limits[i], used.instances, 1);
  cap(limits[c], used.cores, request.vcpus);
  cap(limits[r], used.ram, request.memoryMb);
  return allowed;
}

/**
 * nova's 403 for a create over quota, naming every resource exceeded.
 * @see nova/exception.py TooManyInstances
 */
export function quotaExceeded(
  request: QuotaRequest,
  used: QuotaUsage,
  limits: QuotaLimits,
  count: number,
): ApiError | undefined {
  const [i, c, r] = kindOf(request.preemptible);
  const checks: Array<[QuotaResource, number, number]> = [
    [i, count, used.instances],
    [c, count * request.vcpus, used.cores],
    [r, count * request.memoryMb, used.ram],
  ];
  const overs = checks.filter(([res, req, u]) => limits[res] >= 0 && u + req > limits[res]);
  if (overs.length === 0) return undefined;
  const names = overs.map(([res]) => res).join(', ');
  const req = overs.map(([, q]) => q).join(', ');
  const usedText = overs.map(([, , u]) => u).join(', ');
  const allowed = overs.map(([res]) => limits[res]).join(', ');
  return new ApiError(
    403,
    `Quota exceeded for ${names}: Requested ${req}, but already used ${usedText} of ${allowed} ${names}`,
  );
}
