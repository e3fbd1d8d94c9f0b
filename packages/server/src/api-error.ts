/**
 * An error the API answers with a nova fault body:
 * `{"<name>": {"code": <status>, "message": <text>}}`.
 * @see nova/api/openstack/wsgi.py Fault
 */
export class ApiError extends Error {
  readonly status: number;
  readonly faultName: string;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.faultName = FAULT_NAMES[status] ?? 'computeFault';
  }

  /** The response body. */
  get body(): Record<string, { code: number; message: string }> {
    return { [this.faultName]: { code: this.status, message: this.message } };
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, message);
  }

  static notFound(message = 'The resource could not be found.'): ApiError {
    return new ApiError(404, message);
  }

  static conflict(message: string): ApiError {
    return new ApiError(409, message);
  }

  static isInstance(value: unknown): value is ApiError {
    return value instanceof ApiError;
  }
}

/** nova's fault names by status. @see nova/api/openstack/wsgi.py Fault._fault_names */
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};
