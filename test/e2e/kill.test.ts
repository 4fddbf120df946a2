/**
 * Crash safety (SPEC §7, §11): `apply` killed with SIGKILL at any point, then run again until it
 * finishes, leaves exactly the desired state — no duplicate sink, no lost unmanaged or in-use sink.
 * The kill points are counted in mutating requests the emulator has answered, so they land in the
 * create phase (1, 3, 7), at its end (15), in the middle of replacements (26, 38) and among the
 * deletes (44 of 47); one more lands right after a replacement sink is created, before the sink it
 * replaces is deleted.
 *
 * A second account has subscriptions (SPEC §13): a sink replaced under its two managed
 * subscriptions, a new sink with one, a subscription updated in place. Killed after each of its
 * mutating requests, then re-run, it ends with every declared subscription once, on its own sink.
 *
 * The process is killed the moment the emulator answers the chosen request, before the answer is
 * written back, so a kill point is exact whatever the machine's load. Each test has its own
 * emulator and repository.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { EmulatorSeed, LoggedRequest } from '../../src/emulator/index.js';
import { managed, PROCESS_TEST_TIMEOUT_MS, runCli, sid, startCli, startE2eEmulator, writeRepo, type CliProcess, type E2eEmulator } from './helpers/index.js';
import { listSinks, listSubscriptions, markerName, mutating } from './helpers/account.js';
import { applyUntilSettled, BIG_MAX_DELETES, BIG_SECRETS, bigDesired, bigSeed, expectConvergedBig } from './helpers/big-account.js';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

/** Latency per request: slow enough that a kill lands mid-apply, fast enough for a quick suite. */
const LATENCY_MS = 25;
const KILL_AFTER = [1, 3, 7, 15, 26, 38, 44];
/** SIDs of the sinks the big account's replacements replace (bigSeed: r-1 … r-12). */
const REPLACED = new Set(bigSeed().sinks.filter((s) => /\[sinkops:r-\d+\]$/.test(s.description)).map((s) => s.sid!));

/** Decides, as the emulator answers each request, whether to kill the apply now. */
type KillWhen = (answered: LoggedRequest, mutatingSoFar: number) => boolean;

const afterMutating =
  (n: number): KillWhen =>
  (_, mutatingSoFar) =>
    mutatingSoFar >= n;

/**
 * The first sink created once replacing has begun (a replacement's first request, its in-use check,
 * names the sink it replaces; creates all come before): a replacement made, the sink it replaces not
 * yet deleted, as no client has seen the create's answer.
 */
function atFirstReplacementCreated(): KillWhen {
  let replacing = false;
  return (r) => {
    if ([...REPLACED].some((sid) => r.path.includes(sid))) replacing = true;
    return replacing && r.method === 'POST' && r.path === '/v1/Sinks' && r.status === 201;
  };
}

/** API requests (not `/__emulator/…` control requests) each emulator of this file received, by port. */
const received = new Map<number, number>();
const onRequestStart = (message: unknown): void => {
  const { request, server } = message as { request: IncomingMessage; server: Server };
  const address = server.address();
  if (address === null || typeof address === 'string' || request.url?.startsWith('/__emulator/')) return;
  const { port } = address as AddressInfo;
  received.set(port, (received.get(port) ?? 0) + 1);
};
subscribe('http.server.request.start', onRequestStart);
afterAll(() => unsubscribe('http.server.request.start', onRequestStart));

