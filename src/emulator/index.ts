/**
 * The local Events API emulator (SPEC §8): a stateful stand-in for the Events v1 endpoints that
 * sinkops uses, for `sinkops emulator`, `--local`, tests and benchmarks.
 */
export type { EmulatorFaults, EmulatorOptions, EmulatorSeed, RunningEmulator, SeedSink, SeedSubscription } from './options.js';
export { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, faultProblems } from './options.js';
export type { LoggedRequest } from './request-log.js';
export { loadSeed } from './seed.js';
export { startEmulator } from './server.js';
