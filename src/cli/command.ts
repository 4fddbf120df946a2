import type { ParseArgsConfig } from 'node:util';
import { SinkopsError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Io } from '../io.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  readonly io: Io;
  readonly logger: Logger;
  /**
   * Secrets scrubbed from everything the command prints: the environment's credentials already;
   * a command adds each sensitive value it loads (see rememberSecrets).
   */
  readonly secrets: Set<string>;
}

/** One subcommand. Parsing and help are generic (src/cli/main.ts); `run` returns the exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line(s) after `sinkops `, for example `validate [--dir sinks] [--format text|json|github]`. */
  readonly usage: string;
  /** Option descriptions for `--help`, keyed by option name. */
  readonly help: Readonly<Record<string, string>>;
  readonly options: OptionSpec;
  /** Names of the positional arguments, for `--help` and the count check. */
  readonly positionals?: readonly string[];
  run(ctx: CommandContext): Promise<number>;
}

export const EXIT = {
  OK: 0,
  ERROR: 1,
  CHANGES: 2,
  BLOCKED: 3,
  /** SIGINT or SIGTERM stopped the command: 128 + 2, what a shell reports for Ctrl-C. */
  INTERRUPTED: 130,
} as const;

/** Reads a string option, or the default. */
export function stringOption(values: OptionValues, name: string, fallback: string): string;
export function stringOption(values: OptionValues, name: string): string | undefined;
export function stringOption(values: OptionValues, name: string, fallback?: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/**
 * `--stack S`, shared by every command that reads markers: it becomes part of `[sinkops:S/<name>]`,
 * so it is held to a short name of lowercase letters, digits and dashes.
 */
export function stackOption(values: OptionValues): string | undefined {
  const stack = stringOption(values, 'stack');
  if (stack !== undefined && !/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(stack)) {
    throw new SinkopsError('USAGE', `--stack must be lowercase letters, digits and dashes (at most 32), not '${stack}'`);
  }
  return stack;
}

/** A string option that must be one of `choices` (the first is the default); anything else is a usage error. */
export function choiceOption<const C extends readonly [string, ...string[]]>(values: OptionValues, name: string, choices: C): C[number] {
  const value = stringOption(values, name, choices[0]);
  if (!choices.includes(value)) {
    throw new SinkopsError('USAGE', `--${name} must be one of ${choices.join(', ')}, not '${value}'`);
  }
  return value;
}
