/**
 * Read-back tolerance (SPEC §12): whatever Twilio adds or hides when it reads a sink back is never
 * a reason to replace it. Pure: plain data, no server.
 */
import { describe, expect, it } from 'vitest';
import { compareImmutable, matchesCreatedSink } from '../../src/plan/compare.js';
import type { Plan } from '../../src/plan/model.js';
import { plan } from '../../src/plan/plan.js';
import { PLAN, desired, lit, remote, secret, state } from './helpers.js';

const kinds = (p: Plan): string[] => p.actions.map((a) => `${a.action}:${a.name}`);
const codes = (p: Plan): string[] => p.warnings.map((w) => w.code);

const kinesis = desired('stream', {
  type: 'kinesis',
  config: { arn: lit('arn:aws:kinesis:us-east-1:1:stream/s'), role_arn: lit('arn:aws:iam::1:role/r'), external_id: secret('EXT_ID', 'ext-123') },
});
const kinesisRemote = (externalId: unknown): ReturnType<typeof remote> =>
  remote(1, {
    name: 'stream',
    type: 'kinesis',
    config: {
      arn: 'arn:aws:kinesis:us-east-1:1:stream/s',
      role_arn: 'arn:aws:iam::1:role/r',
      ...(externalId === undefined ? {} : { external_id: externalId }),
    },
  });

describe('read-back tolerance: Twilio defaults', () => {
  it('reads method POST and batch_events false as absent, either way round', () => {
    const bare = desired('orders', { config: { destination: lit('https://example.org/orders') } });
    const explicit = desired('orders', { config: { destination: lit('https://example.org/orders'), method: lit('POST'), batch_events: lit(false) } });
    const withDefaults = remote(1, { name: 'orders', config: { destination: 'https://example.org/orders', method: 'POST', batch_events: false } });
    const without = remote(1, { name: 'orders', config: { destination: 'https://example.org/orders' } });
    for (const d of [bare, explicit]) {
      for (const r of [withDefaults, without]) {
        const p = plan([d], state([r]), PLAN);
        expect(kinds(p)).toEqual(['noop:orders']);
        expect(p.warnings).toEqual([]);
      }
    }
  });

  it('still replaces when the repository sets a value that differs from what Twilio holds', () => {
    const get = desired('orders', { config: { destination: lit('https://example.org/orders'), method: lit('GET') } });
    const r = remote(1, { name: 'orders', config: { destination: 'https://example.org/orders', method: 'POST', batch_events: false } });
    expect(kinds(plan([get], state([r]), PLAN))).toEqual(['replace:orders']);
  });
});

describe('read-back tolerance: keys only Twilio returns', () => {
  it('keeps the sink and warns once per key, naming the key, the sink and the file', () => {
    const r = remote(1, { name: 'orders', config: { destination: 'https://example.org/orders', method: 'GET', region: 'us1' } });
    const bare = desired('orders', { config: { destination: lit('https://example.org/orders') } });
    const p = plan([bare], state([r]), PLAN);
    expect(kinds(p)).toEqual(['noop:orders']);
    expect(codes(p)).toEqual(['REMOTE_ONLY_KEY', 'REMOTE_ONLY_KEY']);
    expect(p.warnings.map((w) => w.message).join('\n')).toMatch(/sink_configuration\.method.*sinks\/orders\.yaml/);
    expect(p.warnings.map((w) => w.message).join('\n')).toContain('sink_configuration.region');
  });

  it('says nothing of a sink it replaces anyway', () => {
    const r = remote(1, { name: 'orders', config: { destination: 'https://old.example/', region: 'us1' } });
    const p = plan([desired('orders')], state([r]), PLAN);
    expect(kinds(p)).toEqual(['replace:orders']);
    expect(codes(p)).toEqual([]);
  });

  it('writes a hostile remote key as a JSON string in the warning', () => {
    const r = remote(1, { name: 'orders', config: { destination: 'https://example.org/orders', method: 'POST', 'x\nError: forged': 1 } });
    const p = plan([desired('orders')], state([r]), PLAN);
    expect(p.warnings[0]?.message).toContain('sink_configuration."x\\nError: forged"');
  });
});

describe('read-back tolerance: secrets Twilio masks or leaves out', () => {
  it('compares a masked or absent secret as unverifiable: no replacement, one warning for the plan', () => {
    for (const shown of ['********', '****-123', undefined]) {
      const p = plan([kinesis], state([kinesisRemote(shown)]), PLAN);
      expect(kinds(p)).toEqual(['noop:stream']);
      expect(codes(p)).toEqual(['SECRETS_UNVERIFIABLE']);
      expect(p.warnings[0]?.message).toContain('stream (external_id)');
      expect(p.warnings[0]?.message).toContain('--replace');
    }
  });

  it('names every such sink in one warning', () => {
    const segment = desired('analytics', { type: 'segment', config: { write_key: secret('SEG', 'wk-1') } });
    const seg = remote(2, { name: 'analytics', type: 'segment', config: { write_key: '********' } });
    const p = plan([kinesis, segment], state([kinesisRemote('********'), seg]), PLAN);
    expect(codes(p)).toEqual(['SECRETS_UNVERIFIABLE']);
    expect(p.warnings[0]?.message).toContain('2 sink(s): analytics (write_key), stream (external_id)');
  });

  it('still replaces when a secret reads back in clear and differs', () => {
    expect(kinds(plan([kinesis], state([kinesisRemote('ext-OLD')]), PLAN))).toEqual(['replace:stream']);
  });

  it('does not tolerate a missing secret across a type change: the sink is replaced and the diff is whole', () => {
    const segment = desired('stream', { type: 'segment', config: { write_key: secret('SEG', 'wk-1') } });
    const c = compareImmutable(segment, kinesisRemote('ext-123'));
    expect(c.changes.map((x) => x.path)).toEqual([
      'sink_type',
      'sink_configuration.arn',
      'sink_configuration.external_id',
      'sink_configuration.role_arn',
      'sink_configuration.write_key',
    ]);
    expect(c.unverifiableKeys).toEqual([]);
  });
});

describe('matchesCreatedSink: the re-match after a create whose answer was lost', () => {
  const sent = { description: 'orders sink [sinkops:orders]', sinkType: 'webhook', sinkConfiguration: { destination: 'https://example.org/orders', method: 'POST', batch_events: false } };
  it('finds the sink as Twilio reads it back, defaults added or left out', () => {
    for (const config of [sent.sinkConfiguration, { destination: 'https://example.org/orders' }]) {
      expect(matchesCreatedSink(sent, remote(1, { name: 'orders', config }))).toBe(true);
    }
  });

  it('finds a kinesis sink whose secret reads back masked', () => {
    const input = { description: 'stream sink [sinkops:stream]', sinkType: 'kinesis', sinkConfiguration: { arn: 'arn:aws:kinesis:us-east-1:1:stream/s', role_arn: 'arn:aws:iam::1:role/r', external_id: 'ext-123' } };
    expect(matchesCreatedSink(input, kinesisRemote('********'))).toBe(true);
    expect(matchesCreatedSink(input, kinesisRemote('ext-OTHER'))).toBe(false);
  });

  it('does not take a sink with another description, type or destination', () => {
    expect(matchesCreatedSink(sent, remote(1, { name: 'other', config: sent.sinkConfiguration }))).toBe(false);
    expect(matchesCreatedSink(sent, remote(1, { name: 'orders', config: { destination: 'https://example.org/elsewhere' } }))).toBe(false);
    expect(matchesCreatedSink(sent, remote(1, { name: 'orders', type: 'segment', config: sent.sinkConfiguration }))).toBe(false);
  });
});
