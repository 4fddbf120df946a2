import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * HTTP Basic credentials the emulator accepts, each unlocking one account: an account SID with
 * its auth token unlocks that account, an API key SID with its secret the account the key belongs
 * to. Looked up by username in a Map, so a thousand accounts cost what one does. The password is
 * compared in constant time on digests, so neither its length nor its content leaks; an unknown
 * username is compared against a dummy digest, so it takes as long as a wrong password.
 */
export class Credentials {
  private readonly byUser = new Map<string, { readonly password: Buffer; readonly accountSid: string }>();
  private readonly dummy = digest('');

  /** Accepts `user`:`password` for `accountSid` (replacing what `user` was accepted with before). */
  set(user: string, password: string, accountSid: string): void {
    this.byUser.set(user, { password: digest(password), accountSid });
  }

  /** The account an `Authorization` header's credentials unlock, or undefined. */
  check(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const entry = this.byUser.get(decoded.slice(0, colon));
    const matches = timingSafeEqual(entry?.password ?? this.dummy, digest(decoded.slice(colon + 1)));
    return entry !== undefined && matches ? entry.accountSid : undefined;
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
