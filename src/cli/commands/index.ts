import type { Command } from '../command.js';

/** Every subcommand, in the order `sinkops --help` lists them. */
export const COMMANDS: readonly Command[] = [];
