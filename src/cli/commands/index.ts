import type { Command } from '../command.js';

/**
 * The subcommands, by what `sinkops --help` lists: a name, a one-line summary, and the module that
 * implements it, imported only when the command is asked for (its options, its help, its run).
 * `sinkops --version`, `--help` and an unknown command therefore load no command and none of their
 * dependencies (SPEC §10 "Start-up"). The summary is the only text written twice, here and in the
 * command; test/cli/command-metadata.test.ts holds them equal. The specifiers are literal so that
 * esbuild bundles every implementation into the action.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every subcommand, in the order `sinkops --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'Check the sink YAML files (schema, names, ${ENV} references) without contacting Twilio',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'plan',
    summary: 'Compare the repository with the account and show what apply would change',
    load: async () => (await import('./plan.js')).planCommand,
  },
  {
    name: 'apply',
    summary: 'Make the account match the repository (or apply a saved plan exactly)',
    load: async () => (await import('./apply.js')).applyCommand,
  },
  {
    name: 'accounts',
    summary: 'List the accounts of sinkops.yaml (fleets expanded), as text, JSON or a GitHub Actions matrix of shards',
    load: async () => (await import('./accounts.js')).accountsCommand,
  },
  {
    name: 'activate',
    summary: 'Activate a sink that is not active (older kinesis flow): send a test event, then validate it with its test id',
    load: async () => (await import('./activate.js')).activateCommand,
  },
  {
    name: 'import',
    summary: "Write sink files (pinned by sid) for the account's existing unmanaged sinks and their subscriptions",
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    name: 'emulator',
    summary: 'Run a local Twilio Events API (sinks, subscriptions, event types) for tests and offline work',
    load: async () => (await import('./emulator.js')).emulatorCommand,
  },
  {
    name: 'github',
    summary: 'GitHub Actions: the sticky plan comment, the reviewed plan hash, the drift issue',
    load: async () => (await import('./github.js')).githubCommand,
  },
  {
    name: 'init',
    summary: 'Write a starter repository: an example sink, GitHub workflows using the sinkops action, editor schema settings',
    load: async () => (await import('./init.js')).initCommand,
  },
];
