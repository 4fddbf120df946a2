/**
 * The renderers, interchangeable and keyed by `--format`. Each reads a Plan and returns a string;
 * none computes what changed (the planner did). The PR comment is the Markdown renderer's output.
 * Apply results have their own set of the same shape (src/apply/render-result.ts).
 */
import type { Plan } from '../plan/model.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { RenderFormat, RenderOptions } from './options.js';
import { renderText } from './text.js';

export type { RenderContext, RenderFormat, RenderOptions } from './options.js';
export { RENDER_FORMATS } from './options.js';
export { JOB_SUMMARY_LIMIT, MARKDOWN_LIMIT, MARKDOWN_MIN_CHARS } from './markdown.js';
export { COMMIT_PATTERN, RUN_URL_PATTERN } from './context.js';

/** One renderer per format, for one kind of document (a plan, an apply result). */
export type Renderers<T> = Readonly<Record<RenderFormat, (value: T, options: RenderOptions) => string>>;

export const RENDERERS: Renderers<Plan> = {
  text: renderText,
  markdown: renderMarkdown,
  json: renderJson,
};

export function renderPlan(plan: Plan, format: RenderFormat, options: RenderOptions): string {
  return RENDERERS[format](plan, options);
}
