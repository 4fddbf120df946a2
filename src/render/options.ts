/** Options every renderer accepts. */
export interface RenderOptions {
  /** ANSI colour (text only): on a TTY and never with NO_COLOR; the CLI decides. */
  readonly color: boolean;
  /** List noop actions too. */
  readonly verbose: boolean;
  /**
   * Markdown only: the most characters the document may have (default MARKDOWN_LIMIT, for a
   * pull-request comment; a job summary holds 1 MiB). What is left out to fit is said in a note,
   * and it is never a delete, a replacement or a blocked action while others could go instead.
   */
  readonly maxChars?: number;
  /** Markdown only: where the plan was computed, printed in its footer. */
  readonly context?: RenderContext;
  /**
   * The plan is one account's part of a larger document (SPEC §14), which has the title (and in
   * Markdown the plan hash and the footer): leave them out.
   */
  readonly embedded?: boolean;
}

/**
 * Where a plan was computed, for the reader of a comment. The renderers stay pure: the CLI reads
 * these from the environment (src/github/run-context.ts), and the Markdown renderer checks them
 * again (src/render/context.ts), printing only a value of the expected shape.
 */
export interface RenderContext {
  /** The commit the plan was computed at: hexadecimal, 7 to 40 digits. */
  readonly commit?: string;
  /** The workflow run that computed it: an http(s) URL of plain characters. */
  readonly runUrl?: string;
}

export const RENDER_FORMATS = ['text', 'markdown', 'json'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];
