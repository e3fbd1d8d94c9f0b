export { ApiError } from './api-error.js';
export { ComputeApi } from './compute-api.js';
export type { ApiRequest, ApiResponse, ComputeApiOptions } from './compute-api.js';
export {
  AUTH_MODES,
  callerFromKeystoneHeaders,
  callerFromNoauthToken,
  identify,
} from './identity.js';
export type { AuthMode, Caller } from './identity.js';
export {
  BASE_RULES,
  COMPUTE_RULES,
  ComputePolicy,
  PolicyError,
  ownTarget,
} from './policy/compute-policy.js';
export type { PolicyOverride, PolicyTarget } from './policy/compute-policy.js';
export { parsePolicyJson, parsePolicyYaml, readPolicyFile } from './policy/policy-file.js';
export {
  evaluatePolicyRule,
  parsePolicyRule,
  PolicyRuleSyntaxError,
} from './policy/policy-rule.js';
export type { PolicyInput, PolicyRule } from './policy/policy-rule.js';
export { ComputeService, realTimer } from './compute-service.js';
export type {
  AvailabilityZone,
  BackgroundTimer,
  ComputeServiceOptions,
  CreateOutcome,
  InstanceAction,
  RequestContext,
} from './compute-service.js';
export { instanceActionView } from './views/instance-action-view.js';
export { parseCreateServer } from './create-server-input.js';
export type { CreateServerInput } from './create-server-input.js';
export { claimProblems } from './claim-check.js';
export type { NodeUsed, Requested } from './claim-check.js';
export { DEFAULT_MAX_BODY_BYTES, listenComputeApi } from './http-server.js';
export type { ListenOptions, ListeningApi } from './http-server.js';
export { baseUsageOf, liveComputeNode } from './live-compute-node.js';
export type { BaseUsage, NodeRow } from './live-compute-node.js';
export { openComputeService } from './open-compute-service.js';
export type { OpenComputeServiceOptions } from './open-compute-service.js';
export {
  POWER_STATE,
  PREEMPTING_TASK_STATE,
  SCHEDULING_TASK_STATE,
  toInstance,
  WAITING_TASK_STATE,
} from './server-record.js';
export type { NewServerRecord, ServerFault, ServerOrigin, ServerRecord } from './server-record.js';
export { startComputeApi } from './start-compute-api.js';
export type { RunningComputeApi, StartComputeApiOptions } from './start-compute-api.js';
export { PREEMPTED_FAULT_CODE, StoreComputePort, preemptionFault } from './store-compute-port.js';
export type { TerminationScope } from './store-compute-port.js';
export { StoreHostSource } from './store-host-source.js';
export { isPostgresUrl, openStore } from './store/open-store.js';
export { openPgClient, redactUrl } from './store/pg-client.js';
export type { PgClientOptions } from './store/pg-client.js';
export { openPgliteClient } from './store/pglite-client.js';
export { SCHEMA_SQL, SCHEMA_VERSION } from './store/schema.js';
export { ServerStore, statusOf } from './store/server-store.js';
export type {
  Inventory,
  LockedNode,
  PreemptionRecord,
  RequestRecord,
  SeedReport,
  ServerQuery,
  ServerUsage,
} from './store/server-store.js';
export {
  isConnectionError,
  isRetryableSqlError,
  isStoreUnavailable,
  StoreUnavailableError,
} from './store/sql-client.js';
export type { SqlClient, SqlQueryable } from './store/sql-client.js';
