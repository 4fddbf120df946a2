/**
 * `${account.sid}` and `${account.friendly_name}` in a fleet's sinks (SPEC §14): found when the
 * files are loaded, kept open, and filled in for each subaccount by stampAccount (stamp.ts).
 *
 * Where they may appear, and what else is special there:
 * - sink_configuration strings already speak the `${NAME}` syntax of env.ts, with `$${` a literal
 *   `${`; account references are one more kind of `${…}` in it, split out before the environment
 *   references are resolved, so each run between them is an ordinary env.ts template.
 * - descriptions (of sinks and subscriptions) have never had `${NAME}`: only `${account.…}` is
 *   special there, and `$${account.` writes a literal `${account.`. Every other `$` stays as written.
 */
import { didYouMean } from './did-you-mean.js';
import { interpolate, type EnvLookup, type Interpolation } from './env.js';
import { ACCOUNT_VARS, type AccountText, type AccountVar } from './model.js';

const OPEN = '${account.';
const ESCAPED_OPEN = '$${account.';

export type AccountScan =
  | { readonly ok: true; readonly parts: AccountText; readonly refs: readonly AccountVar[] }
  | { readonly ok: false; readonly message: string };

function isAccountVar(name: string): name is AccountVar {
  return (ACCOUNT_VARS as readonly string[]).includes(name);
}

/**
 * The account reference opening at `at` (where `${account.` starts): its variable and where the
 * text after it resumes, or the message for one that is not a reference. The text between the
 * braces is never echoed (it could be a secret pasted in by mistake); a close one is suggested.
 */
function readReference(text: string, at: number): { readonly name: AccountVar; readonly end: number } | { readonly message: string } {
  const close = text.indexOf('}', at + OPEN.length);
  if (close < 0) return { message: "has an unclosed '${account.' (write '$${account.' for the literal text)" };
  const name = text.slice(at + OPEN.length, close);
  if (isAccountVar(name)) return { name, end: close + 1 };
  const known = ACCOUNT_VARS.map((v) => `\${account.${v}}`).join(' and ');
  const suggestion = didYouMean(name, ACCOUNT_VARS);
  const hint = suggestion === undefined ? '' : `; did you mean '\${account.${suggestion}}'?`;
  return { message: `has an unknown account reference: only ${known} exist${hint}` };
}

/**
 * A sink_configuration string split at its account references. The runs between them are still
 * env.ts templates (`${NAME}`, `$${`), to be resolved one by one; `$${account.sid}` is a literal
 * and stays inside its run, where interpolate makes it `${account.sid}`.
 */
export function splitConfigText(raw: string): AccountScan {
  const parts: (string | { account: AccountVar })[] = [];
  const refs: AccountVar[] = [];
  let runStart = 0;
  let i = 0;
  while (i < raw.length) {
    const dollar = raw.indexOf('$', i);
    if (dollar < 0) break;
    if (raw.startsWith('$${', dollar)) {
      i = dollar + 3;
      continue;
    }
    if (!raw.startsWith(OPEN, dollar)) {
      i = dollar + 1;
      continue;
    }
    const ref = readReference(raw, dollar);
    if ('message' in ref) return { ok: false, message: ref.message };
    if (dollar > runStart) parts.push(raw.slice(runStart, dollar));
    parts.push({ account: ref.name });
    if (!refs.includes(ref.name)) refs.push(ref.name);
    i = runStart = ref.end;
  }
  if (runStart < raw.length) parts.push(raw.slice(runStart));
  return { ok: true, parts, refs };
}

/**
 * A description read for account references: its runs are final text, with `$${account.`
 * already turned into the literal `${account.`. A description without references reads as one run.
 */
export function readDescription(raw: string): AccountScan {
  const parts: (string | { account: AccountVar })[] = [];
  const refs: AccountVar[] = [];
  let run = '';
  let i = 0;
  while (i < raw.length) {
    const dollar = raw.indexOf('$', i);
    if (dollar < 0) break;
    run += raw.slice(i, dollar);
    if (raw.startsWith(ESCAPED_OPEN, dollar)) {
      run += OPEN;
      i = dollar + ESCAPED_OPEN.length;
      continue;
    }
    if (!raw.startsWith(OPEN, dollar)) {
      run += '$';
      i = dollar + 1;
      continue;
    }
    const ref = readReference(raw, dollar);
    if ('message' in ref) return { ok: false, message: ref.message };
    if (run !== '') parts.push(run);
    run = '';
    parts.push({ account: ref.name });
    if (!refs.includes(ref.name)) refs.push(ref.name);
    i = ref.end;
  }
  run += raw.slice(i);
  if (run !== '' || parts.length === 0) parts.push(run);
  return { ok: true, parts, refs };
}

/** The message for references found where no account is known (a named account's, or a plain repository's, sinks). */
export function outsideFleetMessage(refs: readonly AccountVar[]): string {
  const first = refs[0] ?? 'sid';
  return `uses \${account.${first}}, which is only available in a fleet's sinks (sinkops.yaml fleets); write $\${account.${first}} for the literal text`;
}

/** An interpolation whose value keeps its account references: the runs between them resolved. */
export type OpenInterpolation = Interpolation<AccountText>;

/** Resolves the `${NAME}` references of each run of a split sink_configuration string (see splitConfigText). */
export function interpolateRuns(parts: AccountText, env: EnvLookup): OpenInterpolation {
  const envRefs: string[] = [];
  const missing: string[] = [];
  const value: (string | { account: AccountVar })[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') {
      value.push(part);
      continue;
    }
    const result = interpolate(part, env);
    if (!result.ok) return result;
    for (const name of result.envRefs) if (!envRefs.includes(name)) envRefs.push(name);
    for (const name of result.missing) if (!missing.includes(name)) missing.push(name);
    if (result.value !== undefined) value.push(result.value);
  }
  return { ok: true, value: missing.length > 0 ? undefined : value, envRefs, missing };
}

/**
 * The text for one account: each reference replaced by `insert(value)` (the value as it is, or
 * escaped for a template). Built in one pass, so nothing inserted is ever read as a reference.
 */
export function joinAccountText(parts: AccountText, vars: Readonly<Record<AccountVar, string>>, insert: (value: string) => string = (v) => v): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : insert(vars[part.account]);
  return out;
}
