import { Readable } from 'node:stream';
import { pino } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../../src/io.js';
import { createLogger, REDACT_PATHS, type Logger } from '../../src/log/logger.js';
import { terminalSafe } from '../../src/terminal-safe.js';

/** Every call of src/log/load-pino.ts, the one way the logger reaches pino. */
const loads = vi.hoisted(() => ({ pino: 0, pretty: 0 }));
vi.mock('../../src/log/load-pino.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/log/load-pino.js')>();
  return {
    loadPino: () => {
      loads.pino += 1;
      return real.loadPino();
    },
    loadPinoPretty: () => {
      loads.pretty += 1;
      return real.loadPinoPretty();
    },
  };
});

beforeEach(() => {
  loads.pino = 0;
  loads.pretty = 0;
});

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

/**
 * The logger as createLogger built it before it deferred loading pino: created at once, the same
 * options, the same writers. The deferred one must write exactly what this one writes.
 */
function eagerReference(target: Io, level: 'info' | 'warn'): Logger {
  const options = { level, base: null, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } };
  if (target.stderr.isTTY === true) {
    const pretty = prettyFactory({ colorize: false, ignore: 'time' });
    const safe = (value: unknown): unknown =>
      typeof value === 'string'
        ? terminalSafe(value)
        : Array.isArray(value)
          ? value.map(safe)
          : value !== null && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [terminalSafe(k), safe(v)]))
            : value;
    return pino(options, { write: (line: string) => void target.stderr.write(pretty(JSON.stringify(safe(JSON.parse(line))))) });
  }
  return pino(options, { write: (line: string) => void target.stderr.write(`${terminalSafe(line.trimEnd())}\n`) });
}

/** Log calls mixed with other writes to stderr, secrets and hostile text included. */
function script(logger: Logger, target: Io): void {
  target.stderr.write('before\n');
  logger.debug({ authToken: 'debug-token' }, 'below the level');
  logger.warn(
    {
      authToken: 'token-1',
      headers: { authorization: 'Basic c2VjcmV0' },
      sinkConfiguration: { write_key: 'write-key-1', destination: 'https://example.org' },
      nested: { password: 'password-1' },
      error: HOSTILE,
    },
    'first line',
  );
  target.stderr.write('between\n');
  logger.info('no object');
  logger.error({ request: { headers: { authorization: 'Bearer x' } }, SinkConfiguration: '{"write_key":"k"}' }, 'request failed %s', 'twice');
  logger.child({ sink: 'orders' }).warn({ apiSecret: 'api-secret-1' }, 'from a child');
  logger.trace('never');
  target.stderr.write('after\n');
}

/** pino's `time` is the clock when the line was made: the one field two loggers cannot share. */
const withoutTime = (text: string) => text.replace(/"time":\d+,/g, '');

describe('createLogger', () => {
  it('writes each line as valid JSON of the same value, with nothing raw a terminal would act on', () => {
    const { io: ioJson, err } = io(false);
    createLogger(ioJson, 'info').warn({ error: HOSTILE }, 'request failed');
    const lines = err().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(RAW.test(lines[0] ?? '')).toBe(false);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 40, msg: 'request failed', error: HOSTILE });
  });

  it('on a terminal, prints readable lines through io.stderr, escaped the same way', () => {
    const { io: ioTty, err } = io(true);
    createLogger(ioTty, 'info').warn({ error: HOSTILE }, 'request failed');
    expect(err()).toContain('WARN: request failed');
    expect(RAW.test(err().replace(/\n/g, ''))).toBe(false);
  });

  it('does not load pino (nor pino-pretty) while nothing reaches its level, and loads it once at the first line', () => {
    const { io: ioTty, err } = io(true);
    const logger = createLogger(ioTty, 'warn');
    logger.info({ authToken: 'x' }, 'below');
    logger.debug('below');
    logger.trace('below');
    const child = logger.child({ sink: 'orders' });
    child.info('below');
    expect(logger.level).toBe('warn');
    expect([logger.isLevelEnabled('warn'), logger.isLevelEnabled('error'), logger.isLevelEnabled('info'), logger.isLevelEnabled('silent')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(loads).toEqual({ pino: 0, pretty: 0 });
    expect(err()).toBe('');

    logger.warn('the first line');
    expect(loads).toEqual({ pino: 1, pretty: 1 });
    expect(err()).toContain('WARN: the first line');
    logger.error('another');
    child.warn('from the child');
    expect(loads).toEqual({ pino: 1, pretty: 1 });
    expect(err()).toMatch(/WARN: the first line\n[\s\S]*ERROR: another\n[\s\S]*WARN: from the child\n/);
  });

  it('at silent, never loads pino', () => {
    const { io: ioJson, err } = io(false);
    const logger = createLogger(ioJson, 'silent');
    logger.fatal('no');
    logger.error({ password: 'p' }, 'no');
    logger.child({ a: 1 }).fatal('no');
    expect(logger.isLevelEnabled('fatal')).toBe(false);
    expect(loads.pino).toBe(0);
    expect(err()).toBe('');
  });

  for (const tty of [false, true]) {
    it(`writes what the eager pino logger wrote, in order and redacted the same way (${tty ? 'terminal' : 'JSON'})`, () => {
      const deferred = io(tty);
      script(createLogger(deferred.io, 'info'), deferred.io);
      const eager = io(tty);
      script(eagerReference(eager.io, 'info'), eager.io);

      expect(withoutTime(deferred.err())).toBe(withoutTime(eager.err()));
      const out = deferred.err();
      expect(out.startsWith('before\n')).toBe(true);
      expect(out.indexOf('first line')).toBeLessThan(out.indexOf('between\n'));
      expect(out.indexOf('between\n')).toBeLessThan(out.indexOf('no object'));
      expect(out.endsWith('after\n')).toBe(true);
      for (const secret of ['token-1', 'c2VjcmV0', 'write-key-1', 'password-1', 'Bearer x', 'api-secret-1', 'debug-token', '"write_key":"k"']) {
        expect(out).not.toContain(secret);
      }
      expect(out).toContain('[redacted]');
      expect(out).not.toContain('below the level');
      expect(out).not.toContain('never');
    });
  }
});
