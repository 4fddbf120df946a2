/**
 * `${NAME}` references in sink_configuration strings. `$${` is a literal `${`; nothing else is
 * special (`$HOME`, `$$`, a lone `$` stay as written). Apply uses the same function to resolve a
 * saved plan's templates from its own environment, so plan and apply agree on the syntax.
 */

export type EnvLookup = Readonly<Record<string, string | undefined>>;

export type Interpolation =
  | {
      readonly ok: true;
      /** The resolved string; `undefined` when a referenced variable is not set (unknown). */
      readonly value: string | undefined;
      /** Every variable referenced, in order of first use. */
      readonly envRefs: readonly string[];
      /** The referenced variables that are not set. */
      readonly missing: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * True when a variable counts as set. An empty value counts as unset: GitHub Actions expands a
 * secret that is not available (a fork's pull request) to the empty string, and no sink
 * setting is meaningfully empty.
 */
function isSet(v: string | undefined): v is string {
  return v !== undefined && v !== '';
}

export function interpolate(template: string, env: EnvLookup): Interpolation {
  const envRefs: string[] = [];
  const missing: string[] = [];
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    if (template.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (template[dollar + 1] !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = template.indexOf('}', dollar + 2);
    const name = close < 0 ? '' : template.slice(dollar + 2, close);
    if (!NAME.test(name)) {
      // The text between the braces is not echoed: it may be a secret pasted in by mistake.
      return {
        ok: false,
        message:
          close < 0
            ? "has an unclosed '${' (write '$${' for a literal '${')"
            : "has an invalid environment reference: '${' must be followed by a variable name (letters, digits, _) and '}' (write '$${' for a literal '${')",
      };
    }
    if (!envRefs.includes(name)) envRefs.push(name);
    const v = env[name];
    if (isSet(v)) out += v;
    else if (!missing.includes(name)) missing.push(name);
    i = close + 1;
  }
  return { ok: true, value: missing.length > 0 ? undefined : out, envRefs, missing };
}
