/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests read JSON response bodies loosely */
import type { CloudSnapshot } from '@opie/cloud';
import { startComputeApi } from '../start-compute-api.js';
import type { RunningComputeApi, StartComputeApiOptions } from '../start-compute-api.js';
import { TEST_CONFIG_FILES, testCloud } from './test-cloud.js';

/** A JSON body as tests read it: loosely (each test states the shape it expects). */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A response as tests read it. */
export interface TestResponse {
  status: number;
  body: Json;
  headers: Headers;
}

/** A small HTTP client for the API under test, sending a noauth2 token (`USER:PROJECT`). */
export class TestClient {
  /** `token` defaults to `admin` (user admin, project admin: the administrator). */
  constructor(
    readonly url: string,
    readonly token: string | null = 'admin',
    /** Waits until the service has scheduled what it accepted (`createServer` calls it). */
    readonly settle?: () => Promise<void>,
  ) {}

  /** The same service as another caller (`null`: no token at all). */
  as(token: string | null): TestClient {
    return new TestClient(this.url, token, this.settle);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestResponse> {
    const auth: Record<string, string> = this.token === null ? {} : { 'x-auth-token': this.token };
    const init: RequestInit = {
      method,
      headers: { accept: 'application/json', ...auth, ...headers },
    };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.url}${path}`, init);
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
      headers: response.headers,
    };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }

  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, undefined, headers);
  }

  /**
   * POST /servers with a nova body; `extra` goes next to `server` (e.g.
   * hints). The 202 comes back with the servers in BUILD; unless `wait` is
   * false this waits until the service has scheduled them (ACTIVE, ERROR,
   * or waiting for a grace period), polling when there is no `settle`.
   */
  async createServer(
    server: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    wait = true,
  ): Promise<TestResponse> {
    const response = await this.post('/v2.1/servers', { server, ...extra });
    if (!wait || response.status !== 202) return response;
    if (this.settle !== undefined) await this.settle();
    else if (response.body?.server?.id !== undefined) {
      await this.waitWhile(
        response.body.server.id as string,
        (s) => s.status === 'BUILD' && s['OS-EXT-STS:task_state'] === 'scheduling',
      );
    }
    return response;
  }

  /** Polls GET /servers/{id} (every 20 ms, up to 30 s) while `busy` holds; returns the last view. */
  async waitWhile(id: string, busy: (server: Json) => boolean, timeoutMs = 30_000): Promise<Json> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const shown = await this.get(`/v2.1/servers/${id}`);
      if (shown.status !== 200 || !busy(shown.body.server) || Date.now() > until) {
        return shown.body?.server;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export interface TestApi {
  api: RunningComputeApi;
  client: TestClient;
  close(): Promise<void>;
}

/** Starts the API on 127.0.0.1, a free port, the test nova.conf and (by default) a 2-host cloud in memory. */
export async function startTestApi(
  options: Partial<StartComputeApiOptions> & { cloud?: CloudSnapshot } = {},
): Promise<TestApi> {
  const api = await startComputeApi({
    configFiles: TEST_CONFIG_FILES,
    db: 'memory',
    ...options,
    cloud: options.cloud ?? testCloud(),
    host: '127.0.0.1',
    port: 0,
  });
  return {
    api,
    client: new TestClient(api.url, 'admin', () => api.service.settled()),
    close: () => api.close(),
  };
}
