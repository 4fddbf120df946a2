/**
 * Secrets are needed only by the actions that send them (issue 12): a create, a replacement, an
 * adoption that replaces. An update or an adoption in place sends a description alone; a blocked
 * action sends nothing; a dry run sends no configuration at all. And `--detailed-exitcode`'s
 * predicate: a plan is runnable only when an apply would send something (SPEC §9).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/apply/execute.js';
import { assertKnown, configurations, outgoing, unknownValues } from '../../src/apply/preflight.js';
import type { SubscriptionAction } from '../../src/plan/model.js';
import { hasChanges, hasRunnableActions } from '../../src/plan/safety.js';
import { toSaved } from '../../src/plan/saved-plan.js';
import { FakeSinksApi, remoteSink } from '../helpers/fake-sinks-api.js';
import { adoptAction, blockedAction, createAction, deleteAction, fromEnv, marker, noopAction, planOf, replaceAction, spec, updateAction } from './plan-builders.js';

const silent = pino({ level: 'silent' });
const unset = (name: string) => spec(name, { sinkType: 'segment', config: { write_key: fromEnv('WK', undefined) } });
const managedSink = (name: string) => remoteSink({ description: `${name} events ${marker(name)}` });
const strangers = (description: string) => remoteSink({ description });

describe('outgoing: the actions that send a configuration', () => {
  const kept = managedSink('upd');
  const adopted = strangers('hand made');
  const replaced = managedSink('rep');
  const taken = strangers('hand made too');
  const actions = [
    createAction('new', unset('new')),
    updateAction(kept, 'upd'),
    adoptAction(adopted, 'adopted', false, unset('adopted')),
    replaceAction(replaced, 'rep', unset('rep')),
    adoptAction(taken, 'taken', true, unset('taken')),
    deleteAction(managedSink('gone'), 'gone'),
    blockedAction(managedSink('held'), 'held', ['DF1']),
    noopAction(managedSink('same'), 'same'),
  ];

  it('are the creates, replacements and adoptions that replace — in a plan and in a saved plan', () => {
    expect(outgoing(actions).map((s) => s.name)).toEqual(['new', 'rep', 'taken']);
    expect(outgoing(toSaved(planOf(actions), { verbose: true }).actions).map((s) => s.name)).toEqual(['new', 'rep', 'taken']);
  });

  it('leaves every configuration to scrub, sent or not', () => {
    expect(configurations(actions).map((s) => s.name)).toEqual(['new', 'upd', 'adopted', 'rep', 'taken']);
  });

  it('names sink, place, key and variable of each unknown value, never a value', () => {
    expect(unknownValues(outgoing(actions))).toEqual([
      'sink "new" (sinks/new.yaml:1): sink_configuration.write_key needs environment variable WK, which is not set',
      'sink "rep" (sinks/rep.yaml:1): sink_configuration.write_key needs environment variable WK, which is not set',
      'sink "taken" (sinks/taken.yaml:1): sink_configuration.write_key needs environment variable WK, which is not set',
    ]);
    expect(() => assertKnown(outgoing(actions))).toThrow(/Cannot apply: 3 configuration values are unknown\. Nothing was sent\./);
  });
});

describe('execute with unknown values', () => {
  it('applies adoptions in place and updates whose configuration is unknown: they send the description alone', async () => {
    const adopted = strangers('hand made');
    const kept = managedSink('upd');
    const api = new FakeSinksApi({ sinks: [adopted, kept] });
    const after = { ...unset('adopted'), sinkType: 'webhook' as const };
    const result = await execute(planOf([adoptAction(adopted, 'adopted', false, after), updateAction(kept, 'upd')]), api, { parallelism: 2, dryRun: false, logger: silent });
    expect(result.counts).toMatchObject({ applied: 2, failed: 0 });
    expect(api.mutatingCalls().map((c) => c.op)).toEqual(['updateSink', 'updateSink']);
  });

  it('refuses a create whose value is unknown before any request', async () => {
    const api = new FakeSinksApi();
    await expect(execute(planOf([createAction('new', unset('new'))]), api, { parallelism: 2, dryRun: false, logger: silent })).rejects.toMatchObject({ code: 'CONFIG' });
    expect(api.calls).toEqual([]);
  });

  it('runs a dry run without them: it sends no configuration', async () => {
    const api = new FakeSinksApi();
    const result = await execute(planOf([createAction('new', unset('new'))]), api, { parallelism: 2, dryRun: true, logger: silent });
    expect(result.counts).toMatchObject({ planned: 1 });
    expect(api.mutatingCalls()).toEqual([]);
  });
});

describe('hasRunnableActions', () => {
  const subscription = (action: SubscriptionAction['action']): SubscriptionAction => ({ action, sink: 's', name: 'n', reason: 'changed', changes: [], events: [] });

  it('is false for a plan of blocked actions and noops alone, which still has changes', () => {
    const plan = planOf([blockedAction(managedSink('held'), 'held', ['DF1']), noopAction(managedSink('same'), 'same')], { subscriptions: [subscription('noop')] });
    expect(hasRunnableActions(plan)).toBe(false);
    expect(hasChanges(plan)).toBe(true);
    expect(hasRunnableActions(planOf([]))).toBe(false);
  });

  it('is true for any sink action that sends requests, or any subscription action but noop', () => {
    const held = blockedAction(managedSink('held'), 'held', ['DF1']);
    for (const action of [createAction('a'), updateAction(managedSink('u'), 'u'), adoptAction(strangers('x'), 'x'), replaceAction(managedSink('r'), 'r'), deleteAction(managedSink('d'), 'd')]) {
      expect(hasRunnableActions(planOf([held, action])), action.action).toBe(true);
    }
    for (const kind of ['create', 'update', 'move', 'delete'] as const) {
      expect(hasRunnableActions(planOf([held], { subscriptions: [subscription(kind)] })), kind).toBe(true);
    }
  });
});
