/** What counts as a secret when it comes from Twilio, and how secrets are displayed (SPEC §2). */

export const SENSITIVE_DISPLAY = '(sensitive value)';

/** Keys whose remote values are secrets whatever the YAML says. */
export const SENSITIVE_CONFIG_KEYS: ReadonlySet<string> = new Set(['external_id', 'write_key']);
