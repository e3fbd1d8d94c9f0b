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
  /**
   * The base URL clients reach the service at (behind a proxy, a TLS
   * terminator, a DNS name), for links and `Location`; default: the listen
   * address. The Host header of a request is never used.
   */
  publicUrl?: string;
  /**
   * On `close()`, how long requests already received may take to be answered
   * (default 30 000 ms); connections still busy after it are cut.
   */
  shutdownTimeoutMs?: number;
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
  /** The base URL of links: `publicUrl`, else `url`. */
  readonly publicUrl: string;
  /**
   * Stops accepting connections, answers every request already received
   * (its body may still be arriving), closes idle connections, and resolves
   * when all are closed, or after the shutdown timeout, cutting what is left.
   */
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
  let baseUrl = '';
  let stopping = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (stopping) server.closeIdleConnections();
      if (inFlight === 0) drained?.();
    });
    // While stopping, every answer closes its connection (no keep-alive).
    if (stopping) res.setHeader('connection', 'close');
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
        const response = await api.handle({
          method,
          url,
          headers,
          baseUrl,
          ...(body !== undefined ? { body } : {}),
        });
        if (stopping) res.setHeader('connection', 'close');
        done(response);
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
  const url = `http://${shownHost}:${address.port}`;
  baseUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  const timeoutMs = options.shutdownTimeoutMs ?? 30_000;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      stopping = true;
      const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      // Resolves once the listener is closed and every connection has ended.
      server.close((error) => {
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      });
      // Connections between requests have nothing to answer: close them now,
      // and each busy one as soon as its response is sent.
      server.closeIdleConnections();
      drained = () => server.closeIdleConnections();
    });
    return closing;
  };
  return {
    url,
    host: address.address,
    port: address.port,
    server,
    publicUrl: baseUrl,
    close,
  };
}
