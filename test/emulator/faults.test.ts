import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SinkopsError } from '../../src/errors.js';
import { call, createSinkForm, emulator, sequence, WEBHOOK } from './helpers.js';

async function log(url: string): Promise<{ method: string; path: string; status: number }[]> {
  return ((await (await fetch(`${url}/__emulator/requests`)).json()) as { requests: { method: string; path: string; status: number }[] }).requests;
}

async function sinkCount(emu: Awaited<ReturnType<typeof emulator>>): Promise<number> {
  emu.setFaults({});
  return (await call(emu, 'GET', '/v1/Sinks')).body.sinks.length;
}

describe('fault injection', () => {
  it('adds latency to API responses but not to control paths', async () => {
    const emu = await emulator({ faults: { latencyMs: 150 } });
    let started = performance.now();
    expect((await call(emu, 'GET', '/v1/Sinks')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    started = performance.now();
    await fetch(`${emu.url}/__emulator/requests`);
    expect(performance.now() - started).toBeLessThan(140);
  });

  it('answers 500 at the error rate, drawing from the injected random', async () => {
    const emu = await emulator({ faults: { errorRate: 0.5 }, random: sequence(0.9, 0.1, 0.6) });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(emu, 'GET', '/v1/Sinks')).status);
    expect(statuses).toEqual([200, 500, 200]);
    const failed = (await log(emu.url))[1]!;
    expect(failed).toEqual({ method: 'GET', path: '/v1/Sinks', status: 500 });
  });

  it('answers 429 with Retry-After at the rate-limit rate', async () => {
    const emu = await emulator({ faults: { rateLimitRate: 0.2, retryAfterSeconds: 7 }, random: sequence(0.1, 0.3) });
    const limited = await call(emu, 'GET', '/v1/Sinks');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).toMatchObject({ code: 20429, status: 429 });
    expect((await call(emu, 'GET', '/v1/Sinks')).status).toBe(200);
  });

  it('sends no Retry-After with a 429 unless one is set (Twilio documents none for 20429)', async () => {
    const emu = await emulator({ faults: { rateLimitRate: 1 } });
    const limited = await call(emu, 'GET', '/v1/Sinks');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });
    expect(limited.headers.has('retry-after')).toBe(false);
    emu.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0 });
    expect((await call(emu, 'GET', '/v1/Sinks')).headers.get('retry-after')).toBe('0');
  });

  it('answers 429 to requests beyond the concurrency limit, with Retry-After only when set', async () => {
    const emu = await emulator({ faults: { concurrencyLimit: 2, latencyMs: 200 } });
    const results = await Promise.all([1, 2, 3, 4].map(() => call(emu, 'GET', '/v1/Sinks')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    const busy = results.find((r) => r.status === 429)!;
    expect(busy.body).toMatchObject({ code: 20429, status: 429 });
    expect(busy.headers.has('retry-after')).toBe(false);
    emu.setFaults({ concurrencyLimit: 1, latencyMs: 200, retryAfterSeconds: 3 });
    const withHeader = await Promise.all([1, 2].map(() => call(emu, 'GET', '/v1/Sinks')));
    expect(withHeader.find((r) => r.status === 429)!.headers.get('retry-after')).toBe('3');
    // Slots are given back: the next wave is admitted again.
    emu.setFaults({ concurrencyLimit: 2, latencyMs: 200 });
    const again = await Promise.all([1, 2].map(() => call(emu, 'GET', '/v1/Sinks')));
    expect(again.map((r) => r.status)).toEqual([200, 200]);
  });

  it('drops connections without handling the request', async () => {
    const emu = await emulator({ faults: { dropRate: 0.5 }, random: sequence(0.4) });
    await expect(call(emu, 'POST', '/v1/Sinks', createSinkForm('d', 'webhook', WEBHOOK))).rejects.toThrow();
    expect(await log(emu.url)).toEqual([{ method: 'POST', path: '/v1/Sinks', status: 0 }]);
    expect(await sinkCount(emu)).toBe(0);
  });

  it('drops a create after storing it when dropAfterCommitRate hits', async () => {
    const emu = await emulator({ faults: { dropAfterCommitRate: 1 } });
    await expect(call(emu, 'POST', '/v1/Sinks', createSinkForm('unknown outcome', 'webhook', WEBHOOK))).rejects.toThrow();
    // Reads are not creates: the fault leaves them alone.
    const list = await call(emu, 'GET', '/v1/Sinks');
    expect(list.body.sinks.map((s: { description: string }) => s.description)).toEqual(['unknown outcome']);
  });

  it('never applies faults to /__emulator paths', async () => {
    const emu = await emulator({ faults: { errorRate: 1, dropRate: 1, rateLimitRate: 1 }, random: () => 0 });
    const res = await fetch(`${emu.url}/__emulator/requests`);
    expect(res.status).toBe(200);
  });

  it('changes faults at run time and refuses invalid ones', async () => {
    const emu = await emulator();
    emu.setFaults({ errorRate: 1 });
    expect((await call(emu, 'GET', '/v1/Sinks')).status).toBe(500);
    emu.setFaults({});
    expect((await call(emu, 'GET', '/v1/Sinks')).status).toBe(200);
    for (const bad of [{ errorRate: 2 }, { dropRate: -0.1 }, { concurrencyLimit: 0 }, { retryAfterSeconds: 1.5 }, { latencyMs: Number.NaN }]) {
      expect(() => emu.setFaults(bad)).toThrow(SinkopsError);
    }
    await expect(emulator({ faults: { rateLimitRate: 3 } })).rejects.toMatchObject({ code: 'CONFIG' });
  });
});

