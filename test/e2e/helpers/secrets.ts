import { expect } from 'vitest';

/**
 * Asserts that none of `secrets` occurs in any of `texts` (outputs, logs, files), naming the text
 * and secret on failure. Pass an Authorization header's base64 as one more secret to check that too.
 */
export function expectNoSecrets(texts: Readonly<Record<string, string>>, secrets: readonly string[]): void {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const [label, text] of Object.entries(texts)) {
      if (text.includes(secret)) leaks.push(`${label} contains ${JSON.stringify(secret)}`);
    }
  }
  expect(leaks).toEqual([]);
}
