/** How secrets are shown (SPEC §2): which values are hidden, and the text that stands for them. */
import type { ConfigValue } from '../desired/model.js';

export const SENSITIVE_DISPLAY = '(sensitive value)';

/** Shown as SENSITIVE_DISPLAY: a secret, or a value not known (its environment variable is unset). */
export function isHidden(value: ConfigValue): boolean {
  return value.sensitive || value.value === undefined;
}
