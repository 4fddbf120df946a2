import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggestionSuffix } from '../../src/desired/did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['destination', 'destinaton', 1], // missing letter
    ['method', 'mehtod', 1], // swapped letters count once
    ['arn', 'ran', 1],
    ['write_key', 'write_keys', 1],
  ])('%j → %j = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const top = ['name', 'description', 'sink_type', 'sink_configuration', 'sid'];
  it.each([
    ['sinktype', 'sink_type'],
    ['sinkType', 'sink_type'],
    ['sink-configuration', 'sink_configuration'],
    ['descripton', 'description'],
    ['nmae', 'name'],
    ['Name', 'name'],
  ])('%s → %s', (input, expected) => {
    expect(didYouMean(input, top)).toBe(expected);
  });

  it('says nothing when no candidate is close', () => {
    expect(didYouMean('colour', top)).toBeUndefined();
    expect(didYouMean('x', top)).toBeUndefined();
    expect(didYouMean('', top)).toBeUndefined();
  });

  it('allows fewer edits for short words', () => {
    // 'ab' → 'sid' is 2 edits, too many for a 2-letter word.
    expect(didYouMean('ab', top)).toBeUndefined();
    expect(didYouMean('sd', top)).toBe('sid');
  });

  it('prefers the closest candidate, then the first', () => {
    expect(didYouMean('post', ['GET', 'POST'])).toBe('POST');
    expect(didYouMean('abcd', ['abce', 'abcf'])).toBe('abce');
    expect(didYouMean('abcdef', ['abcxyz', 'abcdex'])).toBe('abcdex');
  });

  it('never suggests the input itself', () => {
    expect(didYouMean('name', ['name'])).toBeUndefined();
  });

  it('formats a suffix', () => {
    expect(suggestionSuffix('sinktype', top)).toBe("; did you mean 'sink_type'?");
    expect(suggestionSuffix('zzz', top)).toBe('');
  });
});
