import type { Flavor, ImageMeta, RequestSpec } from '@opie/core';
import { InvalidInputError, parseApiBoolean } from '@opie/core';
import type { CloudSnapshot, ParseOptions } from './parse-cloud.js';
import { describeValue } from './describe-value.js';
import { stringifyValue, toStringMap } from './field-types.js';
import { toInputIssues } from './path-issue.js';
import type { PathIssue } from './path-issue.js';
import type {
  InlineFlavorDocument,
  InlineImageDocument,
  RequestDocument,
} from './request-schema.js';
import { requestSchema } from './request-schema.js';
import { readDocument } from './read-document.js';
import { didYouMean } from './suggest.js';

function known(names: Iterable<string>): string {
  const all = [...new Set(names)];
  return all.length === 0 ? 'none' : all.map((n) => JSON.stringify(n)).join(', ');
}

function inlineFlavor(d: InlineFlavorDocument): Flavor {
  const id = d.id !== undefined ? String(d.id) : (d.name ?? 'inline');
  return {
    id,
    flavorid: id,
    name: d.name ?? (d.id !== undefined ? String(d.id) : 'inline'),
    memoryMb: d.memory_mb,
    vcpus: d.vcpus,
    rootGb: d.root_gb,
    ephemeralGb: d.ephemeral_gb,
    swap: d.swap,
    extraSpecs: toStringMap(d.extra_specs),
  };
}

function inlineImage(d: InlineImageDocument): ImageMeta {
  const image: ImageMeta = {
    properties: toStringMap(d.properties),
    minRam: d.min_ram,
    minDisk: d.min_disk,
  };
  if (d.id !== undefined) image.id = d.id;
  if (d.name !== undefined) image.name = d.name;
  return image;
}

function resolveFlavor(
  ref: RequestDocument['flavor'],
  cloud: CloudSnapshot | undefined,
  issues: PathIssue[],
): Flavor | undefined {
  if (typeof ref === 'object') return inlineFlavor(ref);
  const name = String(ref);
  if (cloud === undefined) {
    issues.push({
      path: ['flavor'],
      message: `"${name}" refers to a flavor but no cloud was given; give the flavor inline: {"memory_mb": ..., "vcpus": ..., "root_gb": ...}`,
    });
    return undefined;
  }
  const flavor =
    cloud.flavors.find((f) => f.id === name) ?? cloud.flavors.find((f) => f.name === name);
  if (flavor === undefined) {
    const names = cloud.flavors.map((f) => f.name);
    issues.push({
      path: ['flavor'],
      message: `unknown flavor "${name}" (no flavor of the cloud has this id or name).${didYouMean(name, [...names, ...cloud.flavors.map((f) => f.id)])} Known flavors: ${known(names)}`,
    });
  }
  return flavor;
}

function resolveImage(
  ref: RequestDocument['image'],
  cloud: CloudSnapshot | undefined,
  issues: PathIssue[],
): ImageMeta | undefined {
  if (ref === undefined) return { properties: {} };
  if (typeof ref === 'object') return inlineImage(ref);
  if (cloud === undefined) {
    issues.push({
      path: ['image'],
      message: `"${ref}" refers to an image but no cloud was given; give the image inline: {"properties": {...}}`,
    });
    return undefined;
  }
  const byId = cloud.images.find((i) => i.id === ref);
  if (byId !== undefined) return byId;
  const byName = cloud.images.filter((i) => i.name === ref);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    issues.push({
      path: ['image'],
      message: `${byName.length} images are named "${ref}" (${known(byName.map((i) => i.id ?? '?'))}); give the image id`,
    });
    return undefined;
  }
  const names = cloud.images.flatMap((i) => [i.id, i.name]).filter((n) => n !== undefined);
  issues.push({
    path: ['image'],
    message: `unknown image "${ref}" (no image of the cloud has this id or name).${didYouMean(ref, names)} Known images: ${known(names)}`,
  });
  return undefined;
}

/**
 * Splits nova's forced-host zone syntax: `az:host`, `az:host:node`, `az::node`.
 * @see nova/compute/api.py _handle_availability_zone
 */
function splitZone(
  zone: string,
  issues: PathIssue[],
): { zone?: string; host?: string; node?: string } {
  const parts = zone.split(':');
  if (parts.length === 1) return { zone };
  if (parts.length > 3) {
    issues.push({
      path: ['availability_zone'],
      message: `expected "az", "az:host", "az:host:node" or "az::node", got ${describeValue(zone)}`,
    });
    return {};
  }
  const [az, host, node] = parts;
  const out: { zone?: string; host?: string; node?: string } = {};
  if (az !== undefined && az !== '') out.zone = az;
  if (host !== undefined && host !== '') out.host = host;
  if (node !== undefined && node !== '') out.node = node;
  return out;
}

/** The `preemptible` hint, parsed strictly (every element of a list must be true). */
function hintMark(value: string | string[] | undefined, issues: PathIssue[]): boolean | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) {
    issues.push({
      path: ['scheduler_hints', 'preemptible'],
      message: 'expected a boolean or a list of booleans, got an empty list',
    });
    return undefined;
  }
  let mark = true;
  for (const [i, v] of values.entries()) {
    const b = parseApiBoolean(v);
    if (b === undefined) {
      issues.push({
        path: Array.isArray(value)
          ? ['scheduler_hints', 'preemptible', i]
          : ['scheduler_hints', 'preemptible'],
        message: `expected a boolean (true/false, 1/0, on/off or yes/no), got ${describeValue(v)}`,
      });
      return undefined;
    }
    mark &&= b;
  }
  return mark;
}

