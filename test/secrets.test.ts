import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsSecret, scrubSecrets, secretEncodings, SecretMatcher, WITHHELD } from '../src/secrets.js';
import { ECHOES } from './helpers/secret-encodings.js';

const SECRETS = ['s3cr3t-Token_value', 'with space & "quotes" <tags> / slashes?=+', 'ünïcödé-sécret', 'x'.repeat(40)];

describe('containsSecret and scrubSecrets', () => {
  it.each(ECHOES)('find and remove a secret echoed as %s', (_, encode) => {
    for (const secret of SECRETS) {
      const text = `Twilio could not create the sink: you sent ${encode(secret)} and that is wrong`;
      expect(containsSecret(text, [secret])).toBe(true);
      const scrubbed = scrubSecrets(text, [secret], '(sensitive value)');
      expect(containsSecret(scrubbed, [secret])).toBe(false);
      // Cut out where it can be; withheld whole where only a decoded reading shows it.
      expect(scrubbed === WITHHELD || (scrubbed.startsWith('Twilio could not create the sink: you sent ') && scrubbed.includes('(sensitive value)'))).toBe(true);
    }
  });

  it('leaves text without secrets alone, and ignores secrets too short to search for', () => {
    expect(containsSecret('Invalid destination URL (code 91000)', SECRETS)).toBe(false);
    expect(scrubSecrets('Invalid destination URL', SECRETS, 'X')).toBe('Invalid destination URL');
    expect(containsSecret('a b c', ['b'])).toBe(false);
  });

  it('never leaves a secret behind, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string(), fc.string(), fc.integer({ min: 0, max: ECHOES.length - 1 }), (secret, before, after, which) => {
        const [, encode] = ECHOES[which] ?? ECHOES[0]!;
        const scrubbed = scrubSecrets(`${before}${encode(secret)}${after}`, [secret], '\u0000');
        expect(scrubbed.toLowerCase().includes(encode(secret).toLowerCase())).toBe(false);
        expect(containsSecret(scrubbed, [secret])).toBe(false);
      }),
    );
  });
});

/**
 * The pattern is a prefix tree of every form (src/secrets.ts), so that a fleet's thousand tokens
 * scan fast. It must find exactly what one flat alternation of the forms, longest first, finds:
 * that simpler pattern is the oracle here.
 */
function flatScrub(text: string, secrets: readonly string[], replacement: string): string {
  const forms = [...new Set(secrets.filter((x) => x.length >= 4).flatMap(secretEncodings))];
  if (forms.length === 0) return text;
  const re = new RegExp(forms.sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
  return text.replace(re, () => replacement);
}

describe('the prefix-tree pattern', () => {
  it('replaces exactly what a flat, longest-first alternation of the forms replaces', () => {
    const alphabet = fc.constantFrom(...[...'aAbB0/+=%&<"\\-.é😀']);
    const word = fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(fc.oneof(word, fc.constant(' ')), { maxLength: 30 }), (base, noise) => {
        // Secrets that are prefixes of one another, and a text that holds some of them, in another case.
        const secrets = [...base, ...base.map((b) => `${b}${b}`)].filter((x) => x.length >= 4);
        const text = [...noise, ...secrets.slice(0, 3).map((x, i) => (i % 2 === 0 ? x.toUpperCase() : encodeURIComponent(x)))].join(' ');
        const matcher = new SecretMatcher(secrets);
        const expected = flatScrub(text, secrets, '(x)');
        expect(matcher.scrub(text, '(x)')).toBe(matcher.contains(expected) ? WITHHELD : expected);
      }),
      { numRuns: 300 },
    );
  });

  it('scrubs a thousand 32-hex tokens (a fleet) from a long text, and keeps the rest', () => {
    const tokens = Array.from({ length: 1000 }, (_, i) => (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(4));
    const text = Array.from({ length: 2000 }, (_, i) => (i % 100 === 0 ? `token ${tokens[i / 2]!.toUpperCase()} here` : `line ${i} with nothing`)).join('\n');
    const scrubbed = new SecretMatcher(tokens).scrub(text, '(sensitive value)');
    expect(scrubbed.match(/\(sensitive value\)/g)).toHaveLength(20);
    expect(scrubbed).toContain('line 1 with nothing');
  });

  it('takes a very long secret (a credentials file in a variable) without overflowing the stack', () => {
    const long = `{"private_key":"${'k'.repeat(200_000)}"}`;
    expect(scrubSecrets(`before ${long} after`, [long], '(x)')).toBe('before (x) after');
    // In another case and another encoding too (long forms are plain-text searches).
    expect(scrubSecrets(`a ${encodeURIComponent(long).toUpperCase()} b`, [long, 'short-secret'], '(x)')).toBe('a (x) b');
    expect(containsSecret(`x ${Buffer.from(long).toString('base64')}`, [long])).toBe(true);
  });
});
