/** nova's `links`: a versioned self link and an unversioned bookmark. */
export function resourceLinks(baseUrl: string, collection: string, id: string | number) {
  return [
    { rel: 'self', href: `${baseUrl}/v2.1/${collection}/${id}` },
    { rel: 'bookmark', href: `${baseUrl}/${collection}/${id}` },
  ];
}

/** ISO 8601 without milliseconds, as nova prints times (`2024-03-05T12:00:00Z`). */
export function isoTime(epochMs: number | null | undefined): string | null {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return null;
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** nova's `launched_at` / `terminated_at` spelling: microseconds, no zone. */
export function usageTime(epochMs: number | null | undefined): string | null {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return null;
  return new Date(epochMs).toISOString().replace(/Z$/, '000');
}
