import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsSecret, scrubSecrets, WITHHELD } from '../src/secrets.js';
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
