/**
 * An account and repository with a few dozen actions of every kind that changes something, for the
 * kill and fault-injection tests: creates (webhook, kinesis and segment, secrets from the
 * environment), replaces, deletes, two in-use sinks left out of the repository (blocked), one noop,
 * and sinks sinkops does not own. `expectConvergedBig` checks the end state after any number of
 * interrupted or failing applies.
 */
import { expect } from 'vitest';
import type { EmulatorSeed } from '../../../src/emulator/index.js';
import { expectConverged, listSinks, listSubscriptions } from './account.js';
import { runCliProcess, type CliOptions, type CliResult } from './cli.js';
import { managed, sid, type E2eEmulator } from './emulator.js';
import type { SinkDoc } from './repo.js';

export const BIG_SECRETS = { BIG_EXT_ID: 'big-ext-id-s3cr3t-51fe', BIG_WRITE_KEY: 'big-write-key-s3cr3t-a0c7' };

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const KINESIS = { arn: 'arn:aws:kinesis:us-east-1:111111111111:stream/big', role_arn: 'arn:aws:iam::111111111111:role/Twilio' };

export const BIG_COUNTS = { create: 15, replace: 12, delete: 8, blocked: 2, noop: 1 } as const;

/** Sinks the repository never mentions and that nobody may delete: strangers' and the in-use ones. */
const UNMANAGED: EmulatorSeed['sinks'] = [
  { sid: sid('DG', 0x901), description: 'Analytics team', sink_type: 'webhook', sink_configuration: hook('analytics') },
  { sid: sid('DG', 0x902), description: 'Marketing', sink_type: 'segment', sink_configuration: { write_key: 'marketing-key' } },
  { sid: sid('DG', 0x903), description: 'Email digest', sink_type: 'email', sink_configuration: {} },
];

export function bigSeed(): EmulatorSeed {
  const sinks: EmulatorSeed['sinks'] = [...UNMANAGED];
  for (let i = 1; i <= BIG_COUNTS.replace; i++) {
    sinks.push({ sid: sid('DG', 0x100 + i), description: managed(`Replaced ${i}`, `r-${i}`), sink_type: 'webhook', sink_configuration: hook(`r-${i}-v1`) });
  }
  for (let i = 1; i <= BIG_COUNTS.delete; i++) {
    sinks.push({ sid: sid('DG', 0x200 + i), description: managed(`Deleted ${i}`, `d-${i}`), sink_type: 'webhook', sink_configuration: hook(`d-${i}`) });
  }
  for (let i = 1; i <= BIG_COUNTS.blocked; i++) {
    sinks.push({ sid: sid('DG', 0x300 + i), description: managed(`Held ${i}`, `held-${i}`), sink_type: 'webhook', sink_configuration: hook(`held-${i}`) });
  }
  sinks.push({ sid: sid('DG', 0x401), description: managed('Same', 'same'), sink_type: 'webhook', sink_configuration: hook('same') });
  const subscriptions = Array.from({ length: BIG_COUNTS.blocked }, (_, i) => ({
    sid: sid('DF', 0x300 + i + 1),
    description: `holds held-${i + 1}`,
    sink_sid: sid('DG', 0x300 + i + 1),
  }));
  return { sinks, subscriptions };
}

export function bigDesired(): SinkDoc[] {
  const docs: SinkDoc[] = [];
  for (let i = 1; i <= BIG_COUNTS.create; i++) {
    const name = `c-${i}`;
    if (i % 5 === 1) docs.push({ name, description: `Stream ${i}`, sink_type: 'kinesis', sink_configuration: { ...KINESIS, external_id: '${BIG_EXT_ID}' } });
    else if (i % 5 === 2) docs.push({ name, description: `Segment ${i}`, sink_type: 'segment', sink_configuration: { write_key: '${BIG_WRITE_KEY}' } });
    else docs.push({ name, description: `Hook ${i}`, sink_type: 'webhook', sink_configuration: hook(name) });
  }
  for (let i = 1; i <= BIG_COUNTS.replace; i++) {
    docs.push({ name: `r-${i}`, description: `Replaced ${i}`, sink_type: 'webhook', sink_configuration: hook(`r-${i}-v2`) });
  }
  docs.push({ name: 'same', description: 'Same', sink_type: 'webhook', sink_configuration: hook('same') });
  return docs;
}

/** Deletes plus replacements: what `--max-deletes` must allow for the whole plan. */
export const BIG_MAX_DELETES = String(BIG_COUNTS.replace + BIG_COUNTS.delete);

/**
 * The desired state holds (one managed sink per name, desired configuration), deleted sinks are
 * gone, and every sink nobody may delete is still there, unchanged, with its subscriptions.
 */
export async function expectConvergedBig(emu: E2eEmulator): Promise<void> {
  const heldNames = Array.from({ length: BIG_COUNTS.blocked }, (_, i) => `held-${i + 1}`);
  await expectConverged(emu, bigDesired(), { secrets: BIG_SECRETS, alsoManaged: heldNames });
  const seed = bigSeed();
  const now = new Map((await listSinks(emu)).map((s) => [s.sid, s]));
  const untouchable = seed.sinks.filter((s) => s.sid !== undefined && (UNMANAGED.includes(s) || s.description.includes('[sinkops:held-')));
  for (const s of untouchable) {
    expect(now.get(s.sid!), `${s.sid} (${s.description})`).toMatchObject({ description: s.description, sink_type: s.sink_type });
  }
  for (let i = 1; i <= BIG_COUNTS.delete; i++) expect(now.has(sid('DG', 0x200 + i))).toBe(false);
  for (let i = 1; i <= BIG_COUNTS.replace; i++) expect(now.has(sid('DG', 0x100 + i))).toBe(false);
  const subscriptions = (await listSubscriptions(emu)).map((s) => [s.sid, s.sink_sid]).sort();
  expect(subscriptions).toEqual(seed.subscriptions.map((s) => [s.sid, s.sink_sid]).sort());
}

/**
 * Runs `apply --yes` (plus `extraArgs`) until it exits 0 or 3 (done; 3 = the in-use sinks were
 * blocked), at most `maxRuns` times. Returns every run, so a test can show them when it fails.
 * Each run is a new process (`runCliProcess`), as after a crash; `runner` can be `runCli` instead.
 */
export async function applyUntilSettled(
  cwd: string,
  env: Readonly<Record<string, string>>,
  extraArgs: readonly string[],
  maxRuns: number,
  runner: (args: readonly string[], options: CliOptions) => Promise<CliResult> = runCliProcess,
): Promise<CliResult[]> {
  const runs: CliResult[] = [];
  for (let i = 0; i < maxRuns; i++) {
    const r = await runner(['apply', '--yes', '--max-deletes', BIG_MAX_DELETES, ...extraArgs], { cwd, env });
    runs.push(r);
    if (r.code === 0 || r.code === 3) return runs;
  }
  const last = runs.at(-1);
  throw new Error(`apply did not settle in ${maxRuns} runs (exit codes ${runs.map((r) => r.code).join(', ')})\n--- last stdout\n${last?.stdout}\n--- last stderr\n${last?.stderr}`);
}
