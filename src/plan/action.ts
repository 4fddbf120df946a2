/**
 * The action vocabulary (SPEC §4, §5): the closed set of things sinkops does to a sink, and all that
 * the stages say or decide about each one — Terraform's symbol, the verbs, the summary phrase, the
 * place in the one order (which is also the executor's phase), and whether it removes a sink.
 *
 * Renderers, the executor, the result renderers, the plan hash and the plan codec read this table;
 * none keeps a second one. Adding an action kind is a row here and a case in the planner (the
 * compiler then names every `switch` that must say what the new kind looks like).
 */

/** The kinds, in the order summaries count them. `blocked` is an action the planner refused to plan. */
export const ACTION_KINDS = ['create', 'update', 'adopt', 'replace', 'delete', 'blocked', 'noop'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * What an action does, which is its kind except for one case: an adoption whose configuration
 * differs replaces the sink, and is shown, ordered and run as the replacement it is.
 */
export type Effect = ActionKind | 'adopt-replace';

/** The fields of an action that decide its effect and its words. */
export interface ActionShape {
  readonly action: ActionKind;
  /** adopt: the configuration differs too, so the adopted sink is replaced. */
  readonly replace?: boolean;
  /** blocked: what the planner would have done. */
  readonly intended?: 'delete' | 'replace' | 'adopt';
}

export type ActionSymbol = '+' | '~' | '+/-' | '-' | '!' | '=';

interface Traits {
  /** Terraform's symbol, in text and Markdown. */
  readonly symbol: ActionSymbol;
  /** What the symbol means, for the legend above a text plan. */
  readonly legend: string;
  /** The verb of "would create", "failed to create", "blocked create of". */
  readonly verb: string;
  /** After a successful apply: "created". */
  readonly past: string;
  /** The Markdown table's word for it. */
  readonly label: string;
  /** `Plan: 1 to create, …`: the phrase, and whether it is printed when the count is 0. */
  readonly summary?: { readonly phrase: string; readonly always: boolean };
  /**
   * Place in the one order (lowest first), and the executor's phase: phases run one after another.
   * Creates go first and deletes last (as gitops-engine prunes last), so a failure halfway leaves
   * extra sinks rather than missing ones; in-place updates and adoptions come before replacements,
   * whose delete half is the riskiest step before the prunes; blocked actions sit next to the
   * deletes they stand in for (they send nothing); noops change nothing and come last.
   */
  readonly rank: number;
  /** Removes a sink (a delete, or the old half of a replacement): counted by `--max-deletes`. */
  readonly removes: boolean;
  /** Sends a request that changes the account (blocked actions and noops send nothing). */
  readonly sends: boolean;
}

const TRAITS: Readonly<Record<Effect, Traits>> = {
  create: {
    symbol: '+',
    legend: 'create',
    verb: 'create',
    past: 'created',
    label: 'create',
    summary: { phrase: 'to create', always: true },
    rank: 0,
    removes: false,
    sends: true,
  },
  update: {
    symbol: '~',
    legend: 'update in place (or adopt)',
    verb: 'update',
    past: 'updated',
    label: 'update',
    summary: { phrase: 'to update', always: true },
    rank: 1,
    removes: false,
    sends: true,
  },
  adopt: {
    symbol: '~',
    legend: 'update in place (or adopt)',
    verb: 'adopt',
    past: 'adopted',
    label: 'adopt',
    summary: { phrase: 'to adopt', always: false },
    rank: 2,
    removes: false,
    sends: true,
  },
  replace: {
    symbol: '+/-',
    legend: 'replace (the new sink is created before the old one is deleted)',
    verb: 'replace',
    past: 'replaced',
    label: 'replace',
    summary: { phrase: 'to replace', always: true },
    rank: 3,
    removes: true,
    sends: true,
  },
  'adopt-replace': {
    symbol: '+/-',
    legend: 'replace (the new sink is created before the old one is deleted)',
    verb: 'replace',
    past: 'adopted and replaced',
    label: 'adopt + replace',
    rank: 3,
    removes: true,
    sends: true,
  },
  blocked: {
    symbol: '!',
    legend: 'blocked (in use by a subscription; not planned)',
    verb: 'block',
    past: 'blocked',
    label: 'blocked',
    summary: { phrase: 'blocked', always: false },
    rank: 4,
    removes: false,
    sends: false,
  },
  delete: {
    symbol: '-',
    legend: 'delete',
    verb: 'delete',
    past: 'deleted',
    label: 'delete',
    summary: { phrase: 'to delete', always: true },
    rank: 5,
    removes: true,
    sends: true,
  },
  noop: {
    symbol: '=',
    legend: 'no change',
    verb: 'keep',
    past: 'kept',
    label: 'noop',
    rank: 6,
    removes: false,
    sends: false,
  },
};

export function effectOf(action: ActionShape): Effect {
  return action.action === 'adopt' && action.replace === true ? 'adopt-replace' : action.action;
}

export function traitsOf(action: ActionShape): Traits {
  return TRAITS[effectOf(action)];
}

/** The effect a blocked action stood in for (an adoption is only blocked when it would replace). */
function intendedEffect(action: ActionShape): Effect {
  const intended = action.intended ?? 'delete';
  return intended === 'adopt' ? 'adopt-replace' : intended;
}

/** The verb for what the action does — for a blocked action, what it would have done. */
export function verbOf(action: ActionShape): string {
  return TRAITS[action.action === 'blocked' ? intendedEffect(action) : effectOf(action)].verb;
}

/** The Markdown table's word: `adopt + replace`, `blocked delete`. */
export function labelOf(action: ActionShape): string {
  const label = traitsOf(action).label;
  return action.action === 'blocked' ? `${label} ${action.intended ?? 'delete'}` : label;
}

export function symbolOf(action: ActionShape): ActionSymbol {
  return traitsOf(action).symbol;
}

export function rankOf(action: ActionShape): number {
  return traitsOf(action).rank;
}

/** Whether applying the action sends a request that changes the account. */
export function sendsRequests(action: ActionShape): boolean {
  return traitsOf(action).sends;
}

/** Whether applying the action removes a sink (a delete, or the old half of a replacement). */
export function removesSink(action: ActionShape): boolean {
  return traitsOf(action).removes;
}

/** Symbols with their meaning, each once, in summary order: the legend above a text plan. */
export const LEGEND: readonly (readonly [ActionSymbol, string])[] = [
  ...new Map(
    [...ACTION_KINDS, 'adopt-replace' as const]
      .filter((effect) => effect !== 'noop')
      .map((effect) => [TRAITS[effect].symbol, TRAITS[effect].legend] as const),
  ),
];

/** The phrases of a summary line (`1 to create`, …), in ACTION_KINDS order. */
export function summaryParts(summary: Readonly<Record<ActionKind, number>>): string[] {
  return ACTION_KINDS.flatMap((kind) => {
    const phrase = TRAITS[kind].summary;
    if (phrase === undefined || (!phrase.always && summary[kind] === 0)) return [];
    return [`${summary[kind]} ${phrase.phrase}`];
  });
}

/** A count of zero for every kind. */
export function emptySummary(): Record<ActionKind, number> {
  return Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>;
}
