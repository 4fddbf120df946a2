import { describe, expect, it } from 'vitest';
import { hasAnyMarker, markerFor, parseMarker, withMarker } from '../../src/plan/marker.js';

describe('ownership markers', () => {
  it('formats with and without a stack', () => {
    expect(markerFor('orders')).toBe('[sinkops:orders]');
    expect(markerFor('orders', 'prod')).toBe('[sinkops:prod/orders]');
    expect(withMarker('Orders events', 'orders')).toBe('Orders events [sinkops:orders]');
    expect(withMarker('', 'orders', 'prod')).toBe('[sinkops:prod/orders]');
  });

  it('reads only a marker at the very end', () => {
    expect(parseMarker('Orders [sinkops:orders]')).toBe('orders');
    expect(parseMarker('[sinkops:orders] moved')).toBeUndefined();
    expect(parseMarker('Orders [sinkops:orders] ')).toBeUndefined();
    expect(parseMarker('Orders')).toBeUndefined();
  });

  it('treats another stack (or no stack) as unmanaged', () => {
    expect(parseMarker('x [sinkops:prod/orders]')).toBeUndefined();
    expect(parseMarker('x [sinkops:prod/orders]', 'prod')).toBe('orders');
    expect(parseMarker('x [sinkops:dev/orders]', 'prod')).toBeUndefined();
    expect(parseMarker('x [sinkops:orders]', 'prod')).toBeUndefined();
    expect(hasAnyMarker('x [sinkops:dev/orders]')).toBe(true);
  });

  it('rejects names sinkops could not have written', () => {
    expect(parseMarker('x [sinkops:Orders]')).toBeUndefined();
    expect(parseMarker('x [sinkops:-a]')).toBeUndefined();
  });
});