describe('authentication', () => {
  it('answers 401 with a Twilio body for missing, wrong or malformed credentials', async () => {
    const emu = await emulator();
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    for (const auth of [null, `Basic ${b64(`${emu.accountSid}:wrong`)}`, `Basic ${b64(`AC${'1'.repeat(32)}:${emu.authToken}`)}`, 'Bearer abc', `Basic ${b64('no-colon')}`]) {
      const res = await call(emu, 'GET', '/v1/Sinks', undefined, auth);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
    }
    expect((await call(emu, 'POST', '/v1/Sinks', createSinkForm('d', 'webhook', WEBHOOK), null)).status).toBe(401);
    expect((await call(emu, 'GET', '/v1/Sinks')).body.sinks).toEqual([]); // nothing was created
  });

  it('accepts the credentials it is given, and an API key when configured', async () => {
    const accountSid = 'AC' + 'ab'.repeat(16);
    const key = { sid: 'SK' + 'cd'.repeat(16), secret: 'api-secret' };
    const emu = await emulator({ accountSid, authToken: 'my-token', apiKey: key });
    expect(emu.accountSid).toBe(accountSid);
    const b64 = (s: string): string => 'Basic ' + Buffer.from(s).toString('base64');
    expect((await call(emu, 'GET', '/v1/Sinks', undefined, b64(`${accountSid}:my-token`))).status).toBe(200);
    expect((await call(emu, 'GET', '/v1/Sinks', undefined, b64(`${key.sid}:${key.secret}`))).status).toBe(200);
    expect((await call(emu, 'GET', '/v1/Sinks', undefined, b64(`${key.sid}:my-token`))).status).toBe(401);
  });

  it('uses fixed test credentials by default and refuses malformed ones', async () => {
    const emu = await emulator();
    expect(emu.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(emu.authToken).not.toBe('');
    await expect(emulator({ accountSid: 'AC123' })).rejects.toMatchObject({ code: 'CONFIG' });
    await expect(emulator({ apiKey: { sid: 'XX', secret: 's' } })).rejects.toMatchObject({ code: 'CONFIG' });
  });
});

describe('control paths and the request log', () => {
  it('logs API requests with their query and status, and clears the log', async () => {
    const emu = await emulator();
    await call(emu, 'GET', '/v1/Sinks?PageSize=5&InUse=true');
    await call(emu, 'POST', '/v1/Sinks', createSinkForm('d', 'webhook', WEBHOOK));
    await call(emu, 'GET', '/v1/Sinks', undefined, null);
    // The account the credentials unlocked; none for a request that was not authenticated.
    expect(await log(emu.url)).toEqual([
      { method: 'GET', path: '/v1/Sinks?PageSize=5&InUse=true', status: 200, account: emu.accountSid },
      { method: 'POST', path: '/v1/Sinks', status: 201, account: emu.accountSid },
      { method: 'GET', path: '/v1/Sinks', status: 401 },
    ]);
    expect((await fetch(`${emu.url}/__emulator/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(await log(emu.url)).toEqual([]);
  });

  it('answers test-events for unknown sinks and unknown control paths with 404', async () => {
    const emu = await emulator();
    const res = await fetch(`${emu.url}/__emulator/sinks/DG${'0'.repeat(32)}/test-events`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 20404 });
    expect((await fetch(`${emu.url}/__emulator/nothing`)).status).toBe(404);
    expect(await log(emu.url)).toEqual([]);
  });

  it('binds to 127.0.0.1 by default', async () => {
    const emu = await emulator();
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('closing', () => {
  it('does not wait out the latency of requests in flight', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const emu = await startEmulator({ faults: { latencyMs: 10_000 } });
    const port = Number(new URL(emu.url).port);
    // In flight: the emulator has the request (and is waiting out its latency).
    const arrived = new Promise<void>((resolve) => {
      const onStart = (message: unknown): void => {
        if (((message as { server: Server }).server.address() as AddressInfo | null)?.port !== port) return;
        unsubscribe('http.server.request.start', onStart);
        resolve();
      };
      subscribe('http.server.request.start', onStart);
    });
    const pending = call(emu, 'GET', '/v1/Sinks').catch((e: unknown) => e);
    await arrived;
    const started = performance.now();
    await emu.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