/** An account in an emulator that tells, as it answers each API request, what it answered. */
async function observedEmulator(seed: EmulatorSeed): Promise<{ emu: E2eEmulator; onAnswer: (f: (r: LoggedRequest, mutatingSoFar: number) => void) => void; idle: () => Promise<void> }> {
  let answered = 0;
  let mutatingSoFar = 0;
  const listeners: ((r: LoggedRequest, mutatingSoFar: number) => void)[] = [];
  // The emulator logs one debug line per API request, synchronously, just before it sends the answer.
  const logger = pino(
    { level: 'debug', base: null },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string } & LoggedRequest;
        if (entry.msg !== 'emulator request') return;
        const request: LoggedRequest = { method: entry.method, path: entry.path, status: entry.status };
        answered += 1;
        mutatingSoFar += mutating([request]).length;
        for (const listener of [...listeners]) listener(request, mutatingSoFar);
      },
    },
  );
  const emu = await startE2eEmulator(seed, { faults: { latencyMs: LATENCY_MS }, logger });
  const port = Number(new URL(emu.url).port);
  return {
    emu,
    onAnswer: (f) => listeners.push(f),
    /**
     * Resolves once every API request the emulator received has been answered (requests in flight
     * when a client died are still carried out, their outcome unknown to it). A control request's
     * round trip first, so that whatever a killed client had sent has been read by then.
     */
    async idle() {
      await emu.requests();
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (answered >= (received.get(port) ?? 0)) {
            listeners.splice(listeners.indexOf(check), 1);
            resolve();
          }
        };
        listeners.push(check);
        check();
      });
    },
  };
}

/** An account, the repository that changes it, and the check that the apply converged. */
interface Scenario {
  readonly seed: EmulatorSeed;
  readonly files: Parameters<typeof writeRepo>[0];
  readonly secrets: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  converged(emu: E2eEmulator, cwd: string, env: Readonly<Record<string, string>>): Promise<void>;
}

const BIG: Scenario = {
  seed: bigSeed(),
  files: { 'sinks/all.yaml': bigDesired() },
  secrets: BIG_SECRETS,
  args: ['--max-deletes', BIG_MAX_DELETES],
  converged: (emu) => expectConvergedBig(emu),
};

/**
 * Starts `apply`, kills it (SIGKILL) as the emulator answers the request `killWhen` picks, then
 * re-runs apply until it finishes. Returns the mutating requests answered at the kill, and whether,
 * after the kill, two managed sinks carried one name (a replacement made, the sink it replaces not
 * yet deleted).
 */
