/**
 * Stamping: a fleet's desired state (loaded with `accountRefs`) made into one subaccount's, with
 * `${account.sid}` and `${account.friendly_name}` filled in (SPEC §14). Pure, and it never parses
 * anything again: the references were split out when the files were loaded (account-refs.ts), so
 * text inserted here — a friendly name holding `${…}`, say — is never read as a reference.
 *
 * - A value gets the account's text as it is. A template (kept for apply to resolve `${NAME}`
 *   again from its own environment) gets it escaped (`${` → `$${`), so that apply's interpolation
 *   gives back exactly the inserted text.
 * - What the schema checked before the account was known is checked again on the result: a
 *   description must still be one line of plain text without an ownership marker (a friendly name
 *   is set by whoever administers the subaccount, not by this repository), a destination must
 *   still be an http(s) URL. A sink that fails is left out, with an error located where the text
 *   is written.
 */
import { isHttpUrl } from './build-sink.js';
import { joinAccountText } from './account-refs.js';
import { literalTemplate } from './env.js';
import type { AccountVar, ConfigValue, DesiredSink, DesiredState, DesiredSubscription, Diagnostic, SourceLocation } from './model.js';

/** What `${account.sid}` and `${account.friendly_name}` become for one account. */
export type StampVars = Readonly<Record<AccountVar, string>>;

/** schemas/sink.schema.json: a description's length, and a sink_configuration string's. */
const MAX_DESCRIPTION_LENGTH = 200;
const MAX_CONFIG_LENGTH = 2048;

/** Length as JSON Schema's maxLength counts it (ajv's ucs2length): in code points, an emoji is one. */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Why a stamped description breaks the rules schemas/sink.schema.json gives a description, or
 * undefined: the same rules, in the same order (test/desired/account-refs.test.ts checks that
 * the two agree).
 */
export function descriptionProblem(text: string): string | undefined {
  const length = codePoints(text);
  if (length === 0) return 'must not be empty';
  if (length > MAX_DESCRIPTION_LENGTH) return `must be at most ${MAX_DESCRIPTION_LENGTH} characters (it has ${length})`;
  if (/^\s+$/.test(text) || /[\u0000-\u001f\u007f]/.test(text)) return 'must be one line of text (no line breaks or control characters) and not only spaces';
  if (text.includes('[sinkops:')) return "must not contain '[sinkops:' (sinkops adds the ownership marker itself)";
  if (/<[A-Za-z!/?]/.test(text)) return 'must be plain text, not HTML (it is shown in the Twilio Console and in pull-request comments)';
  return undefined;
}

/** True when the state still holds account references: a fleet's, not yet stamped. */
export function hasAccountRefs(state: DesiredState): boolean {
  return state.sinks.some(
    (sink) =>
      sink.unstampedDescription !== undefined ||
      sink.subscriptions.some((sub) => sub.unstampedDescription !== undefined) ||
      Object.values(sink.sinkConfiguration).some((value) => value.unstamped !== undefined),
  );
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/** One sink, stamped; `report` gets each problem, and a sink with one is not returned. */
function stampSink(sink: DesiredSink, vars: StampVars, report: (source: SourceLocation, message: string) => void): DesiredSink | undefined {
  const stamped = `stamped for account ${vars.sid}`;
  let valid = true;
  const fail = (source: SourceLocation, message: string): void => {
    report(source, message);
    valid = false;
  };

  let description = sink.description;
  if (sink.unstampedDescription !== undefined) {
    description = joinAccountText(sink.unstampedDescription.parts, vars);
    const problem = descriptionProblem(description);
    if (problem !== undefined) fail(sink.unstampedDescription.source, `description, ${stamped}, ${problem}`);
  }

  const subscriptions = sink.subscriptions.map((sub): DesiredSubscription => {
    if (sub.unstampedDescription === undefined) return sub;
    const { unstampedDescription, ...rest } = sub;
    const text = joinAccountText(unstampedDescription.parts, vars);
    const problem = descriptionProblem(text);
    if (problem !== undefined) fail(unstampedDescription.source, `description of subscription '${sub.name}', ${stamped}, ${problem}`);
    return { ...rest, description: text };
  });

  const sinkConfiguration: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(sink.sinkConfiguration)) {
    if (value.unstamped === undefined) {
      sinkConfiguration[key] = value;
      continue;
    }
    const { unstamped, ...rest } = value;
    const text = unstamped.value === undefined ? undefined : joinAccountText(unstamped.value, vars);
    const template = unstamped.template === undefined ? undefined : joinAccountText(unstamped.template, vars, literalTemplate);
    sinkConfiguration[key] = { ...rest, value: text, ...(template === undefined ? {} : { template }) };
    if (text === undefined) continue;
    // A value is described, never repeated: it may hold a secret from the environment.
    const length = codePoints(text);
    if (length > MAX_CONFIG_LENGTH) fail(unstamped.source, `sink_configuration.${key}, ${stamped}, must be at most ${MAX_CONFIG_LENGTH} characters (it has ${length})`);
    else if (key === 'destination' && !isHttpUrl(text)) fail(unstamped.source, `sink_configuration.destination, ${stamped}, must be an absolute http:// or https:// URL`);
  }

  if (!valid) return undefined;
  const { unstampedDescription: _open, ...base } = sink;
  return { ...base, description, sinkConfiguration, subscriptions };
}

/**
 * The desired state of one fleet member: every account reference filled in from `vars`. Problems
 * in the result are ACCOUNT_REF errors added to the diagnostics (the sinks they are in are left
 * out), so a caller checks `hasErrors(result.diagnostics)` as it does after loading.
 */
export function stampAccount(state: DesiredState, vars: StampVars): DesiredState {
  if (!hasAccountRefs(state)) return state;
  const added: Diagnostic[] = [];
  const report = (source: SourceLocation, message: string): void => {
    added.push({ severity: 'error', code: 'ACCOUNT_REF', ...source, message });
  };
  const sinks: DesiredSink[] = [];
  for (const sink of state.sinks) {
    const stamped = stampSink(sink, vars, report);
    if (stamped !== undefined) sinks.push(stamped);
  }
  const diagnostics = added.length === 0 ? state.diagnostics : [...state.diagnostics, ...added].sort(compareDiagnostics);
  return { ...state, sinks, diagnostics };
}
