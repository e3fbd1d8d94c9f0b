import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse, ComputeApi } from './compute-api.js';
import { listenComputeApi } from './http-server.js';

/** An API that echoes what it was given. */
function echoApi(): { api: ComputeApi; seen: ApiRequest[] } {
  const seen: ApiRequest[] = [];
  const api = {
    handle(req: ApiRequest): Promise<ApiResponse> {
      seen.push(req);
      if (req.url === '/none') return Promise.resolve({ status: 204 });
      return Promise.resolve({ status: 200, body: { length: req.body?.length ?? 0 } });
    },
  } as unknown as ComputeApi;
  return { api, seen };
}

/** Sends a body in chunks without a Content-Length (chunked encoding). */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/x`, { method: 'POST' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('listenComputeApi', () => {
  it('listens on 127.0.0.1 by default and hands the API the body, headers and base URL', async () => {
    const { api, seen } = echoApi();
    const entries: number[] = [];
    const l = await listenComputeApi(api, { port: 0, onResponse: (e) => entries.push(e.status) });
    try {
      expect(l.host).toBe('127.0.0.1');
      expect(l.url).toBe(`http://127.0.0.1:${l.port}`);
      const r = await fetch(`${l.url}/v2.1/servers?x=1`, {
        method: 'POST',
        body: '{"a":1}',
        headers: { 'X-Project-Id': 'p' },
      });
      expect(await r.json()).toEqual({ length: 7 });
      expect(seen[0]).toMatchObject({
        method: 'POST',
        url: '/v2.1/servers?x=1',
        body: '{"a":1}',
        baseUrl: l.url,
      });
      expect(seen[0]?.headers['x-project-id']).toBe('p');
      const none = await fetch(`${l.url}/none`);
      expect(none.status).toBe(204);
      expect(entries).toEqual([200, 204]);
    } finally {
      await l.close();
    }
  });

  it('answers 413 overLimit for a declared or streamed body over the limit, without calling the API', async () => {
    const { api, seen } = echoApi();
    const l = await listenComputeApi(api, { port: 0, maxBodyBytes: 100 });
    try {
      const declared = await fetch(`${l.url}/x`, { method: 'POST', body: 'x'.repeat(101) });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toEqual({
        overLimit: { code: 413, message: 'Request is too large.' },
      });
      const streamed = await postChunked(l.url, ['x'.repeat(60), 'x'.repeat(60)]);
      expect(streamed.status).toBe(413);
      const fits = await postChunked(l.url, ['x'.repeat(50), 'x'.repeat(50)]);
      expect(JSON.parse(fits.body)).toEqual({ length: 100 });
      expect(seen).toHaveLength(1);
    } finally {
      await l.close();
    }
  });

  it('fails to listen on a port in use', async () => {
    const { api } = echoApi();
    const first = await listenComputeApi(api, { port: 0 });
    try {
      await expect(listenComputeApi(api, { port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
