import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/apply/execute.js';
import { AdaptiveLimiter } from '../../src/apply/limiter.js';
import type { ApplyOptions, ProgressEvent } from '../../src/apply/model.js';
import { SinkopsError } from '../../src/errors.js';
import type { Logger } from '../../src/log/logger.js';
import type { Plan } from '../../src/plan/model.js';
import { TwilioApiError } from '../../src/twilio/errors.js';
import { FakeSinksApi, remoteSink } from '../helpers/fake-sinks-api.js';
import {
  adoptAction,
  blockedAction,
  createAction,
  deleteAction,
  fromEnv,
  marker,
  noopAction,
  plain,
  planOf,
  replaceAction,
  spec,
  updateAction,
} from './plan-builders.js';

const silent: Logger = pino({ level: 'silent' });

function options(overrides: Partial<ApplyOptions> = {}): ApplyOptions {
  return { parallelism: 4, dryRun: false, logger: silent, ...overrides };
}

function managed(name: string, destination = 'https://example.org/old') {
  return remoteSink({
    description: `${name} events ${marker(name)}`,
    sinkConfiguration: { destination, method: 'POST' },
  });
}

function manyCreates(n: number): Plan {
  return planOf(Array.from({ length: n }, (_, i) => createAction(`sink-${i}`)));
}

describe('execute: order', () => {
  it('runs creates, then updates and adopts, then replaces, then deletes, whatever the plan order', async () => {
    const old = managed('old');
    const upd = managed('upd');
    const unmanaged = remoteSink({ description: 'hand made' });
    const rep = managed('rep');
    const api = new FakeSinksApi({ sinks: [old, upd, unmanaged, rep], latencyMs: 1 });
    const plan = planOf([
      deleteAction(old, 'old'),
      replaceAction(rep, 'rep', spec('rep', { config: { destination: plain('https://example.org/new'), method: plain('POST') } })),
      updateAction(upd, 'upd'),
      adoptAction(unmanaged, 'adopted'),
      createAction('fresh'),
      createAction('fresh-2'),
    ]);
    const result = await execute(plan, api, options());

    const mutating = api.mutatingCalls().map((c) => `${c.op}:${c.sid ?? (c.input && 'sinkType' in c.input ? c.input.description : '')}`);
    expect(mutating.slice(0, 2).sort()).toEqual([
      `createSink:fresh events ${marker('fresh')}`,
      `createSink:fresh-2 events ${marker('fresh-2')}`,
    ]);
    expect(mutating.slice(2, 4).sort()).toEqual([`updateSink:${unmanaged.sid}`, `updateSink:${upd.sid}`].sort());
    // The replace: its new sink is created after the updates; its old sink goes with the deletes,
    // once the subscriptions that move have moved (SPEC §13).
    expect(mutating[4]).toBe(`createSink:rep events ${marker('rep')}`);
    expect(mutating.slice(5).sort()).toEqual([`deleteSink:${old.sid}`, `deleteSink:${rep.sid}`].sort());
    expect(result.counts).toMatchObject({ applied: 6, blocked: 0, failed: 0 });
    // Results keep the plan's order, not completion order.
    expect(result.results.map((r) => r.action.name)).toEqual(['old', 'rep', 'upd', 'adopted', 'fresh', 'fresh-2']);
  });

  it('sends the full marker description and resolved values on create, and the new SID comes back', async () => {
    const api = new FakeSinksApi();
    const after = spec('kin', {
      sinkType: 'kinesis',
      config: {
        arn: plain('arn:aws:kinesis:us-east-1:1:stream/x'),
        role_arn: plain('arn:aws:iam::1:role/x'),
        external_id: fromEnv('KIN_EXTERNAL_ID', 's3cr3t-external'),
      },
    });
    const result = await execute(planOf([createAction('kin', after)]), api, options());
    const [created] = [...api.sinks.values()];
    expect(created?.description).toBe(`kin events ${marker('kin')}`);
    expect(created?.sinkConfiguration).toEqual({
      arn: 'arn:aws:kinesis:us-east-1:1:stream/x',
      role_arn: 'arn:aws:iam::1:role/x',
      external_id: 's3cr3t-external',
    });
    expect(created?.status).toBe('initialized');
    expect(result.results[0]).toMatchObject({ status: 'applied', newSid: created?.sid });
    expect(created?.sid).toMatch(/^DG[0-9a-f]{32}$/);
  });

  it('adopt sends only the description with the marker; noops are neither sent nor reported', async () => {
    const unmanaged = remoteSink({ description: 'hand made' });
    const same = managed('same');
    const api = new FakeSinksApi({ sinks: [unmanaged, same] });
    const result = await execute(planOf([adoptAction(unmanaged, 'pinned'), noopAction(same, 'same')]), api, options());
    expect(api.sinks.get(unmanaged.sid)?.description).toBe(`pinned events ${marker('pinned')}`);
    // The pinned sink is read again right before its description changes (see the re-check tests).
    expect(api.calls.map((c) => c.op)).toEqual(['fetchSink', 'updateSink']);
    expect(result.results.map((r) => r.action.name)).toEqual(['pinned']);
  });

  it('adopt with replace creates the new sink with the marker, then deletes the pinned one', async () => {
    const unmanaged = remoteSink({ description: 'hand made' });
    const api = new FakeSinksApi({ sinks: [unmanaged] });
    const result = await execute(planOf([adoptAction(unmanaged, 'pinned', true)]), api, options());
    expect(api.mutatingCalls().map((c) => c.op)).toEqual(['createSink', 'deleteSink']);
    expect(api.sinks.has(unmanaged.sid)).toBe(false);
    expect([...api.sinks.values()].map((s) => s.description)).toEqual([`pinned events ${marker('pinned')}`]);
    expect(result.results[0]?.status).toBe('applied');
  });
});

