export {
  readPreemptibleField,
  markSystemMetadata,
  withPreemptibleAttribute,
  preemptibleInstancesResource,
} from './preemptible-attribute.js';
export type { ApiErrorResponse, PreemptibleFieldResult } from './preemptible-attribute.js';
