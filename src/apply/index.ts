/** The apply stage's public surface. */
export { execute, countResults } from './execute.js';
export { AdaptiveLimiter, type Permit } from './limiter.js';
export { assertKnown, assertResolved, assertNoPlanErrors, configurations, outgoing, unknownValues, type OutgoingSink } from './preflight.js';
export { renderApplyResult, renderText, renderMarkdown, renderJson, summaryLine } from './render-result.js';
export { progressReporter, formatProgress, formatProgressCount, PROGRESS_INTERVAL_MS, type ProgressOptions } from './progress.js';
export { describeResult } from './describe.js';
export type {
  ActionResult,
  ApplyOptions,
  ApplyResult,
  ExecutableAction,
  ProgressEvent,
  ResultCounts,
  ResultStatus,
} from './model.js';
