import type { FilterPlugin, FilterRequest, HostFilter, HostState, OptionSpec } from '@opie/core';

/** `[filter_scheduler] isolated_images` (Liberty: `[DEFAULT] isolated_images`). */
export const isolatedImagesOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'isolated_images',
  type: 'list',
  default: [],
  help: 'IsolatedHostsFilter: ids of the images that may only run on the isolated hosts.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'isolated_images' }],
};

/** `[filter_scheduler] isolated_hosts` (Liberty: `[DEFAULT] isolated_hosts`). */
export const isolatedHostsOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'isolated_hosts',
  type: 'list',
  default: [],
  help: 'IsolatedHostsFilter: host names that only run the isolated images.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'isolated_hosts' }],
};

/** `[filter_scheduler] restrict_isolated_hosts_to_isolated_images` (Liberty: `[DEFAULT]`). */
export const restrictIsolatedHostsToIsolatedImagesOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'restrict_isolated_hosts_to_isolated_images',
  type: 'bool',
  default: true,
  help:
    'IsolatedHostsFilter: when true, isolated hosts run nothing but isolated images; ' +
    'when false, they also run other images.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'restrict_isolated_hosts_to_isolated_images' }],
};

export interface IsolatedHostsOptions {
  isolatedImages?: readonly string[];
  isolatedHosts?: readonly string[];
  /** Default true. */
  restrictIsolatedHostsToIsolatedImages?: boolean;
}

/**
 * Keeps isolated images on isolated hosts. Isolated images run only on
 * isolated hosts; with `restrictIsolatedHostsToIsolatedImages` (the default)
 * isolated hosts run only isolated images. Without isolated images, isolated
 * hosts are closed to everything when restricted, else nothing is filtered.
 * The image is `spec.image.id` (nova: `instance_properties.image_ref`).
 * @see nova/scheduler/filters/isolated_hosts_filter.py
 */
export function createIsolatedHostsFilter(options: IsolatedHostsOptions = {}): HostFilter {
  const images = new Set(options.isolatedImages ?? []);
  const hosts = new Set(options.isolatedHosts ?? []);
  const restrict = options.restrictIsolatedHostsToIsolatedImages ?? true;
  return {
    name: 'IsolatedHostsFilter',
    runFilterOncePerRequest: true,
    dependsOn: 'host',
    hostPasses(host: HostState, request: FilterRequest): boolean {
      if (images.size === 0) return !restrict || !hosts.has(host.host);
      const imageId = request.spec.image.id;
      const imageIsolated = imageId !== undefined && images.has(imageId);
      const hostIsolated = hosts.has(host.host);
      return restrict ? imageIsolated === hostIsolated : !imageIsolated || hostIsolated;
    },
  };
}

export const isolatedHostsFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.isolated_hosts_filter.IsolatedHostsFilter',
  description:
    'Keeps isolated_images on isolated_hosts (and, when restricted, isolated hosts to those images).',
  options: [isolatedImagesOption, isolatedHostsOption, restrictIsolatedHostsToIsolatedImagesOption],
  create: (ctx) =>
    createIsolatedHostsFilter({
      isolatedImages: ctx.conf.list('filter_scheduler', 'isolated_images'),
      isolatedHosts: ctx.conf.list('filter_scheduler', 'isolated_hosts'),
      restrictIsolatedHostsToIsolatedImages: ctx.conf.bool(
        'filter_scheduler',
        'restrict_isolated_hosts_to_isolated_images',
      ),
    }),
};
