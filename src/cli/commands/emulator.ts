/**
 * `sinkops emulator`: runs the local Events API emulator until SIGINT/SIGTERM, then closes it
 * cleanly and exits 0. Prints the URL, the credentials it accepts and how many accounts it serves.
 * The test token is printed on purpose (it only unlocks the emulator); a token taken from the
 * environment or a flag never is, nor is any other account's (the main account reads its
 * subaccounts' from the Accounts API, as on Twilio).
 */
import { SinkopsError } from '../../errors.js';
import {
  ACTIVATIONS,
  DEFAULT_SINK_LIMIT,
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EVENT_TYPES,
  loadSeed,
  READ_BACKS,
  startEmulator,
  type Activation,
  type EmulatorAccount,
  type EmulatorFaults,
  type EmulatorOptions,
  type ReadBack,
} from '../../emulator/index.js';
import { EXIT, stringOption, type Command, type CommandContext } from '../command.js';

type NumberKind = 'rate' | 'ms' | 'seconds' | 'count' | 'port';

/** Fault flags: flag name → option key and the kind of number it takes. */
const FAULT_FLAGS: ReadonlyArray<readonly [flag: string, key: keyof EmulatorFaults, kind: NumberKind]> = [
  ['latency', 'latencyMs', 'ms'],
  ['error-rate', 'errorRate', 'rate'],
  ['rate-limit-rate', 'rateLimitRate', 'rate'],
  ['retry-after', 'retryAfterSeconds', 'seconds'],
  ['concurrency-limit', 'concurrencyLimit', 'count'],
  ['drop-rate', 'dropRate', 'rate'],
  ['drop-after-commit-rate', 'dropAfterCommitRate', 'rate'],
];

const KIND_TEXT: Record<NumberKind, string> = {
  rate: 'a fraction from 0 to 1',
  ms: 'a number of milliseconds (0 or more)',
  seconds: 'a whole number of seconds (0 or more)',
  count: 'a whole number of at least 1',
  port: 'a port number from 0 to 65535',
};

/** Parses a numeric flag strictly: `--error-rate 0.1` yes, `--error-rate 10%` or `--port 80x` no. */
export function parseNumberFlag(flag: string, raw: string, kind: NumberKind): number {
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  const ok =
    Number.isFinite(n) &&
    (kind === 'rate' ? n <= 1 : kind === 'ms' ? true : Number.isInteger(n) && (kind === 'count' ? n >= 1 : kind === 'port' ? n <= 65535 : true));
  if (!ok) throw new SinkopsError('USAGE', `--${flag} must be ${KIND_TEXT[kind]}, not '${raw}'. Run 'sinkops emulator --help' for usage.`);
  return n;
}

/** Parses a flag that takes one of a few words: `--activation legacy` yes, `--activation Legacy` no. */
export function parseChoiceFlag<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  const choice = choices.find((c) => c === raw);
  if (choice === undefined) throw new SinkopsError('USAGE', `--${flag} must be one of ${choices.join(', ')}, not '${raw}'. Run 'sinkops emulator --help' for usage.`);
  return choice;
}

/** The account's rules as flags set them; a flag left out keeps the emulator's default. */
function chooseAccountRules(values: CommandContext['values']): Pick<EmulatorOptions, 'sinkLimit' | 'activation' | 'readBack'> {
  const sinkLimit = stringOption(values, 'sink-limit');
  const activation = stringOption(values, 'activation');
  const readBack = stringOption(values, 'read-back');
  return {
    ...(sinkLimit === undefined ? {} : { sinkLimit: parseNumberFlag('sink-limit', sinkLimit, 'count') }),
    ...(activation === undefined ? {} : { activation: parseChoiceFlag<Activation>('activation', activation, ACTIVATIONS) }),
    ...(readBack === undefined ? {} : { readBack: parseChoiceFlag<ReadBack>('read-back', readBack, READ_BACKS) }),
  };
}

/** The banner's account line: every rule is named, so a run in a non-default mode shows it in its log. */
function describeAccountRules(rules: Pick<EmulatorOptions, 'sinkLimit' | 'activation' | 'readBack'>): string {
  const activation = rules.activation ?? 'current';
  const readBack = rules.readBack ?? 'exact';
  const limit = rules.sinkLimit ?? DEFAULT_SINK_LIMIT;
  return [
    `at most ${limit} ${limit === 1 ? 'sink' : 'sinks'}`,
    activation === 'current' ? 'sinks active on creation' : 'legacy activation (kinesis: Test, then Validate)',
    readBack === 'exact' ? 'configurations read back as stored' : `read-back ${readBack}`,
  ].join(', ');
}

