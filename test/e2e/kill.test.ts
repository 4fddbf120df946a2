/**
 * Crash safety (SPEC §7, §11): `apply` killed with SIGKILL at any point, then run again until it
 * finishes, leaves exactly the desired state — no duplicate sink, no lost unmanaged or in-use sink.
 * The kill points are counted in mutating requests the emulator has answered, so they land in the
 * create phase (1, 3, 7), at its end (15), in the middle of replacements (26, 38: a new sink made,
 * its old one not yet deleted) and among the deletes (44 of 47).
 */
import { describe, expect, it } from 'vitest';
import { startCli, startE2eEmulator, writeRepo } from './helpers/index.js';
import { listSinks, markerName, mutating } from './helpers/account.js';
import { applyUntilSettled, BIG_MAX_DELETES, BIG_SECRETS, bigDesired, bigSeed, expectConvergedBig } from './helpers/big-account.js';

/** Latency per request: slow enough that a kill lands mid-apply, fast enough for a quick suite. */
const LATENCY_MS = 25;
const KILL_AFTER = [1, 3, 7, 15, 26, 38, 44];

/** Kill points after which the account held two sinks for one name (a replacement half done). */
const halfDone: number[] = [];

async function killedThenFinished(killAfter: number): Promise<{ seen: number; runs: number }> {
  const emu = await startE2eEmulator(bigSeed(), { faults: { latencyMs: LATENCY_MS } });
  const cwd = await writeRepo({ 'sinks/all.yaml': bigDesired() });
  const env = { ...emu.env, ...BIG_SECRETS };

  const cli = startCli(['apply', '--yes', '--parallelism', '4', '--max-deletes', BIG_MAX_DELETES], { cwd, env, timeoutMs: 30_000 });
  let seen = 0;
  let finished = false;
  void cli.exited.then(() => (finished = true));
  while (!finished) {
    seen = mutating(await emu.requests()).length;
    if (seen >= killAfter) break;
    await new Promise((r) => setTimeout(r, 3));
  }
  cli.child.kill('SIGKILL');
  const killed = await cli.exited;
  // The kill must have interrupted the apply, or the test proves nothing.
  expect(killed.signal, `apply finished before ${killAfter} mutating requests\n${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL');

  // Requests in flight when the client died are still carried out (outcome unknown to it): wait for them.
  await new Promise((r) => setTimeout(r, LATENCY_MS * 3));
  const names = (await listSinks(emu)).map((s) => markerName(s.description)).filter((n) => n !== undefined);
  if (new Set(names).size < names.length) halfDone.push(killAfter);

  const runs = await applyUntilSettled(cwd, env, ['--parallelism', '4'], 4);
  await expectConvergedBig(emu);
  return { seen, runs: runs.length };
}

describe('apply killed with SIGKILL', () => {
  it.concurrent.each(KILL_AFTER)('after %i mutating requests: re-running converges with no duplicate and no loss', async (n) => {
    const { seen } = await killedThenFinished(n);
    expect(seen).toBeGreaterThanOrEqual(n);
  });

  it('landed at least once between creating a replacement and deleting the sink it replaces', () => {
    expect(halfDone.length).toBeGreaterThan(0);
  });
});
