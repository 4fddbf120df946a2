/** The action's entry point (action.yml `runs.main`, once bundled): see action.ts. */
import { processIo } from '../src/io.js';
import { runAction } from './action.js';

runAction(process.env, processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`Internal error in the sinkops action: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
