/**
 * The CLI's error report (reportError in src/cli/main.ts) shows what it quotes from outside — a
 * command-line value, Twilio's error message — with every control, bidi and invisible character
 * escaped, and keeps its own line structure: the message on one line, each detail on its own.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { terminalSafe } from '../../src/terminal-safe.js';
import { bufferIo, REPO_ROOT, removeTree, tempTree } from '../desired/helpers.js';
import { EVIL, expectTerminalSafe } from '../render/hostile.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An Events API stand-in, in this process, that answers every request with Twilio's 401 and a hostile message. */
async function unauthorisedApi(message: string): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 20003, message, more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('reportError', () => {
  it('escapes a hostile command-line value in a usage error, on one line', async () => {
    const io = bufferIo(REPO_ROOT);
    expect(await run([`x${EVIL}`], io)).toBe(1);
    const err = io.err();
    expect(err.endsWith('\n')).toBe(true);
    expect(err.slice(0, -1).split('\n')).toHaveLength(1);
    expectTerminalSafe(err);
    expect(err).toContain(`Error: unknown command '${terminalSafe(`x${EVIL}`)}'`);
  });

  it("escapes Twilio's error message, and keeps the newline between the message and its details", async () => {
    const dir = await tempTree({
      'sinks/orders.yaml': 'name: orders\ndescription: Orders\nsink_type: webhook\nsink_configuration:\n  destination: https://example.org/orders\n',
    });
    cleanups.push(() => removeTree(dir));
    const io = bufferIo(dir, {
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'not-a-real-token',
      TWILIO_EVENTS_BASE_URL: await unauthorisedApi(EVIL),
      LOG_LEVEL: 'silent',
    });
    expect(await run(['plan', '--dir', 'sinks'], io)).toBe(1);
    const lines = io.err().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`Error: Twilio API error 20003 (HTTP 401): ${terminalSafe(EVIL)} — more info: https://www.twilio.com/docs/errors/20003`);
    expect(lines[1]).toMatch(/^ {2}Check the credentials in TWILIO_ACCOUNT_SID/);
    expectTerminalSafe(io.err());
  });
});
