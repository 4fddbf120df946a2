import { request } from 'undici';
import { SinkopsError } from '../../errors.js';
import { parseMarker } from '../../plan/marker.js';
import { terminalSafe } from '../../terminal-safe.js';
import { EXIT, stackOption, stringOption, type Command } from '../command.js';
import { connect } from '../connect.js';
import { DEADLINE_HELP, DEADLINE_OPTIONS, startDeadline } from '../deadline.js';

/** The emulator's record of test events: what a user would read from the Kinesis stream. */
async function localTestIds(emulatorUrl: string, sid: string, signal: AbortSignal): Promise<string[]> {
  const res = await request(`${emulatorUrl}/__emulator/sinks/${sid}/test-events`, { signal });
  const body = (await res.body.json()) as { test_events?: { test_id: string }[] };
  return (body.test_events ?? []).map((e) => e.test_id);
}

export const activateCommand: Command = {
  name: 'activate',
  summary: 'Activate a sink that is not active (older kinesis flow): send a test event, then validate it with its test id',
  usage: 'activate NAME [--test-id ID] [--stack S] [--local] [--deadline SECONDS]',
  positionals: ['NAME'],
  help: {
    NAME: 'the sink name from the repository (its marker finds the sink)',
    '--test-id ID': 'the test_id read from the stream: validates the sink, which becomes active',
    '--stack S': 'the stack the sink belongs to',
    '--local': 'use the embedded local account',
    ...DEADLINE_HELP,
  },
  options: {
    'test-id': { type: 'string' },
    stack: { type: 'string' },
    local: { type: 'boolean' },
    ...DEADLINE_OPTIONS,
  },
  async run({ values, positionals, io, logger }) {
    const name = positionals[0];
    if (name === undefined) throw new SinkopsError('USAGE', "activate needs the sink's NAME. Run 'sinkops activate --help' for usage.");
    const stack = stackOption(values);
    const testId = stringOption(values, 'test-id');
    const local = values['local'] === true;
    const deadline = startDeadline('activate', values, io.env);
    try {
      const connection = await connect(io, { local, logger, signal: deadline.signal });
      try {
        const sinks = await connection.api.listSinks();
        const matches = sinks.filter((s) => parseMarker(s.description, stack) === name);
        const sink = matches[0];
        if (sink === undefined) {
          throw new SinkopsError('NOT_FOUND', `no sink managed as '${name}' in ${connection.target}`, {
            details: ['Apply the repository first (sinkops apply), then activate the sink it created.'],
          });
        }
        if (matches.length > 1) {
          throw new SinkopsError('NOT_FOUND', `${matches.length} sinks carry the marker of '${name}' (${matches.map((s) => s.sid).join(', ')})`, {
            details: ['Run sinkops plan and apply first: the plan resolves duplicate markers.'],
          });
        }
        const out = io.stdout;
        // Twilio now activates every sink on creation; only a sink an older flow left behind
        // (kinesis: initialized or validating) still needs Test and Validate. Neither is sent to an
        // active sink, with or without --test-id: there is nothing they could change.
        if (sink.status === 'active') {
          out.write(`${name} (${sink.sid}) is active: nothing to do (Twilio activates sinks when they are created).\n`);
          return EXIT.OK;
        }
        if (testId === undefined) {
          const result = await connection.api.testSink(sink.sid);
          const tested = await connection.api.fetchSink(sink.sid);
          out.write(`Sent a test event to ${name} (${sink.sid}): ${terminalSafe(result)}. Status: ${terminalSafe(tested.status)}.\n\n`);
          if (connection.emulatorUrl !== undefined) {
            const ids = await localTestIds(connection.emulatorUrl, sink.sid, deadline.signal);
            out.write(`The local account's stream received test id ${ids.at(-1) ?? '(none)'}.\n`);
            out.write(`Next: sinkops activate ${name} --local --test-id ${ids.at(-1) ?? '<test_id>'}\n`);
          } else if (sink.sinkType === 'kinesis') {
            const arn = typeof sink.sinkConfiguration['arn'] === 'string' ? sink.sinkConfiguration['arn'] : 'the stream';
            out.write(
              [
                `Twilio wrote a test event to ${arn}. Read it from the stream, for example:`,
                `  aws kinesis get-shard-iterator --stream-name <stream> --shard-id <shard> --shard-iterator-type TRIM_HORIZON`,
                `  aws kinesis get-records --shard-iterator <iterator>   # the Data field is base64: decode it`,
                `The decoded event has a "test_id". Then run:`,
                `  sinkops activate ${name} --test-id <test_id>`,
                '',
              ].join('\n'),
            );
          } else {
            out.write(`Find the test event's "test_id" where the sink delivers, then run: sinkops activate ${name} --test-id <test_id>\n`);
          }
          return EXIT.OK;
        }
        const result = await connection.api.validateSink(sink.sid, testId);
        const after = await connection.api.fetchSink(sink.sid);
        // Twilio's words, escaped: they come from outside.
        out.write(`Validated ${name} (${sink.sid}): ${terminalSafe(result)}. Status: ${terminalSafe(after.status)}.\n`);
        return after.status === 'active' ? EXIT.OK : EXIT.ERROR;
      } finally {
        await connection.close();
      }
    } finally {
      deadline.stop();
    }
  },
};
