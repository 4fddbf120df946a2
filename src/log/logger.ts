import type { Bindings, LevelWithSilent, LogFn } from 'pino';
import { SECRET_CONFIG_KEYS } from '../desired/model.js';
import type { Io } from '../io.js';
import { terminalSafe } from '../terminal-safe.js';
import { loadPino, loadPinoPretty } from './load-pino.js';

/**
 * What sinkops logs through: pino's level methods, its level and `child`. A pino logger is one (tests
 * and library users pass their own); `createLogger`'s is one that loads pino only when it first
 * writes a line.
 */
export interface Logger {
  readonly level: string;
  readonly fatal: LogFn;
  readonly error: LogFn;
  readonly warn: LogFn;
  readonly info: LogFn;
  readonly debug: LogFn;
  readonly trace: LogFn;
  isLevelEnabled(level: string): boolean;
  child(bindings: Bindings): Logger;
}

const quiet: LogFn = () => undefined;

/** Logs nothing, and loads nothing: a client's logger when its caller gives none. */
export const SILENT_LOGGER: Logger = {
  level: 'silent',
  fatal: quiet,
  error: quiet,
  warn: quiet,
  info: quiet,
  debug: quiet,
  trace: quiet,
  isLevelEnabled: () => false,
  child: () => SILENT_LOGGER,
};

/** Credentials by name, wherever they appear in a logged object. */
const CREDENTIAL_KEYS = ['authorization', 'password', 'authToken', 'apiSecret'] as const;

/**
 * Paths pino removes before a line is written: authorization headers, credentials by name, and the
 * secret configuration keys (SECRET_CONFIG_KEYS, the one list) under either spelling of the
 * configuration. Sensitive configuration values never reach the logger in the first place (they are
 * passed as `(sensitive value)`); these paths are the second line of defence.
 */
export const REDACT_PATHS: readonly string[] = [
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  ...CREDENTIAL_KEYS.flatMap((key) => [key, `*.${key}`]),
  ...['sinkConfiguration', 'sink_configuration'].flatMap((config) =>
    [...SECRET_CONFIG_KEYS].flatMap((key) => [`${config}.${key}`, `*.${config}.${key}`]),
  ),
  // The form field of a create request holds the whole configuration as JSON text.
  'SinkConfiguration',
  '*.SinkConfiguration',
];

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function resolveLevel(flagValue: string | undefined, env: Io['env']): LevelWithSilent {
  const level = (flagValue ?? env['LOG_LEVEL'] ?? 'warn').toLowerCase();
  return (LEVELS.includes(level) ? level : 'warn') as LevelWithSilent;
}

export function isValidLevel(level: string): boolean {
  return LEVELS.includes(level.toLowerCase());
}

/** One JSON log line, terminal-safe, still one line of valid JSON. */
function safeLine(line: string): string {
  return `${terminalSafe(line.trimEnd())}\n`;
}

/** Every string inside a log record, terminal-safe. */
function safeValues(value: unknown): unknown {
  if (typeof value === 'string') return terminalSafe(value);
  if (Array.isArray(value)) return value.map(safeValues);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [terminalSafe(k), safeValues(v)]));
  }
  return value;
}

/** pino's numbers for its levels; `silent` is above them all. */
const LEVEL_VALUES = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type LevelName = keyof typeof LEVEL_VALUES;

function levelValue(level: string): number | undefined {
  return Object.hasOwn(LEVEL_VALUES, level) ? LEVEL_VALUES[level as LevelName] : undefined;
}

const disabled: LogFn = () => undefined;

/**
 * A Logger at `level` whose lines go to the pino logger `real()` returns, created on the first line
 * that is written, never before: a call below the level returns at once, and `real` is not called.
 */
function deferred(level: LevelWithSilent, real: () => Logger): Logger {
  const threshold = levelValue(level) ?? Number.POSITIVE_INFINITY;
  let created: Logger | undefined;
  const target = (): Logger => (created ??= real());
  const method = (name: LevelName): LogFn => {
    if (LEVEL_VALUES[name] < threshold) return disabled;
    return function log(...args: unknown[]) {
      const logger = target();
      (logger[name] as (...a: unknown[]) => void).apply(logger, args);
    } as LogFn;
  };
  return {
    level,
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    isLevelEnabled: (name) => (levelValue(name) ?? Number.NEGATIVE_INFINITY) >= threshold,
    child: (bindings) => deferred(level, () => target().child(bindings)),
  };
}

/**
 * JSON logs to stderr (human output owns stdout). On a terminal the lines are made readable with
 * pino-pretty, synchronously, so that log lines and output interleave in order. Every line goes
 * through `io.stderr`, so whatever guards that stream (the CLI scrubs secrets there) guards logs too,
 * and is made terminal-safe first: JSON leaves bidi and C1 characters raw, and its escapes are
 * JSON's own, so a line stays valid JSON of the same value.
 *
 * pino (and pino-pretty) are loaded, synchronously, when the first line at or above `level` is
 * written, not before: most runs log nothing, and loading pino is a good part of a short command's
 * start-up (SPEC §10 "Start-up"). The line is written by then, in order, exactly as if pino had been
 * there from the start.
 */
export function createLogger(io: Io, level: LevelWithSilent): Logger {
  return deferred(level, () => {
    const { pino } = loadPino();
    const options = { level, base: null, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } };
    if (io.stderr.isTTY === true && level !== 'silent') {
      const { prettyFactory } = loadPinoPretty();
      const colorize = io.env['NO_COLOR'] === undefined || io.env['NO_COLOR'] === '';
      const pretty = prettyFactory({ colorize, ignore: 'time' });
      // Formatted here and written through io.stderr like every other line, never to the fd itself.
      // pino-pretty decodes the JSON and prints its strings raw, so they are escaped inside first.
      return pino(options, { write: (line: string) => void io.stderr.write(pretty(JSON.stringify(safeValues(JSON.parse(line))))) });
    }
    return pino(options, { write: (line: string) => void io.stderr.write(safeLine(line)) });
  });
}
