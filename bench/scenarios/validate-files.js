// @ts-check
/**
 * SPEC §10: validate 10,000 sink files in under 3 s (`loadDesired`: discover, read, parse YAML,
 * schema-check, resolve ${ENV}, check duplicates). Baseline: only discovering and reading the same
 * files (32 at a time, as the loader does), so the parse/validate overhead is visible.
 * Runs first in the bench process, so the measured load is a cold one, as `sinkops validate` sees it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDesired } from '../../dist/desired/load.js';
import { FIXTURE_ENV } from '../lib/fixtures.js';
import { formatMs, mapLimit, median, timed } from '../lib/measure.js';

const TARGET_MS = 3000;

/**
 * @param {{ dir: string, cwd: string, count: number }} fx
 * @returns {Promise<import('../lib/measure.js').Row[]>}
 */
export async function validateFiles(fx) {
  const baseline = await timed(async () => {
    const entries = await readdir(fx.dir, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => join(e.parentPath, e.name));
    const texts = await mapLimit(files, 32, (f) => readFile(f, 'utf8'));
    return texts.length;
  });
  if (baseline.value !== fx.count) throw new Error(`baseline read ${baseline.value} files, expected ${fx.count}`);

  const load = () => loadDesired(fx.dir, { cwd: fx.cwd, env: FIXTURE_ENV });
  const cold = await timed(load);
  const errors = cold.value.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || cold.value.sinks.length !== fx.count) {
    throw new Error(`loadDesired: ${cold.value.sinks.length} sinks, ${errors.length} errors (first: ${errors[0]?.message ?? '-'})`);
  }
  const warm = [];
  for (let run = 0; run < 2; run += 1) warm.push((await timed(load)).ms);

  return [
    {
      scenario: `validate ${fx.count.toLocaleString('en')} files (cold; warm ${formatMs(median(warm))})`,
      measured: formatMs(cold.ms),
      baseline: `${formatMs(baseline.ms)} (read only)`,
      target: `< ${formatMs(TARGET_MS)}`,
      pass: cold.ms < TARGET_MS,
    },
  ];
}
