import { SinkopsError } from '../errors.js';
import { containsSecret, WITHHELD } from '../secrets.js';

/** Shown with a 401: which variables hold the credentials (never their values). */
const AUTH_HINT =
  'Check the credentials in TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET).';

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
    super('TWILIO_API', `Twilio API error${code} (HTTP ${fields.status}): ${what}${more}`, {
      details: [...(fields.status === 401 ? [AUTH_HINT] : []), ...(options.details ?? [])],
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
