/**
 * Reliability (SPEC §11): with about 10% of API requests failing at random — 500s, 429s with
 * Retry-After, connections dropped before or after a create is stored — repeated `apply --yes`
 * converges to the desired state with no duplicate sink, no deletion of an unmanaged or in-use
 * sink, and no secret in any output or log. The faults are drawn from a seeded generator, so a
 * failure can be replayed (request order still varies with concurrency).
 */
import { describe, expect, it, vi } from 'vitest';
import { E2E_AUTH_TOKEN, expectNoSecrets, PROCESS_TEST_TIMEOUT_MS, startE2eEmulator, writeRepo } from './helpers/index.js';
import { mutating } from './helpers/account.js';
import { applyUntilSettled, BIG_SECRETS, bigDesired, bigSeed, expectConvergedBig } from './helpers/big-account.js';

// Each apply is a new process (applyUntilSettled), as after a crash or a failed CI job.
vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

/** mulberry32: a small seeded generator, so each run meets the same stream of fault draws. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('apply against a faulty API', () => {
  it.concurrent.each([1, 2, 3])('converges with no duplicate (fault seed %i)', async (seed) => {
    const emu = await startE2eEmulator(bigSeed(), {
      faults: { latencyMs: 5, errorRate: 0.04, rateLimitRate: 0.03, retryAfterSeconds: 1, dropRate: 0.03, dropAfterCommitRate: 0.05 },
      random: seeded(seed),
    });
    const cwd = await writeRepo({ 'sinks/all.yaml': bigDesired() });
    const env = { ...emu.env, ...BIG_SECRETS };

    const runs = await applyUntilSettled(cwd, env, ['--parallelism', '8', '--log-level', 'debug'], 6);
    const log = await emu.requests();
    emu.emulator.setFaults({}); // the checks below read the account through the same API
    await expectConvergedBig(emu);

    // The faults really happened: the run met failures and still got here.
    expect(log.filter((r) => r.status >= 500 || r.status === 429 || r.status === 0).length).toBeGreaterThan(3);
    expect(mutating(log).length).toBeGreaterThan(0);
    expectNoSecrets(
      Object.fromEntries(runs.flatMap((r, i) => [[`run ${i + 1} stdout`, r.stdout], [`run ${i + 1} stderr`, r.stderr]])),
      [...Object.values(BIG_SECRETS), E2E_AUTH_TOKEN],
    );
  });
});
