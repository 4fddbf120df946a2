/**
 * SIGINT and SIGTERM handling (src/cli/interrupt.ts) with an injected signal source and exit: the
 * first signal aborts, the second exits 130 at once, and the handlers go when the command ends.
 * The prompt ends when its signal aborts. The process-level behaviour of apply is in
 * test/e2e/interrupt.test.ts.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirmApply } from '../../src/cli/confirm.js';
import { onInterrupt } from '../../src/cli/interrupt.js';
import { SinkopsError } from '../../src/errors.js';
import type { Io } from '../../src/io.js';

function setup() {
  const source = new EventEmitter();
  const exits: number[] = [];
  const firsts: string[] = [];
  let stderr = '';
  const interrupt = onInterrupt({
    command: 'apply',
    stderr: { write: (s: string) => void (stderr += s) },
    onFirst: (signal) => firsts.push(signal),
    source,
    exit: (code) => exits.push(code),
  });
  return { source, exits, firsts, interrupt, stderr: () => stderr };
}

describe('onInterrupt', () => {
  it('aborts its signal at the first SIGINT, with an INTERRUPTED reason, and does not exit', () => {
    const t = setup();
    expect(t.interrupt.signal.aborted).toBe(false);
    expect(t.interrupt.received).toBeUndefined();
    t.source.emit('SIGINT', 'SIGINT');
    expect(t.interrupt.signal.aborted).toBe(true);
    expect(t.interrupt.signal.reason).toBeInstanceOf(SinkopsError);
    expect(t.interrupt.signal.reason).toMatchObject({ code: 'INTERRUPTED', message: 'sinkops apply was interrupted (SIGINT)' });
    expect(t.interrupt.received).toBe('SIGINT');
    expect(t.firsts).toEqual(['SIGINT']);
    expect(t.exits).toEqual([]);
    t.interrupt.dispose();
  });

  it('exits 130 at once at the second signal, SIGINT or SIGTERM, saying so', () => {
    const t = setup();
    t.source.emit('SIGTERM', 'SIGTERM');
    t.source.emit('SIGINT', 'SIGINT');
    expect(t.interrupt.received).toBe('SIGTERM');
    expect(t.firsts).toEqual(['SIGTERM']);
    expect(t.exits).toEqual([130]);
    expect(t.stderr()).toContain('Interrupted again (SIGINT): exiting now, without waiting for the requests in flight.');
    t.interrupt.dispose();
  });

  it('removes its handlers when disposed', () => {
    const t = setup();
    expect(t.source.listenerCount('SIGINT')).toBe(1);
    expect(t.source.listenerCount('SIGTERM')).toBe(1);
    t.interrupt.dispose();
    expect(t.source.listenerCount('SIGINT')).toBe(0);
    expect(t.source.listenerCount('SIGTERM')).toBe(0);
  });

  it('installs on the process by default, and leaves it as it was', () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const interrupt = onInterrupt({ command: 'apply', stderr: { write: () => undefined } });
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before.map((n) => n + 1));
    interrupt.dispose();
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });
});

describe('confirmApply with a signal', () => {
  const io = (stdin: PassThrough): Io => ({
    stdout: { write: () => undefined },
    stderr: { write: () => undefined },
    stdin: Object.assign(stdin, { isTTY: true }),
    env: {},
    cwd: '.',
  });

  it('ends the question with the signal\'s reason when it aborts', async () => {
    const controller = new AbortController();
    const asking = confirmApply(io(new PassThrough()), 'apply', controller.signal);
    const reason = new SinkopsError('INTERRUPTED', 'interrupted; nothing was applied');
    controller.abort(reason);
    await expect(asking).rejects.toBe(reason);
  });

  it('does not ask once the signal has aborted, and still takes "yes" otherwise', async () => {
    const reason = new SinkopsError('INTERRUPTED', 'too late');
    await expect(confirmApply(io(new PassThrough()), 'apply', AbortSignal.abort(reason))).rejects.toBe(reason);
    const stdin = new PassThrough();
    const asking = confirmApply(io(stdin), 'apply', new AbortController().signal);
    stdin.write('yes\n');
    await expect(asking).resolves.toBeUndefined();
  });
});
