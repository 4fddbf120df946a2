/**
 * pino and pino-pretty, loaded synchronously when the logger first writes a line (src/log/logger.ts):
 * a run that logs nothing, `sinkops validate` at the default level for one, never loads them, nor
 * what they pull in (worker_threads, assert, streams): SPEC §10 "Start-up".
 *
 * Here (tsc's dist/, and vitest running src/) they are required from node_modules. The bundles
 * (scripts/bundle.mjs) replace this module with one whose `require('pino')` esbuild resolves: the
 * CLI bundle requires them from node_modules as here, the action bundle, which runs without
 * node_modules, carries them inside.
 */
import { createRequire } from 'node:module';
import type * as Pino from 'pino';
import type * as PinoPretty from 'pino-pretty';

const require = createRequire(import.meta.url);

export function loadPino(): typeof Pino {
  return require('pino') as typeof Pino;
}

export function loadPinoPretty(): typeof PinoPretty {
  return require('pino-pretty') as typeof PinoPretty;
}
