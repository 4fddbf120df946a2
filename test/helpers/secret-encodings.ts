/**
 * How a server (or anything else) could echo a secret back: the encodings a secrets test looks for,
 * written independently of src/secrets.ts so that the tests do not grade its own list.
 */
export const ECHOES: readonly [string, (s: string) => string][] = [
  ['raw', (s) => s],
  ['url component', (s) => encodeURIComponent(s)],
  ['url component, upper-case hex', (s) => encodeURIComponent(s).replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase())],
  ['url component, lower-case hex', (s) => encodeURIComponent(s).replace(/%[0-9a-f]{2}/gi, (m) => m.toLowerCase())],
  ['form body', (s) => new URLSearchParams({ SinkConfiguration: s }).toString().split('=')[1] ?? ''],
  ['double url', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['json string', (s) => JSON.stringify(s).slice(1, -1)],
  ['json inside json', (s) => JSON.stringify(JSON.stringify({ k: s }))],
  ['html', (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')],
  ['base64', (s) => Buffer.from(s).toString('base64')],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
  ['hex', (s) => Buffer.from(s).toString('hex')],
  ['HEX', (s) => Buffer.from(s).toString('hex').toUpperCase()],
];


/** Every encoding of every secret found in any of `texts`, as `label: encoding of secret`. */
export function leaks(texts: Readonly<Record<string, string>>, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const [encoding, encode] of ECHOES) {
      const needle = encode(secret).toLowerCase();
      for (const [label, text] of Object.entries(texts)) {
        if (text.toLowerCase().includes(needle)) found.push(`${label}: ${encoding} of ${JSON.stringify(secret)}`);
      }
    }
  }
  return found;
}
