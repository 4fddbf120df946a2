import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * HTTP Basic credentials the emulator accepts: the account SID with its auth token, and an API key
 * SID with its secret. Comparison is constant-time on digests so neither length nor content leaks.
 */
export class Credentials {
  private readonly accepted: ReadonlyArray<{ user: Buffer; password: Buffer }>;

  constructor(pairs: ReadonlyArray<readonly [user: string, password: string]>) {
    this.accepted = pairs.map(([user, password]) => ({ user: digest(user), password: digest(password) }));
  }

  /** Whether an `Authorization` header carries accepted credentials. */
  check(header: string | undefined): boolean {
    if (header === undefined) return false;
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = digest(decoded.slice(0, colon));
    const password = digest(decoded.slice(colon + 1));
    let ok = false;
    for (const pair of this.accepted) {
      // Evaluate both comparisons for every pair: no early exit that timing could reveal.
      const match = timingSafeEqual(pair.user, user) && timingSafeEqual(pair.password, password);
      ok = ok || match;
    }
    return ok;
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
