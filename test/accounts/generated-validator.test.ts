import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript script without declarations
import { schemaValidatorSource, VALIDATORS } from '../../scripts/generate-schema-validator.mjs';

const SINKOPS = (VALIDATORS as { schema: string; outfile: string }[]).find((v) => v.schema === 'schemas/sinkops.schema.json');

describe('src/accounts/generated/sinkops-validate.ts', () => {
  it('is what scripts/generate-schema-validator.mjs makes of schemas/sinkops.schema.json (run `npm run build`)', async () => {
    expect(SINKOPS?.outfile).toBe('src/accounts/generated/sinkops-validate.ts');
    const committed = await readFile(new URL(`../../${SINKOPS?.outfile ?? ''}`, import.meta.url), 'utf8');
    const fresh = (await schemaValidatorSource(SINKOPS?.schema)) as string;
    expect(committed === fresh, 'the generated validator is stale: run `npm run build`').toBe(true);
  });

  it('has the $id and draft of the sink schema, and forbids unknown keys everywhere', async () => {
    const read = async (file: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(new URL(`../../${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
    const sink = await read('schemas/sink.schema.json');
    const sinkops = await read('schemas/sinkops.schema.json');
    expect(sinkops['$schema']).toBe(sink['$schema']);
    expect(sinkops['$id']).toBe(String(sink['$id']).replace('sink.schema.json', 'sinkops.schema.json'));
    const objects: Record<string, unknown>[] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      if ((node as Record<string, unknown>)['type'] === 'object') objects.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    };
    walk(sinkops);
    expect(objects.length).toBeGreaterThan(4);
    for (const o of objects) expect(o['additionalProperties']).toBe(false);
  });
});
