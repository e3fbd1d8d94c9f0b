import type { ImageDocument } from './cloud-schema.js';
import { toStringMap } from './field-types.js';

/**
 * An image as an image catalogue (Glance v2) serves it: the scheduler's
 * fields plus the informational ones of the cloud file, snake_case as Glance
 * spells them. `status` defaults to `active`.
 */
export interface CatalogImage {
  id: string;
  name?: string;
  status: string;
  diskFormat?: string;
  containerFormat?: string;
  /** Bytes. */
  size?: number;
  /** MB. */
  minRam: number;
  /** GB. */
  minDisk: number;
  /** Glance properties (string values). */
  properties: Record<string, string>;
}

/** The catalogue entry of one validated image document. */
export function toCatalogImage(d: ImageDocument): CatalogImage {
  const image: CatalogImage = {
    id: d.id,
    status: d.status ?? 'active',
    minRam: d.min_ram,
    minDisk: d.min_disk,
    properties: toStringMap(d.properties),
  };
  if (d.name !== undefined) image.name = d.name;
  if (d.disk_format !== undefined) image.diskFormat = d.disk_format;
  if (d.container_format !== undefined) image.containerFormat = d.container_format;
  if (d.size !== undefined) image.size = d.size;
  return image;
}
