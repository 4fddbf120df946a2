import { describe, expect, it } from 'vitest';
import { compareActions, sortActions } from '../../src/plan/order.js';
import { sid } from './helpers.js';

describe('action order', () => {
  it('puts creates first, deletes last and noops at the end; ties by name then sid', () => {
    const items = [
      { action: 'noop', name: 'a', sid: sid(1) },
      { action: 'delete', name: 'b', sid: sid(3) },
      { action: 'delete', name: 'b', sid: sid(2) },
      { action: 'blocked', name: 'a', sid: sid(4) },
      { action: 'replace', name: 'z', sid: sid(5) },
      { action: 'adopt', name: 'a', sid: sid(6) },
      { action: 'update', name: 'a', sid: sid(7) },
      { action: 'create', name: 'b' },
      { action: 'create', name: 'a' },
    ] as const;
    expect(sortActions(items).map((a) => `${a.action}:${a.name}:${'sid' in a ? a.sid.slice(-1) : ''}`)).toEqual([
      'create:a:',
      'create:b:',
      'update:a:7',
      'adopt:a:6',
      'replace:z:5',
      'blocked:a:4',
      'delete:b:2',
      'delete:b:3',
      'noop:a:1',
    ]);
    expect(compareActions({ action: 'create', name: 'B' }, { action: 'create', name: 'a' })).toBeLessThan(0); // code units, not locale
  });
});
