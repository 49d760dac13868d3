/**
 * Expected caller errors. Each has a stable `code` and an HTTP status; routes just throw them and
 * the one error handler in http/middleware/error-handler.ts turns them into responses.
 */
export interface IssueDetail {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  override readonly name: string = this.constructor.name;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
  constructor(
    readonly issues: IssueDetail[],
    message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') || 'Validation failed',
  ) {
    super(message);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor(message = 'A valid API key is required (Authorization: Bearer <key>)') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'This key may not do that') {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(what = 'Resource') {
    super(`${what} not found`);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code: string = 'conflict';
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class GoneError extends AppError {
  readonly status = 410;
  readonly code = 'gone';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  constructor(message = 'Request body is larger than 1 MB') {
    super(message);
  }
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(message = 'Too many requests, slow down') {
    super(message);
  }
}
