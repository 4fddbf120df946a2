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

/**
 * Codes the emulator uses, all real Twilio error codes. The 910xx/911xx codes are Event Streams'
 * own (twilio.com/docs/api/errors); Twilio does not document their HTTP statuses, so the emulator
 * uses the ones SPEC §12 fixes: 400, and 409 for a sink still in use.
 */
export const TWILIO_CODES = {
  INVALID_PARAMETER: 20001,
  AUTHENTICATE: 20003,
  METHOD_NOT_ALLOWED: 20004,
  FORBIDDEN: 20403,
  NOT_FOUND: 20404,
  TOO_MANY_REQUESTS: 20429,
  INTERNAL: 20500,
  INVALID_SINK_CONFIGURATION: 91000,
  SINK_LIMIT: 91003,
  SINK_IN_USE: 91007,
  SINK_NOT_ACTIVE: 91100,
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

/** 91000: a `SinkConfiguration` Twilio would not accept for the sink's type. */
export function invalidSinkConfiguration(message: string): ApiError {
  return new ApiError(400, TWILIO_CODES.INVALID_SINK_CONFIGURATION, message);
}

/** 91003, in Twilio's own words (grammar included), so clients can be tested against the real text. */
export function sinkLimitReached(limit: number): ApiError {
  return new ApiError(400, TWILIO_CODES.SINK_LIMIT, `Cannot have more than ${limit} sinks. Make sure to delete at least one sinks before creating another`);
}

/** 91007: the sink still receives events for these subscriptions. */
export function sinkInUse(sinkSid: string, subscriptionSids: readonly string[]): ApiError {
  return new ApiError(
    409,
    TWILIO_CODES.SINK_IN_USE,
    `Sink still in use: Sink ${sinkSid} is used by subscription(s) ${subscriptionSids.join(', ')}; delete them before deleting the Sink`,
  );
}

/** 91100: a subscription on a sink that is not active. */
export function sinkNotActive(sinkSid: string, status: string): ApiError {
  return new ApiError(400, TWILIO_CODES.SINK_NOT_ACTIVE, `Sink ${sinkSid} is ${status}: a Sink must be active for a Subscription to be created`);
}

/**
 * 20403 ("403 Forbidden"): the credentials are good but do not allow this. Used for a subaccount
 * asking to create a subaccount, which Twilio does not allow; its exact code for that case is not
 * documented, and 20403 is its generic one.
 */
export function forbidden(message: string): ApiError {
  return new ApiError(403, TWILIO_CODES.FORBIDDEN, message);
}

export function methodNotAllowed(method: string, path: string): ApiError {
  return new ApiError(405, TWILIO_CODES.METHOD_NOT_ALLOWED, `Method ${method} is not allowed on ${path}`);
}

/**
 * 20003 with 401, for wrong credentials and also for the right credentials of an account that is
 * not active (suspended or closed). Twilio has a code of its own for the latter (20005, "Account
 * not active"), but its HTTP status and where it applies are not documented for the Events API;
 * a plain "Authenticate" is what a client already handles, and it keeps the emulator simple.
 */
export function unauthenticated(): ApiError {
  return new ApiError(401, TWILIO_CODES.AUTHENTICATE, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
}

/** 20429. Twilio documents no `Retry-After` for it, so one is sent only when asked for. */
export function tooManyRequests(retryAfterSeconds: number | undefined): ApiError {
  const headers = retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
  return new ApiError(429, TWILIO_CODES.TOO_MANY_REQUESTS, 'Too Many Requests', headers);
}

export function internalError(message = 'Internal Server Error'): ApiError {
  return new ApiError(500, TWILIO_CODES.INTERNAL, message);
}
