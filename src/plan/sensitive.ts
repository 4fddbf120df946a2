/**
 * How configuration values are shown to a reviewer (SPEC §2, §4): in the text plan, the pull-request
 * comment and the `changes` of the plan JSON. Secrets never are; everything else that can be shown
 * safely is, so that a reviewer can see where events will go.
 */
import { interpolate } from '../desired/env.js';
import { SECRET_CONFIG_KEYS, type ConfigValue } from '../desired/model.js';

export const SENSITIVE_DISPLAY = '(sensitive value)';
/** Stands for each `${VAR}` of a template: `https://hooks.example/in?k=(sensitive)`. */
export const SENSITIVE_PART = '(sensitive)';
/** Stands for a remote configuration string: it may hold a secret that the repository no longer names. */
export const REMOTE_HIDDEN = '(remote value not shown)';

/** Hidden from plan files and hashes: a secret, or a value not known (its environment variable is unset). */
export function isHidden(value: ConfigValue): boolean {
  return value.sensitive || value.value === undefined;
}

/** The template with each `${VAR}` replaced by SENSITIVE_PART (and `$${` shown as the `${` it means). */
function maskTemplate(template: string): string | undefined {
  const refs = interpolate(template, {});
  if (!refs.ok) return undefined;
  const masked = interpolate(template, Object.fromEntries(refs.envRefs.map((name) => [name, SENSITIVE_PART])));
  return masked.ok ? masked.value : undefined;
}

/**
 * A desired value as shown: JSON text; a template with only its `${…}` parts hidden; the whole value
 * hidden for the secret keys (`external_id`, `write_key`) whatever they hold.
 */
export function displayDesired(key: string, value: ConfigValue): string {
  if (SECRET_CONFIG_KEYS.has(key)) return SENSITIVE_DISPLAY;
  const masked = value.template === undefined ? undefined : maskTemplate(value.template);
  if (masked !== undefined) return JSON.stringify(masked);
  if (isHidden(value)) return SENSITIVE_DISPLAY;
  return JSON.stringify(value.value) ?? 'null';
}

/** Remote values that cannot carry a secret: webhook methods, and booleans and numbers. */
const SHOWN_REMOTE_STRINGS: Readonly<Record<string, RegExp>> = { method: /^(GET|POST)$/i, batch_events: /^(true|false)$/i };

/**
 * A remote value as shown (the "before" of a change). sinkops keeps no state, so it cannot know
 * whether a remote string was once filled in from a `${…}` (a field that used a template and is now
 * a literal in the repository): every string is hidden but the few that cannot hold a secret.
 */
export function displayRemote(key: string, value: unknown): string {
  if (SECRET_CONFIG_KEYS.has(key)) return SENSITIVE_DISPLAY;
  if (typeof value === 'boolean' || typeof value === 'number' || value === null) return JSON.stringify(value);
  if (typeof value === 'string' && SHOWN_REMOTE_STRINGS[key]?.test(value) === true) return JSON.stringify(value);
  return REMOTE_HIDDEN;
}
