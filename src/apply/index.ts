/** The apply stage's public surface. */
export { execute, countResults } from './execute.js';
export { AdaptiveLimiter, type Permit } from './limiter.js';
export { assertResolved, assertNoPlanErrors } from './preflight.js';
export { renderApplyResult, renderText, renderMarkdown, renderJson, summaryLine } from './render-result.js';
export { progressReporter, formatProgress } from './progress.js';
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