/** Resolves when the process is asked to stop. */
export function signalStop(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

interface CredentialChoice {
  readonly options: Pick<EmulatorOptions, 'accountSid' | 'authToken' | 'apiKey'>;
  /** What to print for each credential. */
  readonly lines: readonly string[];
}

/** Flags first, then the environment, then the fixed test credentials. */
function chooseCredentials(ctx: CommandContext): CredentialChoice {
  const env = ctx.io.env;
  const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  const sidFlag = stringOption(ctx.values, 'account-sid');
  const tokenFlag = stringOption(ctx.values, 'auth-token');
  const accountSid = sidFlag ?? nonEmpty(env['TWILIO_ACCOUNT_SID']) ?? EMULATOR_ACCOUNT_SID;
  const envToken = nonEmpty(env['TWILIO_AUTH_TOKEN']);
  const authToken = tokenFlag ?? envToken ?? EMULATOR_AUTH_TOKEN;
  const tokenText = tokenFlag !== undefined ? 'the token given with --auth-token' : envToken !== undefined ? 'the token in TWILIO_AUTH_TOKEN' : authToken;
  const lines = [`  Account SID: ${accountSid}`, `  Auth token:  ${tokenText}`];

  const keySid = nonEmpty(env['TWILIO_API_KEY']);
  const keySecret = nonEmpty(env['TWILIO_API_SECRET']);
  if ((keySid === undefined) !== (keySecret === undefined)) {
    throw new SinkopsError('CONFIG', 'TWILIO_API_KEY and TWILIO_API_SECRET must be set together for the emulator to accept an API key');
  }
  const options: CredentialChoice['options'] = keySid !== undefined && keySecret !== undefined ? { accountSid, authToken, apiKey: { sid: keySid, secret: keySecret } } : { accountSid, authToken };
  if (options.apiKey) lines.push(`  API key:     ${options.apiKey.sid} with the secret in TWILIO_API_SECRET`);
  return { options, lines };
}

/** The banner's accounts line: how many, and whose (never a token). */
export function describeAccounts(accounts: readonly EmulatorAccount[], mainSid: string): string {
  const subaccounts = accounts.filter((a) => a.ownerAccountSid === mainSid).length;
  const otherMains = accounts.filter((a) => a.ownerAccountSid === undefined && a.sid !== mainSid).length;
  const theirs = accounts.length - 1 - subaccounts - otherMains;
  const count = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  const parts = ['the one above'];
  if (subaccounts > 0) parts.push(`${count(subaccounts, 'subaccount', 'subaccounts')} of it`);
  if (otherMains > 0) parts.push(`${count(otherMains, 'other main account', 'other main accounts')}${theirs > 0 ? ` with ${count(theirs, 'subaccount', 'subaccounts')}` : ''}`);
  const tokens = accounts.length > 1 ? '; their credentials: GET /2010-04-01/Accounts.json with their owner\'s' : '';
  return `${accounts.length.toLocaleString('en-US')} (${parts.join(', ')})${tokens}`;
}

function describeFaults(faults: EmulatorFaults): string {
  const parts: string[] = [];
  if (faults.latencyMs !== undefined) parts.push(`latency ${faults.latencyMs} ms`);
  if (faults.errorRate !== undefined) parts.push(`errors ${faults.errorRate}`);
  if (faults.rateLimitRate !== undefined) parts.push(`429s ${faults.rateLimitRate}`);
  if (faults.retryAfterSeconds !== undefined) parts.push(`Retry-After ${faults.retryAfterSeconds} s`);
  if (faults.concurrencyLimit !== undefined) parts.push(`concurrency limit ${faults.concurrencyLimit}`);
  if (faults.dropRate !== undefined) parts.push(`dropped connections ${faults.dropRate}`);
  if (faults.dropAfterCommitRate !== undefined) parts.push(`dropped after create ${faults.dropAfterCommitRate}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The command, with the stop trigger injectable so tests need not send signals. */
export function createEmulatorCommand(waitForStop: () => Promise<unknown> = signalStop): Command {
  return {
    name: 'emulator',
    summary: 'Run a local Twilio Events API (sinks, subscriptions, event types) for tests and offline work',
    usage:
      'emulator [--port 4010] [--host 127.0.0.1] [--state FILE] [--seed FILE] [--sink-limit N]\n' +
      '                [--activation current|legacy] [--read-back exact|defaults|masked] [--latency MS] [--error-rate R]\n' +
      '                [--rate-limit-rate R] [--retry-after S] [--concurrency-limit N] [--drop-rate R] [--drop-after-commit-rate R]',
    help: {
      '--port N': 'port to listen on (default 4010; 0 picks a free one)',
      '--host HOST': 'interface to bind (default 127.0.0.1)',
      '--state FILE': 'keep the accounts in FILE (JSON, configurations and tokens sealed) across restarts; default: in memory',
      '--seed FILE': 'JSON or YAML with {"sinks": [...], "subscriptions": [...], "accounts": [...]} to start empty accounts with',
      '--account-sid SID': 'account SID to accept (default TWILIO_ACCOUNT_SID, else a fixed test SID)',
      '--auth-token TOKEN': 'auth token to accept (default TWILIO_AUTH_TOKEN, else a fixed test token)',
      '--sink-limit N': `creates past N sinks are refused with error 91003 (default ${DEFAULT_SINK_LIMIT}, as Twilio; a seed may hold more)`,
      '--activation MODE': 'current (default: sinks active on creation) or legacy (kinesis: Test, then Validate)',
      '--read-back MODE': 'exact (default: as stored), defaults (webhook method, batch_events added) or masked (secrets hidden)',
      '--latency MS': 'milliseconds added to every API response',
      '--error-rate R': 'fraction of requests answered 500',
      '--rate-limit-rate R': 'fraction of requests answered 429',
      '--retry-after S': 'Retry-After seconds on 429 answers (default: none, as Twilio)',
      '--concurrency-limit N': 'requests in flight beyond N are answered 429',
      '--drop-rate R': 'fraction of requests whose connection is dropped without an answer',
      '--drop-after-commit-rate R': 'fraction of creates whose connection is dropped after the create is stored',
    },
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      state: { type: 'string' },
      seed: { type: 'string' },
      'account-sid': { type: 'string' },
      'auth-token': { type: 'string' },
      'sink-limit': { type: 'string' },
      activation: { type: 'string' },
      'read-back': { type: 'string' },
      ...Object.fromEntries(FAULT_FLAGS.map(([flag]) => [flag, { type: 'string' as const }])),
    },
    async run(ctx) {
      const { values, io, logger } = ctx;
      const port = parseNumberFlag('port', stringOption(values, 'port', '4010'), 'port');
      const host = stringOption(values, 'host', '127.0.0.1');
      if (host.trim() === '') throw new SinkopsError('USAGE', "--host must not be empty. Run 'sinkops emulator --help' for usage.");
      const faults: EmulatorFaults = {};
      for (const [flag, key, kind] of FAULT_FLAGS) {
        const raw = stringOption(values, flag);
        if (raw !== undefined) faults[key] = parseNumberFlag(flag, raw, kind);
      }
      const rules = chooseAccountRules(values);
      const credentials = chooseCredentials(ctx);
      const statePath = stringOption(values, 'state');
      const seedPath = stringOption(values, 'seed');
      const seed = seedPath === undefined ? undefined : await loadSeed(seedPath, rules.activation, credentials.options.accountSid);

      const emulator = await startEmulator({
        ...credentials.options,
        ...rules,
        host,
        port,
        faults,
        logger,
        ...(statePath === undefined ? {} : { statePath }),
        ...(seed === undefined ? {} : { seed }),
      });
      const stopped = waitForStop();
      io.stdout.write(
        [
          `sinkops emulator listening on ${emulator.url}`,
          ...credentials.lines,
          `  Accounts:    ${describeAccounts(emulator.accounts(), emulator.accountSid)}`,
          `  State:       ${statePath ?? 'in memory (lost on exit)'}`,
          `  Account:     ${describeAccountRules(rules)}`,
          `  Faults:      ${describeFaults(faults)}`,
          `  Catalogue:   ${EVENT_TYPES.length} Twilio event types (GET /v1/Types)`,
          '',
          `Use it with: TWILIO_EVENTS_BASE_URL=${emulator.url}`,
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      await stopped;
      await emulator.close();
      io.stdout.write('Emulator stopped.\n');
      return EXIT.OK;
    },
  };
}

export const emulatorCommand: Command = createEmulatorCommand();
