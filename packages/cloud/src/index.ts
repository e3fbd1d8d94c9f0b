export { parseCloud } from './parse-cloud.js';
export type { CloudSnapshot, ParseOptions } from './parse-cloud.js';
export { toCatalogImage } from './catalog-image.js';
export type { CatalogImage } from './catalog-image.js';
export { parseRequest } from './parse-request.js';
export { deriveNodeUsage } from './derive-usage.js';
export type { NodeUsage, ReservedResources } from './derive-usage.js';

export {
  cloudSchema,
  flavorSchema,
  imageSchema,
  nodeSchema,
  serviceSchema,
  aggregateSchema,
  instanceSchema,
  VM_STATES,
} from './cloud-schema.js';
export type {
  CloudDocument,
  FlavorDocument,
  ImageDocument,
  NodeDocument,
  ServiceDocument,
  AggregateDocument,
  InstanceDocument,
} from './cloud-schema.js';
export { requestSchema } from './request-schema.js';
export type { RequestDocument } from './request-schema.js';

export { cloudJsonSchema, requestJsonSchema } from './json-schema.js';
export { loadJsonFile } from './load-json-file.js';
export { parseJsonText } from './parse-json-text.js';
export { parseTime } from './parse-time.js';
