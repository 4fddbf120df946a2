import { describe, expect, it } from 'vitest';
import { COMMANDS, loadCommand } from '../../src/cli/commands/index.js';

/** The metadata main.ts parses with (commands/metadata.ts) must be each implementation's own. */
describe('lazy commands', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: metadata.ts matches the implementation', async (_name, lazy) => {
    const { run: _lazyRun, ...meta } = lazy;
    const { run: _run, ...actual } = await loadCommand(lazy.name);
    expect(meta).toEqual(actual);
  });
});
