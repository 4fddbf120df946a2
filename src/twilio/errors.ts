import { SinkopsError } from '../errors.js';
import { containsSecret, WITHHELD } from '../secrets.js';

/** Shown with a 401: which variables hold the credentials (never their values). */
const AUTH_HINT =
  'Check the credentials in TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or in TWILIO_API_KEY and TWILIO_API_SECRET (TWILIO_ACCOUNT_SID optional).';

/**
 * What a user can do about the Twilio error codes of Event Streams that they can act on (SPEC §12).
 * Chosen by the code alone and written here in full: a hint never repeats anything from the
 * response, which a proxy or a faulty server could have filled with anything.
 */
const CODE_HINTS: ReadonlyMap<number, string> = new Map([
  [
    91003,
    "The account holds Twilio's maximum number of sinks: delete a sink it no longer needs, or run 'sinkops plan', which counts the account's sinks against the limit.",
  ],
  [91000, "Twilio found the sink configuration invalid: check the sink's YAML."],
  // "Move" means re-create: Twilio fixes a subscription's sink when it is created (SPEC §12).
  [91007, 'The sink is still in use by a subscription: delete the subscription, or re-create it on another sink, first.'],
  [91100, "A subscription needs an active sink: activate the sink first ('sinkops activate'), or subscribe to an active one."],
  [20429, 'Too many concurrent requests to the account: try again later, and lower --parallelism for apply.'],
]);

/** The hint for a Twilio error code, if it is one a user can act on. */
export function hintForTwilioCode(code: number | null): string | undefined {
  return code === null ? undefined : CODE_HINTS.get(code);
}

export interface TwilioErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly more_info?: unknown;
  readonly status?: unknown;
}

/**
 * The API answered with an error. Keeps what Twilio said: its numeric `code` (as `twilioCode`,
 * since `code` is the sinkops error code), `message`, `more_info` and the HTTP status.
 */
export class TwilioApiError extends SinkopsError {
  readonly status: number;
  readonly twilioCode: number | null;
  readonly twilioMessage: string | null;
  readonly moreInfo: string | null;

  constructor(
    fields: { status: number; twilioCode: number | null; twilioMessage: string | null; moreInfo: string | null },
    options: { details?: readonly string[]; context?: string } = {},
  ) {
    const code = fields.twilioCode === null ? '' : ` ${fields.twilioCode}`;
    const what = fields.twilioMessage ?? (options.context ? `${options.context} failed` : 'request failed');
    const more = fields.moreInfo === null ? '' : ` — more info: ${fields.moreInfo}`;
    const hint = hintForTwilioCode(fields.twilioCode);
    super('TWILIO_API', `Twilio API error${code} (HTTP ${fields.status}): ${what}${more}`, {
      details: [...(fields.status === 401 ? [AUTH_HINT] : []), ...(hint === undefined ? [] : [hint]), ...(options.details ?? [])],
    });
    this.name = 'TwilioApiError';
    this.status = fields.status;
    this.twilioCode = fields.twilioCode;
    this.twilioMessage = fields.twilioMessage;
    this.moreInfo = fields.moreInfo;
  }
}

/**
 * Builds the error from a response body. A body that is not Twilio's JSON error shape (a proxy's
 * HTML page, say) is not quoted: only the status is reported, so nothing unexpected is echoed.
 */
export function twilioApiError(
  status: number,
  body: unknown,
  options: { details?: readonly string[]; context?: string; secrets?: readonly string[] } = {},
): TwilioApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as TwilioErrorBody;
  // A server that echoes the request (the Authorization header, the form) in its message would
  // have us print the credentials: such text is withheld whole; the code and status remain.
  const shown = (text: unknown): string | null =>
    typeof text !== 'string' || text === '' ? null : containsSecret(text, options.secrets ?? []) ? WITHHELD : text;
  return new TwilioApiError(
    {
      status,
      twilioCode: typeof b.code === 'number' && Number.isFinite(b.code) ? b.code : null,
      twilioMessage: shown(b.message),
      moreInfo: shown(b.more_info),
    },
    options,
  );
}
