import type { Command, CommandContext } from '../command.js';
import { COMMAND_METADATA, type CommandMetadata } from './metadata.js';

/**
 * Each command's implementation, imported when it runs: `sinkops --version`, `--help` and one
 * command's start-up load no other command and none of their dependencies (SPEC §10 "Start-up").
 * The specifiers are literal so that esbuild bundles every implementation into the action.
 */
const IMPLEMENTATIONS: Readonly<Record<string, () => Promise<Command>>> = {
  validate: async () => (await import('./validate.js')).validateCommand,
  plan: async () => (await import('./plan.js')).planCommand,
  apply: async () => (await import('./apply.js')).applyCommand,
  activate: async () => (await import('./activate.js')).activateCommand,
  import: async () => (await import('./import.js')).importCommand,
  emulator: async () => (await import('./emulator.js')).emulatorCommand,
  github: async () => (await import('./github.js')).githubCommand,
  init: async () => (await import('./init.js')).initCommand,
};

/** The implementation of the command named `name` (for tests and for the lazy `run`). */
export function loadCommand(name: string): Promise<Command> {
  const load = IMPLEMENTATIONS[name];
  if (load === undefined) throw new Error(`no implementation for command '${name}'`);
  return load();
}

function lazy(meta: CommandMetadata): Command {
  return {
    ...meta,
    async run(ctx: CommandContext): Promise<number> {
      return (await loadCommand(meta.name)).run(ctx);
    },
  };
}

/** Every subcommand, in the order `sinkops --help` lists them. */
export const COMMANDS: readonly Command[] = COMMAND_METADATA.map(lazy);
