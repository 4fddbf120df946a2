import { afterAll } from 'vitest';

/**
 * Resources (emulators, temp dirs, child processes) that a test file opened, released in reverse
 * order after the file's last test. Registered at import, so every e2e file that uses the helpers
 * gets it without a hook of its own; vitest gives each test file its own copy of this module.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = [];

export function onCleanup(release: () => Promise<unknown> | unknown): void {
  cleanups.push(release);
}

afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
