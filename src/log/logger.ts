import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';
import type { Io } from '../cli/io.js';

export type Logger = PinoLogger;

/**
 * Paths pino removes before a line is written. Authorization headers and credentials by name;
 * sensitive configuration values never reach the logger in the first place (they are passed as
 * `(sensitive value)`), and these paths are the second line of defence.
 */
export const REDACT_PATHS = [
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'authorization',
  'password',
  'authToken',
  'apiSecret',
  '*.authorization',
  '*.password',
  '*.authToken',
  '*.apiSecret',
  'sinkConfiguration.external_id',
  'sinkConfiguration.write_key',
  'sink_configuration.external_id',
  'sink_configuration.write_key',
  '*.sinkConfiguration.external_id',
  '*.sinkConfiguration.write_key',
  '*.sink_configuration.external_id',
  '*.sink_configuration.write_key',
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

/**
 * JSON logs to stderr (human output owns stdout). On a terminal the lines are made readable with
 * pino-pretty, synchronously, so that log lines and output interleave in order.
 */
export async function createLogger(io: Io, level: LevelWithSilent): Promise<Logger> {
  const options = { level, base: null, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  const stream = { write: (line: string) => void io.stderr.write(line) };
  if (io.stderr.isTTY === true && level !== 'silent') {
    const { default: pretty } = await import('pino-pretty');
    const colorize = io.env['NO_COLOR'] === undefined || io.env['NO_COLOR'] === '';
    return pino(options, pretty({ destination: 2, sync: true, colorize, ignore: 'time' }));
  }
  return pino(options, stream);
}
