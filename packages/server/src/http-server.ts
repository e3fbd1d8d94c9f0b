import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiResponse, ComputeApi } from './compute-api.js';

/** oslo.middleware's `max_request_body_size` default (bytes): larger bodies get a 413. */
export const DEFAULT_MAX_BODY_BYTES = 114_688;

export interface ListenOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 8774 (nova's port); 0 picks a free one. */
  port?: number;
  /** Larger request bodies are refused with a 413 (default 114 688). */
  maxBodyBytes?: number;
  /** Called after every response (access log). */
  onResponse?: (entry: { method: string; url: string; status: number; ms: number }) => void;
}

/** A listening compute API. */
export interface ListeningApi {
  /** `http://host:port`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly server: Server;
  /** Stops accepting, ends open connections, and resolves when closed. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? '');
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(size === 0 ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

function send(res: ServerResponse, method: string, response: ApiResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.body !== undefined && response.status !== 204) {
    payload = JSON.stringify(response.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  } else {
    headers['content-length'] = '0';
  }
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}

/**
 * Serves a `ComputeApi` over `node:http`, on 127.0.0.1 by default. Bodies
 * above `maxBodyBytes` are answered 413 (`overLimit`) without being read
 * to the end.
 */
export async function listenComputeApi(
  api: ComputeApi,
  options: ListenOptions = {},
): Promise<ListeningApi> {
  const host = options.host ?? '127.0.0.1';
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = createServer((req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const done = (response: ApiResponse): void => {
      send(res, method, response);
      options.onResponse?.({
        method,
        url,
        status: response.status,
        ms: performance.now() - started,
      });
    };
    readBody(req, limit).then(
      async (body) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          headers[k] = Array.isArray(v) ? v.join(', ') : v;
        }
        const hostHeader =
          req.headers.host ?? `${host}:${String((server.address() as AddressInfo).port)}`;
        done(
          await api.handle({
            method,
            url,
            headers,
            baseUrl: `http://${hostHeader}`,
            ...(body !== undefined ? { body } : {}),
          }),
        );
      },
      (error: unknown) => {
        if (error instanceof BodyTooLarge) {
          res.setHeader('connection', 'close');
          done({
            status: 413,
            body: { overLimit: { code: 413, message: 'Request is too large.' } },
          });
          req.resume();
          return;
        }
        done({
          status: 400,
          body: { badRequest: { code: 400, message: 'The request body could not be read.' } },
        });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8774, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    host: address.address,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
