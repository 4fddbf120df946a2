import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/**
 * Sink configurations hold secrets (`external_id`, `write_key`, values resolved from `${ENV}`),
 * and so do the auth tokens of the accounts besides the main one; sinkops never writes those to a
 * file in clear. The state file therefore stores each of them sealed with AES-256-GCM under a key
 * derived (scrypt) from the main account's auth token: whoever holds that token can read the
 * file, and no one else can.
 */
export class Sealer {
  private constructor(
    private readonly key: Buffer,
    readonly salt: Buffer,
  ) {}

  static async derive(secret: string, salt: Buffer = randomBytes(16)): Promise<Sealer> {
    const key = await new Promise<Buffer>((resolve, reject) => {
      scrypt(secret, salt, 32, (err, derived) => (err ? reject(err) : resolve(derived)));
    });
    return new Sealer(key, salt);
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws when the text was sealed under another key or altered. */
  open(text: string): unknown {
    const raw = Buffer.from(text, 'base64');
    if (raw.length < 28) throw new Error('sealed value too short');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  }
}