describe('execute: concurrency', () => {
  it('never exceeds parallelism, and reaches it when there is enough work', async () => {
    const api = new FakeSinksApi({ latencyMs: 5 });
    const result = await execute(manyCreates(40), api, options({ parallelism: 8 }));
    expect(result.counts.applied).toBe(40);
    expect(api.peakConcurrency).toBe(8);
  });

  it('runs one at a time with parallelism 1', async () => {
    const api = new FakeSinksApi({ latencyMs: 1 });
    await execute(manyCreates(5), api, options({ parallelism: 1 }));
    expect(api.peakConcurrency).toBe(1);
  });

  it('narrows the window on rate limiting and grows back to parallelism once it stops', async () => {
    const limiter = new AdaptiveLimiter(16);
    const api = new FakeSinksApi({
      latencyMs: 2,
      concurrencyLimit: 4,
      retryDelayMs: 2,
      onRateLimited: () => limiter.onRateLimited(),
    });
    const windows: number[] = [];
    const first = await execute(manyCreates(60), api, options({ parallelism: 16, limiter, onProgress: () => windows.push(limiter.window) }));
    expect(first.counts.applied).toBe(60);
    expect(api.rateLimitedCount).toBeGreaterThan(0);
    expect(limiter.rateLimitedCount).toBeGreaterThan(0);
    expect(Math.min(...windows)).toBeLessThanOrEqual(8);

    // The limit is lifted: every success adds one, back to 16 and no further.
    api.options = { latencyMs: 2 };
    api.resetStats();
    const second = await execute(manyCreates(60), api, options({ parallelism: 16, limiter }));
    expect(second.counts.applied).toBe(60);
    expect(limiter.window).toBe(16);
    expect(api.peakConcurrency).toBe(16);
  });
});

