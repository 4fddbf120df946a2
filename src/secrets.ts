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

/** A prefix tree of the forms: each key one character (ASCII lower-cased: matching ignores case). */
interface TrieNode {
  readonly children: Map<string, TrieNode>;
  /** A form ends here. */
  end: boolean;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/**
 * The trie as a regular expression: the alternatives at each node share their prefix, so the
 * engine tries each form's characters once per position instead of once per form — one flat
 * alternation of 4,000 forms (a fleet's thousand tokens) took seconds to scan a plan; this takes
 * milliseconds. Where a form ends and longer ones go on, the rest is an optional group: greedy, so
 * the longest form still wins, as the longest-first alternation did.
 */
function trieSource(node: TrieNode): string {
  const branches = [...node.children].map(([c, child]) => escapeChar(c) + chainSource(child));
  if (branches.length === 0) return '';
  const group = branches.length === 1 ? (branches[0] ?? '') : `(?:${branches.join('|')})`;
  return node.end ? `(?:${group})?` : group;
}

/**
 * A run of nodes with one child each, written out in a loop: recursion happens only where forms
 * part, so a very long secret (a credentials file in a variable) cannot overflow the stack.
 */
function chainSource(start: TrieNode): string {
  let text = '';
  let node = start;
  while (!node.end && node.children.size === 1) {
    const [c, child] = node.children.entries().next().value as [string, TrieNode];
    text += escapeChar(c);
    node = child;
  }
  return text + trieSource(node);
}

/**
 * Forms longer than this are not put in the pattern: V8's regular-expression compiler overflows its
 * stack on a literal of about 20,000 characters, and a credentials file in a variable (whose name
 * says SECRET) can reach that. They are searched for as plain text instead (`LongForms`).
 */
const MAX_PATTERN_FORM = 4096;

/** ASCII letters lower-cased, nothing else: the same length, so positions carry over. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/** The forms of every secret: short ones as one pattern source, long ones as lower-cased text. */
function compileForms(secrets: Iterable<string>): { source: string | undefined; long: string[] } {
  const root: TrieNode = { children: new Map(), end: false };
  const long = new Set<string>();
  let forms = 0;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretEncodings(secret)) {
      if (form.length > MAX_PATTERN_FORM) {
        long.add(asciiLower(form));
        continue;
      }
      let node = root;
      for (const c of form) {
        const key = c.charCodeAt(0) < 0x80 ? c.toLowerCase() : c;
        let next = node.children.get(key);
        if (next === undefined) {
          next = { children: new Map(), end: false };
          node.children.set(key, next);
        }
        node = next;
      }
      node.end = true;
      forms += 1;
    }
  }
  // Longest first, so that a long form holding another is replaced whole.
  return { source: forms === 0 ? undefined : trieSource(root), long: [...long].sort((a, b) => b.length - a.length) };
}

/** Every occurrence of the long forms (ASCII case ignored) replaced by `replacement`. */
function replaceLong(text: string, long: readonly string[], replacement: string): string {
  let out = text;
  for (const form of long) {
    let at = asciiLower(out).indexOf(form);
    while (at >= 0) {
      out = out.slice(0, at) + replacement + out.slice(at + form.length);
      at = asciiLower(out).indexOf(form, at + replacement.length);
    }
  }
  return out;
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
  /** Global, for replacing every occurrence. */
  private readonly all: RegExp | undefined;
  /** The same pattern, not global: `test` keeps no position between calls. */
  private readonly any: RegExp | undefined;
  /** Forms too long for the pattern, lower-cased (see MAX_PATTERN_FORM). */
  private readonly long: readonly string[];

  constructor(secrets: Iterable<string>) {
    const { source, long } = compileForms(secrets);
    this.all = source === undefined ? undefined : new RegExp(source, 'giu');
    this.any = source === undefined ? undefined : new RegExp(source, 'iu');
    this.long = long;
  }

  /** Whether `text` holds any secret in any of its encodings. */
  contains(text: string): boolean {
    const found = (t: string): boolean => this.any?.test(t) === true || (this.long.length > 0 && this.long.some((form) => asciiLower(t).includes(form)));
    return found(text) || (text.includes('&') && found(htmlDecoded(text)));
  }

  /**
   * `text` with every encoding of every secret replaced by `replacement`; if a secret can still be
   * read from what remains (a mixed encoding), the whole text is withheld.
   */
  scrub(text: string, replacement: string): string {
    if (this.all === undefined && this.long.length === 0) return text;
    const short = this.all === undefined ? text : text.replace(this.all, () => replacement);
    const scrubbed = this.long.length === 0 ? short : replaceLong(short, this.long, replacement);
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
