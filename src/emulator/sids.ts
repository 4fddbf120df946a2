import { randomBytes } from 'node:crypto';

export const SINK_SID_PATTERN = /^DG[0-9a-fA-F]{32}$/;
export const SUBSCRIPTION_SID_PATTERN = /^DF[0-9a-fA-F]{32}$/;

/** A Twilio-shaped SID: two letters and 32 lowercase hexadecimal digits. */
export function newSid(prefix: 'DG' | 'DF'): string {
  return prefix + randomBytes(16).toString('hex');
}

/**
 * A test event id. Twilio documents it as a 34-character string; the emulator uses the same
 * shape with its own prefix so it cannot be mistaken for a resource SID.
 */
export function newTestId(): string {
  return 'TE' + randomBytes(16).toString('hex');
}

/** ISO 8601 in UTC without milliseconds, as Twilio writes `date_created`. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
