export {
  readPreemptibleField,
  markSystemMetadata,
  withPreemptibleAttribute,
  preemptibleInstancesResource,
} from './preemptible-attribute.js';
export type { ApiErrorResponse, PreemptibleFieldResult } from './preemptible-attribute.js';
export {
  PREEMPTIBLE_INSTANCES_RESOURCE,
  handlePreemptibleInstances,
  isPreemptibleInstancesPath,
  preemptibleApiPatch,
  readPreemptibleFromRequest,
  toFetchResponse,
  withPreemptibleAttributes,
} from './preemptible-api-patch.js';
export type { PreemptibleMark } from './preemptible-api-patch.js';
