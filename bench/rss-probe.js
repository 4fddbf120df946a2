// @ts-check
/**
 * Preloaded (`node --import`) into a child `sinkops` process: on exit, writes the process's peak
 * resident set size (getrusage's ru_maxrss, which the kernel tracks for us, so no sampling can miss
 * a spike) to the file named by BENCH_PROBE_OUT.
 */
import { writeFileSync } from 'node:fs';

const out = process.env['BENCH_PROBE_OUT'];
if (out !== undefined && out !== '') {
  process.on('exit', (code) => {
    // maxRSS is in kilobytes.
    writeFileSync(out, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, code }));
  });
}