describe('execute: dry run and preflight', () => {
  it('dry run sends no mutating request and reports what would happen', async () => {
    const old = managed('old');
    const held = managed('held');
    const rep = managed('rep');
    const upd = managed('upd');
    const api = new FakeSinksApi({ sinks: [old, held, rep, upd] });
    api.subscribe(held.sid);
    const plan = planOf([
      createAction('new'),
      updateAction(upd, 'upd'),
      replaceAction(rep, 'rep'),
      deleteAction(old, 'old'),
      deleteAction(held, 'held'),
    ]);
    const result = await execute(plan, api, options({ dryRun: true }));
    expect(api.mutatingCalls()).toEqual([]);
    expect(result.dryRun).toBe(true);
    expect(result.counts).toMatchObject({ planned: 4, blocked: 1, applied: 0 });
    expect(result.results.find((r) => r.action.name === 'held')).toMatchObject({ status: 'blocked' });
    expect(api.sinks.size).toBe(4);
  });

  it('a missing sensitive variable stops the apply before any request, naming sink, key and variable', async () => {
    const api = new FakeSinksApi();
    const plan = planOf([
      createAction('fine'),
      createAction('seg', spec('seg', { sinkType: 'segment', config: { write_key: fromEnv('SEGMENT_WRITE_KEY', undefined) } })),
    ]);
    const run = execute(plan, api, options());
    await expect(run).rejects.toBeInstanceOf(SinkopsError);
    await expect(run).rejects.toMatchObject({ code: 'CONFIG' });
    await expect(run).rejects.toThrow(/"seg" \(sinks\/seg\.yaml:1\): sink_configuration\.write_key needs environment variable SEGMENT_WRITE_KEY/);
    expect(api.calls).toEqual([]);
  });

  it('lists every unknown value at once', async () => {
    const api = new FakeSinksApi();
    const plan = planOf([
      createAction('a', spec('a', { sinkType: 'segment', config: { write_key: fromEnv('A_KEY', undefined) } })),
      createAction('b', spec('b', { sinkType: 'segment', config: { write_key: fromEnv('B_KEY', undefined) } })),
    ]);
    const error = await execute(plan, api, options()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect((error as SinkopsError).details.join('\n')).toMatch(/A_KEY[\s\S]*B_KEY/);
    expect(api.calls).toEqual([]);
  });

  it('refuses a plan with errors before any request', async () => {
    const api = new FakeSinksApi();
    const plan = planOf([createAction('a')], {
      errors: [{ code: 'PINNED_SID_NOT_FOUND', message: 'no such sink', name: 'b', source: { file: 'sinks/b.yaml', line: 3, column: 6 } }],
    });
    await expect(execute(plan, api, options())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(api.calls).toEqual([]);
  });
});

describe('execute: deletes and in-use sinks', () => {
  it('a sink that became in use after the plan is blocked, not deleted', async () => {
    const sink = managed('legacy');
    const api = new FakeSinksApi({ sinks: [sink] });
    const sub = api.subscribe(sink.sid);
    const result = await execute(planOf([deleteAction(sink, 'legacy')]), api, options());
    expect(api.count('deleteSink')).toBe(0);
    expect(api.sinks.has(sink.sid)).toBe(true);
    expect(result.results[0]).toMatchObject({ status: 'blocked', subscriptions: [sub.sid], error: `in use by subscription ${sub.sid}` });
    expect(api.calls.find((c) => c.op === 'listSubscriptions')?.sid).toBe(sink.sid);
  });

  it('a delete the API refuses (subscribed in the race after the re-check) is blocked, naming the subscription', async () => {
    const sink = managed('racy');
    let raced = '';
    const api = new FakeSinksApi({
      sinks: [sink],
      beforeCall: (call, fake) => {
        if (call.op === 'deleteSink') raced = fake.subscribe(sink.sid).sid;
      },
    });
    const result = await execute(planOf([deleteAction(sink, 'racy')]), api, options());
    expect(api.count('deleteSink')).toBe(1);
    expect(api.sinks.has(sink.sid)).toBe(true);
    expect(result.results[0]).toMatchObject({ status: 'blocked', subscriptions: [raced] });
  });

  it('an API refusal without subscriptions to name is still blocked, with Twilio\'s words', async () => {
    const sink = managed('stuck');
    const api = new FakeSinksApi({
      sinks: [sink],
      fail: (call) =>
        call.op === 'deleteSink'
          ? new TwilioApiError({ status: 409, twilioCode: 20409, twilioMessage: 'Sink is locked', moreInfo: null })
          : undefined,
    });
    const result = await execute(planOf([deleteAction(sink, 'stuck')]), api, options());
    expect(result.results[0]).toMatchObject({ status: 'blocked', subscriptions: [] });
    expect(result.results[0]?.error).toMatch(/Twilio refused the delete: .*Sink is locked/);
  });

  it('credential and server errors on delete are failures, not blocks; a 404 means already gone', async () => {
    const a = managed('a');
    const b = managed('b');
    const gone = managed('gone');
    const api = new FakeSinksApi({
      sinks: [a, b],
      fail: (call) => {
        if (call.op !== 'deleteSink') return undefined;
        if (call.sid === a.sid) return new TwilioApiError({ status: 401, twilioCode: 20003, twilioMessage: 'Authenticate', moreInfo: null });
        if (call.sid === b.sid) return new TwilioApiError({ status: 500, twilioCode: null, twilioMessage: null, moreInfo: null });
        return undefined;
      },
    });
    const result = await execute(planOf([deleteAction(a, 'a'), deleteAction(b, 'b'), deleteAction(gone, 'gone')]), api, options());
    expect(result.results.map((r) => r.status)).toEqual(['failed', 'failed', 'applied']);
    expect(result.results[2]?.note).toBe('already deleted');
  });

  it('a replace whose old sink became in use creates nothing', async () => {
    const rep = managed('rep');
    const api = new FakeSinksApi({ sinks: [rep] });
    api.subscribe(rep.sid);
    const result = await execute(planOf([replaceAction(rep, 'rep')]), api, options());
    expect(api.mutatingCalls()).toEqual([]);
    expect(result.results[0]?.status).toBe('blocked');
  });

  it('a replace re-checks right before its delete: subscribed meanwhile, the new sink stays and the old is kept', async () => {
    const rep = managed('rep');
    const api = new FakeSinksApi({
      sinks: [rep],
      beforeCall: (call, fake) => {
        if (call.op === 'createSink') fake.subscribe(rep.sid);
      },
    });
    const result = await execute(planOf([replaceAction(rep, 'rep')]), api, options());
    expect(api.count('deleteSink')).toBe(0);
    expect(api.count('listSubscriptions')).toBe(2);
    expect(api.sinks.size).toBe(2);
    expect(result.results[0]).toMatchObject({ status: 'blocked' });
    expect(result.results[0]?.newSid).toMatch(/^DG/);
  });

  it('actions the planner blocked send nothing', async () => {
    const sink = managed('held');
    const api = new FakeSinksApi({ sinks: [sink] });
    const result = await execute(planOf([blockedAction(sink, 'held', ['DF00000000000000000000000000000000'])]), api, options());
    expect(api.calls).toEqual([]);
    expect(result.results[0]).toMatchObject({ status: 'blocked', subscriptions: ['DF00000000000000000000000000000000'] });
  });
});

describe('execute: failures', () => {
  it('a failed create in a replace keeps the old sink', async () => {
    const rep = managed('rep');
    const api = new FakeSinksApi({
      sinks: [rep],
      fail: (call) => (call.op === 'createSink' ? new TwilioApiError({ status: 400, twilioCode: 20001, twilioMessage: 'Invalid', moreInfo: null }) : undefined),
    });
    const result = await execute(planOf([replaceAction(rep, 'rep')]), api, options());
    expect(api.count('deleteSink')).toBe(0);
    expect(api.sinks.has(rep.sid)).toBe(true);
    expect(result.results[0]).toMatchObject({ status: 'failed' });
    expect(result.results[0]?.error).toMatch(/creating the replacement failed/);
  });

  it('a failure does not stop independent actions, in its phase or later ones', async () => {
    const old = managed('old');
    const api = new FakeSinksApi({
      sinks: [old],
      latencyMs: 1,
      fail: (call) =>
        call.op === 'createSink' && call.input?.description.startsWith('bad ')
          ? new SinkopsError('NETWORK', 'connection reset')
          : undefined,
    });
    const plan = planOf([createAction('bad'), createAction('good'), deleteAction(old, 'old')]);
    const result = await execute(plan, api, options());
    expect(result.results.map((r) => [r.action.name, r.status])).toEqual([
      ['bad', 'failed'],
      ['good', 'applied'],
      ['old', 'applied'],
    ]);
    expect(result.counts).toMatchObject({ applied: 2, failed: 1 });
  });

  it('scrubs sensitive values out of API error text and logs', async () => {
    const lines: string[] = [];
    const logger: Logger = pino({ level: 'trace' }, { write: (s: string) => void lines.push(s) });
    const secret = 'wk-very-secret-123';
    const api = new FakeSinksApi({
      fail: (call) => (call.op === 'createSink' ? new SinkopsError('TWILIO_API', `bad write key ${secret}`) : undefined),
    });
    const plan = planOf([createAction('seg', spec('seg', { sinkType: 'segment', config: { write_key: fromEnv('WK', secret) } }))]);
    const result = await execute(plan, api, options({ logger }));
    expect(result.results[0]?.error).toBe('bad write key (sensitive value)');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(secret);
  });
});

describe('execute: progress and abort', () => {
  it('reports each finished action with a running count', async () => {
    const api = new FakeSinksApi();
    const events: ProgressEvent[] = [];
    await execute(manyCreates(3), api, options({ onProgress: (e) => events.push(e) }));
    expect(events.map((e) => [e.completed, e.total])).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  it('an abort lets in-flight actions finish and skips the rest', async () => {
    const controller = new AbortController();
    const api = new FakeSinksApi({ latencyMs: 2 });
    const result = await execute(
      manyCreates(10),
      api,
      options({ parallelism: 2, signal: controller.signal, onProgress: (e) => e.completed === 2 && controller.abort() }),
    );
    expect(result.counts.applied).toBeGreaterThanOrEqual(2);
    expect(result.counts.skipped).toBeGreaterThan(0);
    expect(result.counts.applied + result.counts.skipped).toBe(10);
    expect(api.count('createSink')).toBe(result.counts.applied);
  });
});

describe('execute: a sink that stopped being ours is never touched', () => {
  const unmark = (api: FakeSinksApi, sid: string): void => {
    const sink = api.sinks.get(sid);
    if (sink !== undefined) api.sinks.set(sid, { ...sink, description: 'taken over in the Console' });
  };

  it.each([false, true])('refuses a delete whose marker was removed after the plan (dry run: %s)', async (dryRun) => {
    const old = managed('old');
    const api = new FakeSinksApi({ sinks: [old] });
    const plan = planOf([deleteAction(old, 'old')]);
    unmark(api, old.sid); // during the prompt
    const result = await execute(plan, api, options({ dryRun }));
    expect(api.sinks.has(old.sid)).toBe(true);
    expect(api.mutatingCalls()).toEqual([]);
    expect(result.results[0]).toMatchObject({ status: 'failed', error: expect.stringContaining(`refused: ${old.sid} no longer carries ${marker('old')}`) });
  });

  it('refuses an update, a replace and an adopt whose sink changed since the plan, sending nothing', async () => {
    const upd = managed('upd');
    const rep = managed('rep');
    const unmanaged = remoteSink({ description: 'hand made' });
    const api = new FakeSinksApi({ sinks: [upd, rep, unmanaged] });
    const plan = planOf([
      updateAction(upd, 'upd'),
      replaceAction(rep, 'rep', spec('rep', { config: { destination: plain('https://example.org/new'), method: plain('POST') } })),
      adoptAction(unmanaged, 'adopted'),
    ]);
    for (const sink of [upd, rep, unmanaged]) {
      api.sinks.set(sink.sid, { ...sink, sinkConfiguration: { destination: 'https://elsewhere.example/', method: 'POST' } });
    }
    const result = await execute(plan, api, options());
    expect(api.mutatingCalls()).toEqual([]);
    expect(result.results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    for (const r of result.results) expect(r.error).toMatch(/changed since the plan/);
  });

  it('refuses an adoption of a sink that another name of this stack took meanwhile', async () => {
    const unmanaged = remoteSink({ description: 'hand made' });
    const api = new FakeSinksApi({ sinks: [unmanaged] });
    const plan = planOf([adoptAction(unmanaged, 'adopted')]);
    api.sinks.set(unmanaged.sid, { ...unmanaged, description: `hand made ${marker('someone-else')}` });
    const result = await execute(plan, api, options());
    expect(api.mutatingCalls()).toEqual([]);
    expect(result.results[0]?.error).toContain('no longer carries no marker of this stack');
  });

  it('keeps the old half of a replace whose marker was removed while its successor was created', async () => {
    const rep = managed('rep');
    const api = new FakeSinksApi({
      sinks: [rep],
      beforeCall: (call, fake) => {
        if (call.op === 'createSink') unmark(fake, rep.sid);
      },
    });
    const plan = planOf([replaceAction(rep, 'rep', spec('rep', { config: { destination: plain('https://example.org/new'), method: plain('POST') } }))]);
    const result = await execute(plan, api, options());
    expect(api.sinks.has(rep.sid)).toBe(true);
    expect(api.mutatingCalls().map((c) => c.op)).toEqual(['createSink']);
    expect(result.results[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/but the old sink .* was not deleted: refused/) });
  });

  it('reports a sink deleted by someone else since the plan as already deleted, sending no delete', async () => {
    const old = managed('old');
    const api = new FakeSinksApi({ sinks: [old] });
    const plan = planOf([deleteAction(old, 'old')]);
    api.sinks.delete(old.sid);
    const result = await execute(plan, api, options());
    expect(api.mutatingCalls()).toEqual([]);
    expect(result.results[0]).toMatchObject({ status: 'applied', note: 'already deleted' });
  });
});
