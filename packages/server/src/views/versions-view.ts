/** The compute API versions this service speaks: v2.1 with no microversion above 2.1. */
export const MIN_VERSION = '2.1';
export const MAX_VERSION = '2.1';

function v21(baseUrl: string) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: MAX_VERSION,
    min_version: MIN_VERSION,
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${baseUrl}/v2.1/` }],
  };
}

/**
 * `GET /`: every version. nova answers it with 300 Multiple Choices on
 * other paths; the root is a plain 200.
 * @see nova/api/openstack/compute/versions.py
 */
export function versionsDocument(baseUrl: string) {
  return {
    versions: [
      {
        id: 'v2.0',
        status: 'SUPPORTED',
        version: '',
        min_version: '',
        updated: '2011-01-21T11:33:21Z',
        links: [{ rel: 'self', href: `${baseUrl}/v2/` }],
      },
      v21(baseUrl),
    ],
  };
}

/** `GET /v2.1`: this version. */
export function versionDocument(baseUrl: string) {
  return {
    version: {
      ...v21(baseUrl),
      links: [
        { rel: 'self', href: `${baseUrl}/v2.1/` },
        {
          rel: 'describedby',
          type: 'text/html',
          href: 'https://docs.openstack.org/',
        },
      ],
      'media-types': [
        { base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' },
      ],
    },
  };
}
