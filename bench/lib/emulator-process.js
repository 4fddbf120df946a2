// @ts-check
/** The parent's handle on an emulator running in bench/emulator-child.js. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { TwilioClient } from '../../dist/twilio/client.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_MS } from '../../dist/twilio/config.js';

const CHILD = fileURLToPath(new URL('../emulator-child.js', import.meta.url));

/**
 * @typedef {object} BenchEmulator
 * @property {string} url
 * @property {string} accountSid  the account SID it accepts (with `config.password`)
 * @property {import('../../dist/twilio/config.js').TwilioConfig} config  what a client needs to reach it
 * @property {() => Promise<{method: string, path: string, status: number, account?: string}[]>} requests  the API requests since the last clear
 *   (`account`: whose credentials the request carried)
 * @property {() => Promise<void>} clearRequests
 * @property {(options?: import('../../dist/twilio/client.js').TwilioClientOptions) => TwilioClient} client  a new client (own pool)
 * @property {() => Promise<void>} close
 */

/**
 * @param {import('../../dist/emulator/index.js').EmulatorOptions} options  sent over IPC, so plain data only
 * @param {{ execArgv?: string[] }} [node]  Node options of the emulator's process (default: the
 *   bench's own), for example `--cpu-prof` to see where the emulator's time goes
 * @returns {Promise<BenchEmulator>}
 */
export async function startEmulatorProcess(options, node = {}) {
  const child = fork(CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    ...(node.execArgv === undefined ? {} : { execArgv: node.execArgv }),
  });
  /** @type {{ready: string, accountSid: string, authToken: string}} */
  const ready = await new Promise((resolve, reject) => {
    child.once('message', (/** @type {any} */ m) => (m.error === undefined ? resolve(m) : reject(new Error(`emulator: ${m.error}`))));
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code} before it was ready`)));
    child.send({ start: options });
  });
  const url = ready.ready;
  /** @type {import('../../dist/twilio/config.js').TwilioConfig} */
  const config = {
    baseUrl: url,
    username: ready.accountSid,
    password: ready.authToken,
    accountSid: ready.accountSid,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxRetries: DEFAULT_MAX_RETRIES,
    pageSize: DEFAULT_PAGE_SIZE,
  };
  const silent = pino({ level: 'silent' });
  return {
    url,
    accountSid: ready.accountSid,
    config,
    async requests() {
      const res = await fetch(`${url}/__emulator/requests`);
      if (!res.ok) throw new Error(`GET /__emulator/requests answered ${res.status}`);
      return /** @type {{requests: {method: string, path: string, status: number, account?: string}[]}} */ (await res.json()).requests;
    },
    async clearRequests() {
      const res = await fetch(`${url}/__emulator/requests`, { method: 'DELETE' });
      if (res.status !== 204) throw new Error(`DELETE /__emulator/requests answered ${res.status}`);
    },
    client: (clientOptions = {}) => new TwilioClient(config, { logger: silent, ...clientOptions }),
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ close: true });
      await exited;
    },
  };
}