async function killedThenFinished(killWhen: KillWhen, what: string, scenario: Scenario = BIG): Promise<{ seen: number; halfDone: boolean }> {
  const { emu, onAnswer, idle } = await observedEmulator(scenario.seed);
  const cwd = await writeRepo(scenario.files);
  const env = { ...emu.env, ...scenario.secrets };

  let cli: CliProcess | undefined;
  let seen = 0;
  let killing = false;
  onAnswer((request, mutatingSoFar) => {
    if (!killing && cli !== undefined && killWhen(request, mutatingSoFar)) {
      killing = true;
      seen = mutatingSoFar;
      cli.child.kill('SIGKILL');
    }
  });
  cli = startCli(['apply', '--yes', '--parallelism', '4', ...scenario.args], { cwd, env });
  const killed = await cli.exited;
  // The kill must have interrupted the apply, or the test proves nothing.
  expect(killed.signal, `apply finished before ${what}\n${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL');

  await idle();
  const names = (await listSinks(emu)).map((s) => markerName(s.description)).filter((n) => n !== undefined);
  const halfDone = new Set(names).size < names.length;

  await applyUntilSettled(cwd, env, ['--parallelism', '4', ...scenario.args], 4);
  await scenario.converged(emu, cwd, env);
  return { seen, halfDone };
}

const DELIVERED = 'com.twilio.messaging.message.delivered';
const FAILED = 'com.twilio.messaging.message.failed';
const INBOUND = 'com.twilio.messaging.inbound-message.received';
const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const events = (e: Record<string, number>) => Object.entries(e).map(([type, schema_version]) => ({ type, schema_version }));

/** Every declared subscription of SUBSCRIPTIONS, as `sink#name` → its events. */
const DECLARED: Readonly<Record<string, Record<string, number>>> = {
  'moved#first': { [DELIVERED]: 2 },
  'moved#second': { [INBOUND]: 1 },
  'kept#status': { [DELIVERED]: 2, [FAILED]: 2 },
  'fresh#all': { [FAILED]: 1 },
};

const SUBSCRIPTIONS: Scenario = {
  seed: {
    sinks: [
      { sid: sid('DG', 1), description: managed('moved', 'moved'), sink_type: 'webhook', sink_configuration: hook('moved-v1') },
      { sid: sid('DG', 2), description: managed('kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
    ],
    subscriptions: [
      { sid: sid('DF', 1), description: 'first [sinkops:moved#first]', sink_sid: sid('DG', 1), types: events({ [DELIVERED]: 2 }) },
      { sid: sid('DF', 2), description: 'second [sinkops:moved#second]', sink_sid: sid('DG', 1), types: events({ [INBOUND]: 1 }) },
      { sid: sid('DF', 3), description: 'status [sinkops:kept#status]', sink_sid: sid('DG', 2), types: events({ [DELIVERED]: 1, [INBOUND]: 1 }) },
    ],
  },
  files: {
    'sinks/all.yaml': [
      { name: 'moved', description: 'moved', sink_type: 'webhook', sink_configuration: hook('moved-v2'), subscriptions: [
        { name: 'first', description: 'first', events: DECLARED['moved#first'] },
        { name: 'second', description: 'second', events: DECLARED['moved#second'] },
      ] },
      { name: 'kept', description: 'kept', sink_type: 'webhook', sink_configuration: hook('kept'), subscriptions: [{ name: 'status', description: 'status', events: DECLARED['kept#status'] }] },
      { name: 'fresh', description: 'fresh', sink_type: 'webhook', sink_configuration: hook('fresh'), subscriptions: [{ name: 'all', description: 'all', events: DECLARED['fresh#all'] }] },
    ] as never,
  },
  secrets: {},
  args: [],
  async converged(emu, cwd, env) {
    // A lease left by a kill after the last change stays until the next apply that sends something.
    const sinks = new Map((await listSinks(emu)).flatMap((s) => (s.description.includes('[sinkops-lease:') ? [] : [[s.sid, markerName(s.description)] as const])));
    const found: Record<string, Record<string, number>[]> = {};
    for (const s of await listSubscriptions(emu)) {
      const description = (await emu.api('GET', `/v1/Subscriptions/${s.sid}`)).body.description as string;
      const name = markerName(description) ?? '';
      // Each on its own sink: the one that carries the sink's marker.
      expect(sinks.get(s.sink_sid), `${name} is on ${s.sink_sid}`).toBe(name.split('#')[0]);
      const types = (await emu.api('GET', `/v1/Subscriptions/${s.sid}/SubscribedEvents`)).body.types as { type: string; schema_version: number }[];
      (found[name] ??= []).push(Object.fromEntries(types.map((t) => [t.type, t.schema_version])));
    }
    // Every declared subscription once (no duplicate), with its events; no sink left without them.
    expect(found).toEqual(Object.fromEntries(Object.entries(DECLARED).map(([k, v]) => [k, [v]])));
    expect([...sinks.values()].sort()).toEqual(['fresh', 'kept', 'moved']);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd, env })).code).toBe(0);
  },
};

/**
 * The subscriptions account's apply sends 13 mutating requests: the lease, two sinks, three
 * subscriptions (one new, two moved), the two moved ones' old copies deleted, three event changes,
 * the replaced sink, the lease. A kill after each phase's first and last request.
 */
const SUBSCRIPTION_KILL_AFTER = [1, 2, 3, 4, 6, 7, 9, 11, 12];

describe('apply killed with SIGKILL', () => {
  it.concurrent.each(KILL_AFTER)('after %i mutating requests: re-running converges with no duplicate and no loss', async (n) => {
    const { seen } = await killedThenFinished(afterMutating(n), `${n} mutating requests`);
    expect(seen).toBeGreaterThanOrEqual(n);
  });

  it.concurrent('landed between creating a replacement and deleting the sink it replaces: re-running converges', async () => {
    const { halfDone } = await killedThenFinished(atFirstReplacementCreated(), 'a replacement was created');
    expect(halfDone).toBe(true);
  });
});

describe('apply of subscription changes killed with SIGKILL', () => {
  it.concurrent.each(SUBSCRIPTION_KILL_AFTER)('after %i mutating requests: re-running leaves each subscription once, on its sink', async (n) => {
    const { seen } = await killedThenFinished(afterMutating(n), `${n} mutating requests`, SUBSCRIPTIONS);
    expect(seen).toBeGreaterThanOrEqual(n);
  });
});
