/** The JSON renderer (SPEC §6): the plan in its wire form (src/plan/codec.ts), noops listed only when verbose. */
import { encodePlan } from '../plan/codec.js';
import type { Plan } from '../plan/model.js';
import { toSaved } from '../plan/saved-plan.js';
import type { RenderOptions } from './options.js';

export function renderJson(plan: Plan, options: RenderOptions): string {
  return `${JSON.stringify(encodePlan(toSaved(plan, options)), null, 2)}\n`;
}
