import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript script without declarations
import { DEFAULT_OUTFILE, schemaValidatorSource } from '../../scripts/generate-schema-validator.mjs';

describe('src/desired/generated/sink-validate.ts', () => {
  it('is what scripts/generate-schema-validator.mjs makes of schemas/sink.schema.json (run `npm run build`)', async () => {
    const committed = await readFile(new URL(`../../${DEFAULT_OUTFILE as string}`, import.meta.url), 'utf8');
    expect(committed === (await schemaValidatorSource()), 'the generated validator is stale: run `npm run build`').toBe(true);
  });
});
