import { describe, expect, it } from 'vitest';
import { parseCloud } from './parse-cloud.js';

describe('parseCloud: image catalogue', () => {
  it('keeps the Glance fields of every image, status active by default', () => {
    const cloud = parseCloud({
      nodes: [],
      images: [
        {
          id: 'a',
          name: 'cirros',
          status: 'queued',
          disk_format: 'qcow2',
          container_format: 'bare',
          size: 1024,
          min_ram: 64,
          min_disk: 1,
          properties: { architecture: 'x86_64', hw_cpu_cores: 2 },
        },
        { id: 'b' },
      ],
    });
    expect(cloud.imageCatalogue).toEqual([
      {
        id: 'a',
        name: 'cirros',
        status: 'queued',
        diskFormat: 'qcow2',
        containerFormat: 'bare',
        size: 1024,
        minRam: 64,
        minDisk: 1,
        properties: { architecture: 'x86_64', hw_cpu_cores: '2' },
      },
      { id: 'b', status: 'active', minRam: 0, minDisk: 0, properties: {} },
    ]);
  });
  it('is empty without images', () => {
    expect(parseCloud({ nodes: [] }).imageCatalogue).toEqual([]);
  });
});
