import { ComputeApi } from './compute-api.js';
import type { ComputeApiOptions } from './compute-api.js';
import type { ComputeService } from './compute-service.js';
import { listenComputeApi } from './http-server.js';
import type { ListenOptions, ListeningApi } from './http-server.js';
import { openComputeService } from './open-compute-service.js';
import type { OpenComputeServiceOptions } from './open-compute-service.js';

export type StartComputeApiOptions = OpenComputeServiceOptions & ListenOptions & ComputeApiOptions;

/** A running service: its HTTP listener and its domain. */
export interface RunningComputeApi extends Omit<ListeningApi, 'close'> {
  readonly service: ComputeService;
  readonly api: ComputeApi;
  /** Stops listening (answering the requests already received), then closes the store. */
  close(): Promise<void>;
}

/** `opie serve` as a function: open the service and listen (127.0.0.1:8774 by default). */
export async function startComputeApi(options: StartComputeApiOptions): Promise<RunningComputeApi> {
  const service = await openComputeService(options);
  let listening: ListeningApi;
  const api = new ComputeApi(service, {
    ...(options.auth !== undefined ? { auth: options.auth } : {}),
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
  });
  try {
    listening = await listenComputeApi(api, options);
  } catch (error) {
    await service.close();
    throw error;
  }
  return {
    url: listening.url,
    host: listening.host,
    port: listening.port,
    server: listening.server,
    publicUrl: listening.publicUrl,
    service,
    api,
    async close() {
      try {
        await listening.close();
      } finally {
        await service.close();
      }
    },
  };
}
