import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/io.js';
import { createLogger } from '../../src/log/logger.js';

function io(isTTY: boolean): { io: Io; err: () => string } {
  let err = '';
  return {
    io: {
      stdout: { write: () => true },
      stderr: { isTTY, write: (chunk: string) => (err += chunk) },
      stdin: Readable.from([]),
      env: { NO_COLOR: '1' },
      cwd: '/',
    },
    err: () => err,
  };
}

const HOSTILE = 'Twilio said \u001b[2J\u202eevil\u0085 and \u2028 more';
const RAW = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

describe('createLogger', () => {
  it('writes each line as valid JSON of the same value, with nothing raw a terminal would act on', async () => {
    const { io: ioJson, err } = io(false);
    (await createLogger(ioJson, 'info')).warn({ error: HOSTILE }, 'request failed');
    const lines = err().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(RAW.test(lines[0] ?? '')).toBe(false);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 40, msg: 'request failed', error: HOSTILE });
  });

  it('on a terminal, prints readable lines through io.stderr, escaped the same way', async () => {
    const { io: ioTty, err } = io(true);
    (await createLogger(ioTty, 'info')).warn({ error: HOSTILE }, 'request failed');
    expect(err()).toContain('WARN: request failed');
    expect(RAW.test(err().replace(/\n/g, ''))).toBe(false);
  });
});
