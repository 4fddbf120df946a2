/**
 * Errors are typed values. Every error sinkops raises on purpose is a SinkopsError with a code
 * from this closed union; the CLI's single top-level catch maps them to exit codes and messages.
 * Anything else reaching that catch is a bug and is reported with a bug-report hint.
 */
export type ErrorCode =
  | 'USAGE' // bad command line
  | 'INVALID_INPUT' // the desired state (YAML) has errors; details are in diagnostics
  | 'CONFIG' // missing credentials, bad environment
  | 'TWILIO_API' // the API answered with an error
  | 'NETWORK' // the API could not be reached
  | 'UNSAFE_PLAN' // the plan breaks a safety limit; the message names the overriding flag
  | 'STALE_PLAN' // a saved plan no longer matches the remote state
  | 'PLAN_FILE' // a saved plan cannot be read (version, shape)
  | 'REFUSED' // the user (or the absence of a terminal) declined
  | 'NOT_FOUND' // a named thing does not exist
  | 'LOCKED' // another sinkops is applying to the same account (the lease) or using the local account (its lock)
  | 'DEADLINE' // the command ran out of time (`--deadline`), or was cancelled: requests in flight were aborted
  | 'INTERRUPTED'; // SIGINT or SIGTERM stopped the command (exit 130); the message says what was done

export class SinkopsError extends Error {
  readonly code: ErrorCode;
  /** Extra lines a user needs (hints, what changed); printed after the message. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SinkopsError';
    this.code = code;
    this.details = options.details ?? [];
  }
}

export function isSinkopsError(e: unknown): e is SinkopsError {
  return e instanceof SinkopsError;
}
