import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  handlePreemptibleInstances,
  isPreemptibleInstancesPath,
  preemptibleApiPatch,
  readPreemptibleFromRequest,
  toFetchResponse,
  withPreemptibleAttributes,
} from './preemptible-api-patch.js';
import type { PreemptibleMark } from './preemptible-api-patch.js';

const URL_BASE = 'http://127.0.0.1:8774';

describe('isPreemptibleInstancesPath', () => {
  it.each([
    '/v2.1/os-preemptible-instances',
    '/v2.1/os-preemptible-instances/',
    '/v2.1/os-preemptible-instances/abc',
    '/v2/6f70656e737461636b20342065766572/os-preemptible-instances',
    '/os-preemptible-instances',
  ])('matches %s', (path) => {
    expect(isPreemptibleInstancesPath(path)).toBe(true);
  });
  it.each(['/v2.1/servers', '/v2.1/os-preemptible-instances/a/b', '/v2.1/os-preemptible', '/'])(
    'does not match %s',
    (path) => {
      expect(isPreemptibleInstancesPath(path)).toBe(false);
    },
  );
});

describe('handlePreemptibleInstances', () => {
  it("answers 501 to every method on the resource, as opie's extension does", async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const response = handlePreemptibleInstances(
        new Request(`${URL_BASE}/v2.1/os-preemptible-instances`, { method }),
      );
      expect(response?.status).toBe(501);
      expect(response?.headers.get('content-type')).toBe('application/json');
      const body = (await response?.json()) as { notImplemented: { code: number } };
      expect(body.notImplemented.code).toBe(501);
    }
  });
  it('leaves other requests to the API', () => {
    expect(handlePreemptibleInstances(new Request(`${URL_BASE}/v2.1/servers`))).toBeUndefined();
  });
});

describe('toFetchResponse', () => {
  it('keeps the status and the nova body', async () => {
    const response = toFetchResponse({
      status: 400,
      body: { badRequest: { code: 400, message: 'no' } },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ badRequest: { code: 400, message: 'no' } });
  });
});

describe('readPreemptibleFromRequest', () => {
  const post = (body: string): Request =>
    new Request(`${URL_BASE}/v2.1/servers`, { method: 'POST', body });

  it('reads the field and leaves the body readable', async () => {
    const request = post(JSON.stringify({ server: { name: 'a', preemptible: 'True' } }));
    expect(await readPreemptibleFromRequest(request)).toEqual({ ok: true, preemptible: true });
    expect(((await request.json()) as { server: { name: string } }).server.name).toBe('a');
  });
  it('reads "false" as false (opie bug 13 fixed)', async () => {
    const request = post(JSON.stringify({ server: { name: 'a', preemptible: 'false' } }));
    expect(await readPreemptibleFromRequest(request)).toEqual({ ok: true, preemptible: false });
  });
  it('answers malformed JSON with a 400', async () => {
    const result = await readPreemptibleFromRequest(post('{"server":'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.status).toBe(400);
      expect(result.error.body['badRequest']?.message).toBe('Malformed request body');
    }
  });
  it('answers a bad value with a 400 naming the field', async () => {
    const result = await readPreemptibleFromRequest(
      post(JSON.stringify({ server: { preemptible: 'maybe' } })),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.body['badRequest']?.message).toContain('preemptible');
  });
});

describe('withPreemptibleAttributes', () => {
  const marks = new Map<string, PreemptibleMark>([
    ['a', { systemMetadata: { preemptible: 'True' } }],
    ['b', { systemMetadata: {} }],
  ]);
  const markOf = (server: Record<string, unknown>) => marks.get(String(server['id']));

  it('decorates a show body', () => {
    expect(withPreemptibleAttributes({ server: { id: 'a' } }, markOf)).toEqual({
      server: { id: 'a', preemptible: true },
    });
  });
  it('decorates every server of a detail body and skips unknown ones', () => {
    const body = { servers: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], servers_links: [] };
    expect(withPreemptibleAttributes(body, markOf)).toEqual({
      servers: [{ id: 'a', preemptible: true }, { id: 'b', preemptible: false }, { id: 'c' }],
      servers_links: [],
    });
  });
});

describe('mounted in a plain node:http server', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('answers 501 for the resource and lets the API answer the rest', async () => {
    const server = createServer((req, res) => {
      const request = new Request(new URL(req.url ?? '/', URL_BASE), {
        method: req.method ?? 'GET',
      });
      const patched = preemptibleApiPatch.handle(request);
      if (patched !== undefined) {
        res.writeHead(patched.status, { 'content-type': 'application/json' });
        void patched.text().then((text) => res.end(text));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"servers":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const { port } = server.address() as AddressInfo;
    const patched = await fetch(`http://127.0.0.1:${port}/v2.1/os-preemptible-instances`);
    expect(patched.status).toBe(501);
    const other = await fetch(`http://127.0.0.1:${port}/v2.1/servers`);
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ servers: [] });
  });
});
