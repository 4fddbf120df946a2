/** Options every renderer accepts. */
export interface RenderOptions {
  /** ANSI colour (text only): on a TTY and never with NO_COLOR; the CLI decides. */
  readonly color: boolean;
  /** List noop actions too. */
  readonly verbose: boolean;
}

export const RENDER_FORMATS = ['text', 'markdown', 'json'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];
