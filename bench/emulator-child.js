// @ts-check
/**
 * Hosts one emulator in its own process, so that the server's work (serialising 1,000-sink pages,
 * the latency timers) does not share an event loop with the code being measured, as with Twilio.
 * Driven over IPC by lib/emulator-process.js: {start: EmulatorOptions} → {ready: url}, then
 * {close} → exit. The request log is read over HTTP (`/__emulator/requests`), like a test would.
 */
import { startEmulator } from '../dist/emulator/index.js';

/** @type {import('../dist/emulator/index.js').RunningEmulator | undefined} */
let emulator;

process.on('message', (/** @type {any} */ message) => {
  void (async () => {
    try {
      if (message.start !== undefined) {
        emulator = await startEmulator({ ...message.start, host: '127.0.0.1', port: 0 });
        process.send?.({ ready: emulator.url, accountSid: emulator.accountSid, authToken: emulator.authToken });
      } else if (message.close === true) {
        await emulator?.close();
        process.disconnect();
      }
    } catch (e) {
      process.send?.({ error: e instanceof Error ? e.message : String(e) });
    }
  })();
});
