import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { loadDesired } from '../../desired/load.js';
import { SinkopsError } from '../../errors.js';
import { readAccountForImport, type ImportRead } from '../../import/read-account.js';
import { importSinks } from '../../import/to-yaml.js';
import { EXIT, flag, stringOption, type Command } from '../command.js';
import { connect } from '../connect.js';
import { DEADLINE_HELP, DEADLINE_OPTIONS, startDeadline } from '../deadline.js';

export const importCommand: Command = {
  name: 'import',
  summary: "Write sink files (pinned by sid) for the account's existing unmanaged sinks and their subscriptions",
  usage: 'import [--out-dir sinks] [--local] [--deadline SECONDS]',
  help: {
    '--out-dir DIR': 'where to write <name>.yaml files (default sinks); existing files are never overwritten',
    '--local': 'import from the embedded local account',
    ...DEADLINE_HELP,
  },
  options: {
    'out-dir': { type: 'string' },
    local: { type: 'boolean' },
    ...DEADLINE_OPTIONS,
  },
  async run({ values, io, logger }) {
    const outDir = stringOption(values, 'out-dir', 'sinks');
    const absOut = resolve(io.cwd, outDir);
    // Names already declared must not be taken again; a folder that does not exist yet has none.
    const existing = existsSync(absOut) ? await loadDesired(absOut, { cwd: io.cwd, env: {} }) : undefined;
    const taken = new Set(existing?.sinks.map((s) => s.name) ?? []);
    const pinned = new Map((existing?.sinks ?? []).flatMap((s) => (s.sid === undefined ? [] : [[s.sid, s.name] as const])));
    const deadline = startDeadline('import', values, io.env);
    let read: ImportRead;
    let target;
    try {
      const connection = await connect(io, { local: flag(values, 'local'), logger, seedFrom: existing?.sinks ?? [], signal: deadline.signal });
      target = connection.target;
      try {
        read = await readAccountForImport(connection.api, pinned);
      } finally {
        await connection.close();
      }
    } finally {
      deadline.stop();
    }
    const pinnedSubscriptions = new Map(
      (existing?.sinks ?? []).flatMap((s) => s.subscriptions.flatMap((sub) => (sub.sid === undefined ? [] : [[sub.sid, `${s.name}#${sub.name}`] as const]))),
    );
    const result = importSinks(read.sinks, taken, pinned, read.subscriptions, pinnedSubscriptions);
    await mkdir(absOut, { recursive: true });
    const written: string[] = [];
    for (const sink of result.sinks) {
      const file = join(absOut, `${sink.name}.yaml`);
      try {
        await writeFile(file, sink.yaml, { encoding: 'utf8', flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new SinkopsError('REFUSED', `${relative(io.cwd, file)} already exists; nothing more was written`, {
            details: written.length ? [`written before stopping: ${written.join(', ')}`] : [],
          });
        }
        throw e;
      }
      written.push(relative(io.cwd, file));
    }
    const out = io.stdout;
    out.write(`Imported ${result.sinks.length} sink${result.sinks.length === 1 ? '' : 's'} into ${outDir}/ from ${target}.\n`);
    for (const sink of result.sinks) {
      const n = sink.subscriptions.length;
      const subs = n === 0 ? '' : `, ${n} subscription${n === 1 ? '' : 's'}`;
      out.write(`  + ${relative(io.cwd, join(absOut, `${sink.name}.yaml`))}  (${sink.sid}${subs})\n`);
    }
    for (const s of result.skipped) out.write(`  skipped ${s.subscription ? 'subscription ' : ''}${s.sid}: ${s.reason}\n`);
    const variables = result.sinks.flatMap((s) => s.variables);
    if (variables.length > 0) {
      out.write('\nSecrets are not written to the repository. Set these variables where plan and apply run:\n');
      for (const v of variables) out.write(`  ${v.name}  (${v.holds})\n`);
    }
    if (result.sinks.length > 0) out.write(`\nNext: sinkops plan${flag(values, 'local') ? ' --local' : ''} — it should show only adopts.\n`);
    return EXIT.OK;
  },
};
