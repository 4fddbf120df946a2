/**
 * The local Events API emulator (SPEC §8, §13, §14): a stateful stand-in for the Events v1
 * endpoints that sinkops uses (sinks, subscriptions and their event types, the event-type
 * catalogue) and for the 2010 API's Accounts, serving many accounts, for `sinkops emulator`,
 * `--local`, tests and benchmarks.
 */
export type { CatalogueEventType, CatalogueSchema, CatalogueSchemaVersion, EventTypeStatus } from './catalogue.js';
export { EVENT_SCHEMAS, EVENT_TYPES } from './catalogue.js';
export type {
  AccountStatus,
  Activation,
  EmulatorAccount,
  EmulatorFaults,
  EmulatorOptions,
  EmulatorSeed,
  NewEmulatorAccount,
  ReadBack,
  RunningEmulator,
  SeedAccount,
  SeedSink,
  SeedSubscription,
} from './options.js';
export { ACCOUNT_STATUSES, ACTIVATIONS, DEFAULT_SINK_LIMIT, EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, faultProblems, READ_BACKS } from './options.js';
export { MASKED_SECRET } from './resources.js';
export type { LoggedRequest } from './request-log.js';
export { loadSeed } from './seed.js';
export { startEmulator } from './server.js';
