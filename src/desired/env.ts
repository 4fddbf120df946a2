/**
 * `${NAME}` references in sink_configuration strings. `$${` is a literal `${`; nothing else is
 * special (`$HOME`, `$$`, a lone `$` stay as written). Apply uses the same function to resolve a
 * saved plan's templates from its own environment, so plan and apply agree on the syntax.
 */

export type EnvLookup = Readonly<Record<string, string | undefined>>;

/**
 * Variables a sink configuration may never read: sinkops's own credentials and the CI runner's
 * (`TWILIO_AUTH_TOKEN`, `GITHUB_TOKEN`, `ACTIONS_RUNTIME_TOKEN`, …). A `${…}` value is sent to the
 * sink's destination, so a repository (or a Console user whose value `import` copied) that could
 * name them could make apply send them anywhere. Compared without regard to case.
 */
export const RESERVED_PREFIXES: readonly string[] = ['TWILIO_', 'GITHUB_', 'ACTIONS_', 'RUNNER_', 'SINKOPS_'];

export function isReservedVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return RESERVED_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

export type Interpolation<V = string> =
  | {
      readonly ok: true;
      /** The resolved value; `undefined` when a referenced variable is not set (unknown). */
      readonly value: V | undefined;
      /** Every variable referenced, in order of first use. */
      readonly envRefs: readonly string[];
      /** The referenced variables that are not set. */
      readonly missing: readonly string[];
    }
  | { readonly ok: false; readonly reserved: boolean; readonly message: string };

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
        reserved: false,
        message:
          close < 0
            ? "has an unclosed '${' (write '$${' for a literal '${')"
            : "has an invalid environment reference: '${' must be followed by a variable name (letters, digits, _) and '}' (write '$${' for a literal '${')",
      };
    }
    if (isReservedVariable(name)) {
      return {
        ok: false,
        reserved: true,
        message: `may not reference \${${name}}: variables starting with ${RESERVED_PREFIXES.join(', ')} hold sinkops's own credentials and are never sent to a sink`,
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

/**
 * A string written so that `interpolate` gives it back unchanged: every `${` becomes `$${`. `import`
 * writes every value read from Twilio this way, so a Console value can never become a template.
 */
export function literalTemplate(text: string): string {
  // A function, not a replacement string: in one, `$$` would mean a single `$`.
  return text.replaceAll('${', () => '$${');
}
