/**
 * Twilio-style API errors. Every error the emulator answers has Twilio's body shape
 * (`code`, `message`, `more_info`, `status`), so clients parse emulator and Twilio errors alike.
 */

export interface TwilioErrorBody {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

/** Codes the emulator uses, all real Twilio error codes. */
export const TWILIO_CODES = {
  INVALID_PARAMETER: 20001,
  AUTHENTICATE: 20003,
  METHOD_NOT_ALLOWED: 20004,
  NOT_FOUND: 20404,
  CONFLICT: 20409,
  TOO_MANY_REQUESTS: 20429,
  INTERNAL: 20500,
} as const;

/** An error answer. Thrown by handlers; the server turns it into a response. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: number, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  body(): TwilioErrorBody {
    return errorBody(this.status, this.code, this.message);
  }
}

export function errorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export function notFound(path: string): ApiError {
  return new ApiError(404, TWILIO_CODES.NOT_FOUND, `The requested resource ${path} was not found`);
}

export function invalidParameter(message: string): ApiError {
  return new ApiError(400, TWILIO_CODES.INVALID_PARAMETER, message);
}

export function missingParameter(name: string): ApiError {
  return invalidParameter(`Missing required parameter ${name} in the post body`);
}

export function conflict(message: string): ApiError {
  return new ApiError(409, TWILIO_CODES.CONFLICT, message);
}

export function methodNotAllowed(method: string, path: string): ApiError {
  return new ApiError(405, TWILIO_CODES.METHOD_NOT_ALLOWED, `Method ${method} is not allowed on ${path}`);
}

export function unauthenticated(): ApiError {
  return new ApiError(401, TWILIO_CODES.AUTHENTICATE, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, TWILIO_CODES.TOO_MANY_REQUESTS, 'Too Many Requests', { 'Retry-After': String(retryAfterSeconds) });
}

export function internalError(message = 'Internal Server Error'): ApiError {
  return new ApiError(500, TWILIO_CODES.INTERNAL, message);
}
