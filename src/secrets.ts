/**
 * Finding secrets in text that came back from an API. A hostile or careless server can echo a
 * request in its error message, in any encoding: the form body URL-encoded, the configuration
 * JSON-escaped, the Authorization header base64. Text from outside passes through here before it is
 * stored in a result, logged or rendered.
 */

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 4;

function jsonEscaped(secret: string, asciiOnly: boolean): string {
  const json = JSON.stringify(secret).slice(1, -1);
  return asciiOnly ? json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

function htmlEscaped(secret: string): string {
  return secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The forms a secret can take in an echoed request or a server's message: as is, URL-encoded (as a
 * path, a query or a form body, once or twice), JSON-escaped (with and without `\u` escapes),
 * HTML-escaped, base64 (standard and URL-safe) and hex. Matching ignores case, so percent-encoding
 * and hex in either case are covered.
 */
export function secretEncodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURI(secret),
    encodeURIComponent(encodeURIComponent(secret)),
    new URLSearchParams({ s: secret }).toString().slice(2),
    jsonEscaped(secret, false),
    jsonEscaped(secret, true),
    jsonEscaped(jsonEscaped(secret, false), false),
    htmlEscaped(secret),
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
  ];
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** One case-insensitive pattern for every encoding of every secret, longest first; undefined when none. */
function pattern(secrets: Iterable<string>): RegExp | undefined {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretEncodings(secret)) forms.add(form);
  }
  if (forms.size === 0) return undefined;
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(alternatives.join('|'), 'giu');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** HTML character references decoded: HTML escapes differ in which characters they touch. */
function htmlDecoded(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16) % 0x110000);
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10) % 0x110000);
    return ENTITIES[lower] ?? whole;
  });
}

/** What stands for a text that still held a secret in a form that could not be cut out. */
export const WITHHELD = '(text withheld: it repeated a secret)';

/** Every encoding of a fixed set of secrets, compiled once, to search and scrub many texts with. */
export class SecretMatcher {
  private readonly re: RegExp | undefined;

  constructor(secrets: Iterable<string>) {
    this.re = pattern(secrets);
  }

  /** Whether `text` holds any secret in any of its encodings. */
  contains(text: string): boolean {
    if (this.re === undefined) return false;
    // Fresh copies: a global RegExp keeps its lastIndex between calls.
    return new RegExp(this.re).test(text) || new RegExp(this.re).test(htmlDecoded(text));
  }

  /**
   * `text` with every encoding of every secret replaced by `replacement`; if a secret can still be
   * read from what remains (a mixed encoding), the whole text is withheld.
   */
  scrub(text: string, replacement: string): string {
    if (this.re === undefined) return text;
    const scrubbed = text.replace(this.re, () => replacement);
    return this.contains(scrubbed) ? WITHHELD : scrubbed;
  }
}

export function containsSecret(text: string, secrets: Iterable<string>): boolean {
  return new SecretMatcher(secrets).contains(text);
}

export function scrubSecrets(text: string, secrets: Iterable<string>, replacement: string): string {
  return new SecretMatcher(secrets).scrub(text, replacement);
}

/** Environment variables whose values are credentials, by their names. */
const CREDENTIAL_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|CREDENTIAL/i;

/** HTTP Basic pairs a client builds from the environment: their base64 is an Authorization header. */
const BASIC_PAIRS: readonly (readonly [string, string])[] = [
  ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  ['TWILIO_API_KEY', 'TWILIO_API_SECRET'],
];

/** The credentials a process holds: values of variables named like one, and the Basic pairs built from them. */
export function credentialsIn(env: Readonly<Record<string, string | undefined>>): string[] {
  const found = Object.entries(env).flatMap(([name, value]) => (CREDENTIAL_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH ? [value] : []));
  for (const [user, password] of BASIC_PAIRS) {
    const u = env[user];
    const p = env[password];
    if (u !== undefined && p !== undefined && p !== '') found.push(`${u}:${p}`);
  }
  return found;
}

/** What a scrubbing stream writes to: the shape of the CLI's stdout and stderr. */
export interface TextStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * `stream`, with every encoding of every secret in `secrets` replaced on the way out: the CLI's last
 * line of defence, behind stdout, stderr and the logs. `secrets` may grow while it is in use (the
 * configuration's sensitive values are known once it is loaded).
 */
export function scrubbingStream(stream: TextStream, secrets: ReadonlySet<string>, replacement: string): TextStream {
  // Compiled again only when the set has grown (it only ever grows).
  let matcher = new SecretMatcher(secrets);
  let size = secrets.size;
  return {
    ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }),
    write: (chunk: string) => {
      if (secrets.size !== size) {
        matcher = new SecretMatcher(secrets);
        size = secrets.size;
      }
      return stream.write(typeof chunk === 'string' ? matcher.scrub(chunk, replacement) : chunk);
    },
  };
}
