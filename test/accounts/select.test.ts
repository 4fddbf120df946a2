import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/accounts/glob.js';
import { fleetsNeeded, selectTargets } from '../../src/accounts/select.js';
import { config, fleet, named } from './helpers.js';

const TARGETS = [
  { name: 'customers/cust-a', fleet: 'customers' },
  { name: 'customers/cust-b', fleet: 'customers' },
  { name: 'customers/ACdeadbeefdeadbeefdeadbeefdeadbeef', fleet: 'customers' },
  { name: 'partners/p-1', fleet: 'partners' },
  { name: 'production' },
  { name: 'staging' },
];

const names = (patterns: string[], options = {}): string[] => selectTargets(TARGETS, patterns, options).map((t) => t.name);

describe('globMatch', () => {
  it('matches * as any run, ? as one character, the rest literally, the whole text', () => {
    expect(globMatch('cust-*', 'cust-a')).toBe(true);
    expect(globMatch('cust-*', 'cust-')).toBe(true);
    expect(globMatch('cust-*', 'xcust-a')).toBe(false);
    expect(globMatch('*-a', 'cust-a')).toBe(true);
    expect(globMatch('c?st-a', 'cust-a')).toBe(true);
    expect(globMatch('c?st-a', 'cst-a')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('[ab]', '[ab]')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('a*b*c', 'aXbYbZc')).toBe(true);
  });

  it('agrees with a regular-expression reading of the same pattern', () => {
    const char = fc.constantFrom('a', 'b', '-', '*', '?', '.');
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', '-', '.'), maxLength: 10 }), (pattern, text) => {
        const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
        expect(globMatch(pattern, text)).toBe(re.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays linear on a pattern that makes a backtracking matcher explode', () => {
    const started = performance.now();
    expect(globMatch('*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('selectTargets', () => {
  it('selects everything without a pattern', () => {
    expect(names([])).toEqual(TARGETS.map((t) => t.name));
  });

  it('matches a named account, or every member of a fleet, by a pattern without /', () => {
    expect(names(['production'])).toEqual(['production']);
    expect(names(['customers'])).toEqual(['customers/cust-a', 'customers/cust-b', 'customers/ACdeadbeefdeadbeefdeadbeefdeadbeef']);
    expect(names(['*ing'])).toEqual(['staging']);
    expect(names(['p*'])).toEqual(['partners/p-1', 'production']);
    expect(names(['*'])).toEqual(TARGETS.map((t) => t.name));
  });

  it('matches fleet members by their full name with a pattern with /, * never crossing it', () => {
    expect(names(['customers/cust-?'])).toEqual(['customers/cust-a', 'customers/cust-b']);
    expect(names(['*/p-*'])).toEqual(['partners/p-1']);
    expect(names(['*/*'])).toEqual(TARGETS.filter((t) => t.fleet !== undefined).map((t) => t.name));
    expect(names(['customers/AC*'])).toEqual(['customers/ACdeadbeefdeadbeefdeadbeefdeadbeef']);
  });

  it('keeps the targets’ order and each target once, whatever the patterns', () => {
    expect(names(['staging', 'customers/cust-b', 'production', 'customers'])).toEqual([
      'customers/cust-a',
      'customers/cust-b',
      'customers/ACdeadbeefdeadbeefdeadbeefdeadbeef',
      'production',
      'staging',
    ]);
  });

  it('refuses a pattern that matches nothing, with a hint', () => {
    expect(() => names(['prodution'])).toThrowError(expect.objectContaining({ code: 'USAGE', message: "--account 'prodution' matches no account; did you mean 'production'?" }));
    expect(() => names(['cust-a'])).toThrowError("--account 'cust-a' matches no account; fleet members are named <fleet>/<name>: did you mean 'customers/cust-a'?");
    expect(() => names(['cust-*'])).toThrowError("did you mean 'customers/cust-a' (or 1 more)?");
    expect(() => names(['customers/cust-c'])).toThrowError("--account 'customers/cust-c' matches no account; did you mean 'customers/cust-a'?");
    expect(() => names(['customers/x/y'])).toThrowError(/matches no account/);
  });

  it('reports every pattern that matches nothing at once, and lists the accounts', () => {
    try {
      names(['production', 'nope', 'prodution']);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({
        code: 'USAGE',
        message: '2 --account patterns match no account',
        details: [
          "--account 'nope' matches no account",
          "--account 'prodution' matches no account; did you mean 'production'?",
          'The accounts are production, staging, customers, partners; fleet members are <fleet>/<name>.',
        ],
      });
    }
  });

  it('does not call a declared fleet a typo when none of its members is here (empty, or not listed)', () => {
    expect(names(['vendors'], { fleets: ['customers', 'partners', 'vendors'] })).toEqual([]);
    expect(names(['vendors/v-1', 'production'], { fleets: ['customers', 'partners', 'vendors'] })).toEqual(['production']);
    expect(() => names(['vendors'])).toThrowError(/matches no account/);
    // A fleet that was listed, with members: a member it does not have is a typo.
    expect(() => names(['customers/cust-z'], { fleets: ['customers'] })).toThrowError(/matches no account/);
  });

  it('shows a hostile pattern escaped', () => {
    expect(() => names(['\u001b[2Jx\n'])).toThrowError("--account '\\u001b[2Jx\\n' matches no account");
  });

  it('refuses an empty or absurdly long pattern', () => {
    expect(() => names([''])).toThrowError(expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(/^--account needs an account name or a pattern/) }));
    expect(() => names(['x'.repeat(300)])).toThrowError(/longer than 256 characters/);
  });
});

describe('fleetsNeeded', () => {
  const cfg = config([named('production')], [fleet('customers'), fleet('partners')]);
  const needed = (patterns: string[]): string[] => fleetsNeeded(patterns, cfg).map((f) => f.name);

  it('is every fleet without a pattern, and no fleet for patterns that name accounts only', () => {
    expect(needed([])).toEqual(['customers', 'partners']);
    expect(needed(['production'])).toEqual([]);
    expect(needed(['staging', 'prod*'])).toEqual([]);
  });

  it('is the fleets a pattern can reach, whole or by member', () => {
    expect(needed(['customers'])).toEqual(['customers']);
    expect(needed(['customers/cust-a'])).toEqual(['customers']);
    expect(needed(['*/x'])).toEqual(['customers', 'partners']);
    expect(needed(['p*'])).toEqual(['partners']);
    expect(needed(['*'])).toEqual(['customers', 'partners']);
    expect(needed(['customers/a/b'])).toEqual([]);
  });
});