/**
 * Converts a request document into a core `RequestSpec`. Flavor and image
 * references are looked up in `cloud` (by id, then by name). A preemptible
 * request (the `preemptible` field or a true `preemptible` hint) also gets
 * `systemMetadata.preemptible = 'True'`. Every problem is collected, then
 * thrown as one `InvalidInputError` with JSON paths.
 */
export function parseRequest(
  json: unknown,
  cloud?: CloudSnapshot,
  options: ParseOptions = {},
): RequestSpec {
  const source = options.source ?? 'request document';
  const issues: PathIssue[] = [];
  const read = readDocument(requestSchema, json, issues);
  if (!('whole' in read)) {
    // Still look the references up, so one run reports every problem.
    const flavorRef = read.parts['flavor'] as RequestDocument['flavor'] | undefined;
    if (flavorRef !== undefined) resolveFlavor(flavorRef, cloud, issues);
    const imageRef = read.parts['image'] as RequestDocument['image'];
    if (imageRef !== undefined) resolveImage(imageRef, cloud, issues);
    throw new InvalidInputError(source, toInputIssues(issues, requestSchema));
  }
  const d = read.whole;

  const flavor = resolveFlavor(d.flavor, cloud, issues);
  const image = resolveImage(d.image, cloud, issues);

  const schedulerHints: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(d.scheduler_hints)) {
    schedulerHints[k] = Array.isArray(v) ? v.map(stringifyValue) : stringifyValue(v);
  }

  const explicit = d.preemptible === undefined ? undefined : parseApiBoolean(d.preemptible);
  const fromHint = hintMark(schedulerHints['preemptible'], issues);
  if (explicit !== undefined && fromHint !== undefined && explicit !== fromHint) {
    issues.push({
      path: ['preemptible'],
      message: `preemptible is ${explicit} but the "preemptible" scheduler hint says ${fromHint}; give one of them`,
    });
  }
  const preemptible = explicit ?? fromHint;

  let numInstances = d.num_instances ?? d.instance_uuids?.length ?? 1;
  if (d.instance_uuids !== undefined && d.num_instances !== undefined) {
    if (d.instance_uuids.length !== d.num_instances) {
      issues.push({
        path: ['instance_uuids'],
        message: `${d.instance_uuids.length} uuids for num_instances ${d.num_instances}; give one uuid per instance`,
      });
    }
  }
  if (d.instance_uuids !== undefined && d.instance_uuids.length === 0) {
    issues.push({
      path: ['instance_uuids'],
      message: 'expected at least one uuid, got an empty list',
    });
    numInstances = 1;
  }

  let forceHosts = d.force_hosts;
  let forceNodes = d.force_nodes;
  let availabilityZone: string | undefined;
  if (d.availability_zone !== undefined) {
    const z = splitZone(d.availability_zone, issues);
    availabilityZone = z.zone;
    if (z.host !== undefined || z.node !== undefined) {
      if (forceHosts !== undefined || forceNodes !== undefined) {
        issues.push({
          path: ['availability_zone'],
          message:
            'forces a host or node, and so do force_hosts/force_nodes; give them in one place',
        });
      }
      if (z.host !== undefined) forceHosts = [z.host];
      if (z.node !== undefined) forceNodes = [z.node];
    }
  }

  if (issues.length > 0 || flavor === undefined || image === undefined) {
    throw new InvalidInputError(source, toInputIssues(issues, requestSchema));
  }

  const spec: RequestSpec = { flavor, image, schedulerHints, numInstances };
  if (availabilityZone !== undefined) spec.availabilityZone = availabilityZone;
  if (d.project_id !== undefined) spec.projectId = d.project_id;
  if (d.instance_uuids !== undefined) spec.instanceUuids = d.instance_uuids;
  if (d.instance_group !== undefined) {
    spec.instanceGroup = { policies: d.instance_group.policies, hosts: d.instance_group.hosts };
    if (d.instance_group.uuid !== undefined) spec.instanceGroup.uuid = d.instance_group.uuid;
    if (d.instance_group.members !== undefined) {
      spec.instanceGroup.members = d.instance_group.members;
    }
    const rules = d.instance_group.rules;
    if (rules !== undefined) {
      spec.instanceGroup.rules =
        rules.max_server_per_host !== undefined
          ? { max_server_per_host: rules.max_server_per_host }
          : {};
    }
  }
  if (d.retry !== undefined) {
    spec.retry = {
      numAttempts: d.retry.num_attempts,
      hosts: d.retry.hosts.map(([h, n]) => [h, n] as const),
    };
  }
  if (forceHosts !== undefined) spec.forceHosts = forceHosts;
  if (forceNodes !== undefined) spec.forceNodes = forceNodes;
  if (d.ignore_hosts !== undefined) spec.ignoreHosts = d.ignore_hosts;
  if (preemptible !== undefined) {
    spec.preemptible = preemptible;
    if (preemptible) spec.systemMetadata = { preemptible: 'True' };
  }
  if (d.priority !== undefined) spec.priority = d.priority;
  if (d.request_id !== undefined) spec.requestId = d.request_id;
  return spec;
}
