import { parseArgs } from 'node:util';
import { didYouMean, suggestionSuffix } from '../desired/did-you-mean.js';
import { isSinkopsError, SinkopsError } from '../errors.js';
import { processIo, type Io } from '../io.js';
import { createLogger, isValidLevel, resolveLevel } from '../log/logger.js';
import { SENSITIVE_DISPLAY } from '../plan/sensitive.js';
import { credentialsIn, scrubbingStream } from '../secrets.js';
import { terminalSafe } from '../terminal-safe.js';
import { VERSION } from '../version.js';
import { EXIT, type Command, type OptionSpec } from './command.js';
import { COMMANDS } from './commands/index.js';

/** Options every command accepts. */
const GLOBAL_OPTIONS: OptionSpec = {
  help: { type: 'boolean', short: 'h' },
  'log-level': { type: 'string' },
};

const GLOBAL_HELP: Record<string, string> = {
  '--log-level LEVEL': 'JSON logs on stderr: fatal|error|warn|info|debug|trace|silent (default warn, or LOG_LEVEL)',
  '-h, --help': 'show help',
};

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const options: [string, string][] = [['--version', 'print the version'], ...Object.entries(GLOBAL_HELP)];
  const optionWidth = Math.max(...options.map(([k]) => k.length));
  const lines = [
    `sinkops ${VERSION} — GitOps for Twilio Event Streams sinks`,
    '',
    'Usage: sinkops <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    ...options.map(([k, v]) => `  ${k.padEnd(optionWidth)}  ${v}`),
    '',
    "Run 'sinkops <command> --help' for a command's options.",
  ];
  return lines.join('\n') + '\n';
}

function commandUsage(cmd: Command): string {
  const entries = Object.entries({ ...cmd.help, ...GLOBAL_HELP });
  const width = Math.max(...entries.map(([k]) => k.length));
  return [
    `Usage: sinkops ${cmd.usage}`,
    '',
    cmd.summary,
    '',
    'Options:',
    ...entries.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ].join('\n') + '\n';
}

/**
 * node's parseArgs explains at length how to pass a positional that starts with '-'; a user who
 * mistyped a flag needs its name and the closest real one.
 */
function parseArgsMessage(e: unknown, optionNames: readonly string[]): string {
  const message = e instanceof Error ? e.message : String(e);
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (unknown === null) return message;
  const [, dashes = '--', name = ''] = unknown;
  const close = didYouMean(name, optionNames);
  return `unknown option '${dashes}${name}'${close === undefined ? '' : `; did you mean '--${close}'?`}`;
}

/** Turns node's parseArgs messages into one line that names the command's help. */
function usageError(cmdName: string | undefined, message: string): SinkopsError {
  const hint = cmdName ? `Run 'sinkops ${cmdName} --help' for usage.` : "Run 'sinkops --help' for usage.";
  return new SinkopsError('USAGE', `${/[.?]$/.test(message) ? message : `${message}.`} ${hint}`);
}

/**
 * Runs one sinkops invocation and returns its exit code. Never throws: this is the single place
 * where errors become exit codes and messages.
 *
 * Everything it prints, logs included, passes through streams that scrub every known secret in
 * every encoding: the credentials in the environment from the start, and each sensitive
 * configuration value once a command has loaded it (`CommandContext.secrets`).
 */
export async function run(argv: readonly string[], rawIo: Io): Promise<number> {
  const secrets = new Set(credentialsIn(rawIo.env));
  const io: Io = {
    env: rawIo.env,
    cwd: rawIo.cwd,
    // Not copied: reading process.stdin builds the stream, which only a command that reads it needs.
    get stdin() {
      return rawIo.stdin;
    },
    stdout: scrubbingStream(rawIo.stdout, secrets, SENSITIVE_DISPLAY),
    stderr: scrubbingStream(rawIo.stderr, secrets, SENSITIVE_DISPLAY),
  };
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout.write(mainUsage());
      return first === undefined ? EXIT.ERROR : EXIT.OK;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.OK;
    }
    const entry = COMMANDS.find((c) => c.name === first);
    if (!entry) {
      const known = COMMANDS.map((c) => c.name).join(', ');
      const hint = suggestionSuffix(first, COMMANDS.map((c) => c.name));
      throw usageError(
        undefined,
        first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'${hint || ` (commands: ${known})`}`,
      );
    }
    // Only the command asked for is loaded, with its dependencies (src/cli/commands/index.ts).
    const cmd = await entry.load();
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...GLOBAL_OPTIONS, ...cmd.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw usageError(cmd.name, parseArgsMessage(e, Object.keys({ ...GLOBAL_OPTIONS, ...cmd.options })));
    }
    const { values, positionals } = parsed;
    if (values['help'] === true) {
      io.stdout.write(commandUsage(cmd));
      return EXIT.OK;
    }
    const maxPositionals = cmd.positionals?.length ?? 0;
    if (positionals.length > maxPositionals) {
      throw usageError(cmd.name, `unexpected argument '${positionals[maxPositionals]}'`);
    }
    const levelFlag = typeof values['log-level'] === 'string' ? values['log-level'] : undefined;
    if (levelFlag !== undefined && !isValidLevel(levelFlag)) {
      throw usageError(cmd.name, `--log-level must be one of fatal, error, warn, info, debug, trace, silent, not '${levelFlag}'`);
    }
    const logger = createLogger(io, resolveLevel(levelFlag, io.env));
    return await cmd.run({ values, positionals, io, logger, secrets });
  } catch (e) {
    return reportError(e, io);
  }
}

/**
 * The one place errors reach the terminal. Messages quote what Twilio said (an API error's text)
 * and values from the account or the command line, so the message and each detail line go through
 * terminalSafe whole (sinkops's own words hold no control characters); an internal error's stack is
 * escaped line by line so that it keeps its lines.
 */
function reportError(e: unknown, io: Io): number {
  if (isSinkopsError(e)) {
    io.stderr.write(`Error: ${terminalSafe(e.message)}\n`);
    for (const line of e.details) io.stderr.write(`  ${terminalSafe(line)}\n`);
    return e.code === 'INTERRUPTED' ? EXIT.INTERRUPTED : EXIT.ERROR;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  io.stderr.write(
    `Internal error: ${detail.split('\n').map(terminalSafe).join('\n')}\n\nThis is a bug in sinkops ${VERSION}. Please report it with the command you ran and the output above (credentials are never printed).\n`,
  );
  return EXIT.ERROR;
}

/** Entry point for bin/sinkops.js. */
export function main(): void {
  void run(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
