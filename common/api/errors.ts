/** Typed errors that cross the API boundary. */

/** Every error code a request or subscription can fail with. */
export type ApiErrorCode =
  | "bad_request"
  | "unknown_method"
  | "unauthorized"
  | "not_found"
  | "conflict"
  | "unavailable"
  | "cancelled"
  | "timeout"
  /** A per-connection cap was reached (subscriptions or requests in flight); retry after some finish. */
  | "limit_exceeded"
  | "internal";

/** The JSON form of an error on the wire. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** Structured detail, e.g. the list of validation issues for `bad_request`. */
  details?: unknown;
}

/** An error with a code the other side can act on; thrown by handlers, re-thrown by clients. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
  }

  /** The wire form of this error. */
  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error received from the wire. */
  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.details);
  }
}
