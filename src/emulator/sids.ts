import { randomBytes } from 'node:crypto';

export const SINK_SID_PATTERN = /^DG[0-9a-fA-F]{32}$/;
export const SUBSCRIPTION_SID_PATTERN = /^DF[0-9a-fA-F]{32}$/;
/** An auth token as Twilio issues them: 32 hexadecimal digits. */
export const AUTH_TOKEN_PATTERN = /^[0-9a-fA-F]{32}$/;

/** A Twilio-shaped SID: two letters and 32 lowercase hexadecimal digits. */
export function newSid(prefix: 'DG' | 'DF' | 'AC'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** A new account's auth token, shaped like Twilio's (AUTH_TOKEN_PATTERN). */
export function newAuthToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * A test event id. Twilio documents it as a 34-character string; the emulator uses the same
 * shape with its own prefix so it cannot be mistaken for a resource SID.
 */
export function newTestId(): string {
  return 'TE' + randomBytes(16).toString('hex');
}

/** ISO 8601 in UTC without milliseconds, as Twilio's v1 APIs write `date_created`. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * An ISO 8601 date as Twilio's 2010 API writes dates (RFC 2822: `Thu, 30 Jul 2015 20:00:00 +0000`),
 * which the twilio library parses back with its `rfc2822DateTime`.
 */
export function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace(/GMT$/, '+0000');
}
