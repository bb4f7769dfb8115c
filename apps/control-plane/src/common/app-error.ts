/**
 * Errors the API reports on purpose. `message` is for logs and may hold internal detail;
 * `userMessage` is what the caller reads.
 */
export const APP_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** A unique field (email, slug) is already taken. */
  CONFLICT: 409,
  /** If-Match names a version the resource no longer has: someone else changed it first. */
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  /** A dependency (the database) does not answer; retrying later may work. */
  SERVICE_UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;
export type FieldError = { field: string; message: string };

export class AppError extends Error {
  readonly status: number;
  readonly fieldErrors: FieldError[] | undefined;

  constructor(
    readonly code: AppErrorCode,
    readonly userMessage: string,
    options: { message?: string; fieldErrors?: FieldError[] } = {},
  ) {
    super(options.message ?? userMessage);
    this.name = "AppError";
    this.status = APP_ERROR_STATUS[code];
    this.fieldErrors = options.fieldErrors;
  }

  static invalid(fieldErrors: FieldError[]): AppError {
    return new AppError("VALIDATION_FAILED", "The request is not valid", { fieldErrors });
  }

  static notFound(what: string): AppError {
    return new AppError("NOT_FOUND", `${what} not found`);
  }
}
