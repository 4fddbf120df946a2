import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';

/** The one line `sinkops --help` shows of each command (commands/index.ts) must be the command's own. */
describe('lazy commands', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: the index names and summarises the implementation', async (name, entry) => {
    const command = await entry.load();
    expect(command.name).toBe(name);
    expect(command.summary).toBe(entry.summary);
  });
});
