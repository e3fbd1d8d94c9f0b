import type { CatalogImage } from '@opie/cloud';
import { isoTime } from './links.js';

/** Glance's reserved top-level image attributes: properties may not shadow them. */
const RESERVED = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'protected',
  'tags',
  'container_format',
  'disk_format',
  'min_disk',
  'min_ram',
  'size',
  'virtual_size',
  'checksum',
  'owner',
  'os_hidden',
  'created_at',
  'updated_at',
  'self',
  'file',
  'schema',
]);

/**
 * An image as the image API v2 shows it: Glance's attributes, then the
 * properties as top-level string fields.
 * @see glance/api/v2/images.py ImagesController
 */
export function glanceImage(image: CatalogImage, createdAt: number) {
  const view: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(image.properties)) if (!RESERVED.has(k)) view[k] = v;
  const time = isoTime(createdAt);
  return {
    ...view,
    id: image.id,
    name: image.name ?? null,
    status: image.status,
    visibility: 'public',
    protected: false,
    tags: [],
    container_format: image.containerFormat ?? null,
    disk_format: image.diskFormat ?? null,
    min_disk: image.minDisk,
    min_ram: image.minRam,
    size: image.size ?? null,
    virtual_size: null,
    checksum: null,
    owner: null,
    os_hidden: false,
    created_at: time,
    updated_at: time,
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
}
