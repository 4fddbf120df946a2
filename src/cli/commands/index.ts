import type { Command } from '../command.js';
import { activateCommand } from './activate.js';
import { applyCommand } from './apply.js';
import { emulatorCommand } from './emulator.js';
import { githubCommand } from './github.js';
import { importCommand } from './import.js';
import { planCommand } from './plan.js';
import { validateCommand } from './validate.js';

/** Every subcommand, in the order `sinkops --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, planCommand, applyCommand, activateCommand, importCommand, emulatorCommand, githubCommand];
