import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffMs, classifyTransportError, parseRetryAfter } from '../../src/twilio/retry.js';

function withCode(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(['0'], now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('is full jitter over an exponential window with a cap', () => {
    expect(backoffMs(0, () => 0.999)).toBe(199);
    expect(backoffMs(3, () => 0.5)).toBe(800);
    expect(backoffMs(20, () => 0.999)).toBe(Math.floor(0.999 * BACKOFF_CAP_MS));
    expect(backoffMs(4, () => 0)).toBe(0);
  });
});

describe('classifyTransportError', () => {
  it('knows failures before the request left', () => {
    expect(classifyTransportError(withCode('ECONNREFUSED'))).toBe('not-sent');
    expect(classifyTransportError(new errors.ConnectTimeoutError())).toBe('not-sent');
  });
  it('treats resets, dropped sockets and timeouts as an unknown outcome', () => {
    expect(classifyTransportError(withCode('ECONNRESET'))).toBe('unknown');
    expect(classifyTransportError(new errors.SocketError('other side closed'))).toBe('unknown');
    expect(classifyTransportError(new errors.HeadersTimeoutError())).toBe('unknown');
    expect(classifyTransportError(new errors.BodyTimeoutError())).toBe('unknown');
    expect(classifyTransportError(Object.assign(new Error('fetch failed'), { cause: withCode('ECONNRESET') }))).toBe('unknown');
  });
  it('does not retry what cannot get better', () => {
    expect(classifyTransportError(withCode('ENOTFOUND'))).toBe('fatal');
    expect(classifyTransportError(withCode('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('fatal');
    expect(classifyTransportError(new Error('boom'))).toBe('fatal');
  });
});
