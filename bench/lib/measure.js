// @ts-check
/** Small measuring helpers shared by the scenarios. */
import { performance } from 'node:perf_hooks';

/**
 * Runs `fn` once and returns its result with the wall time it took.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ value: T, ms: number }>}
 */
export async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/**
 * The p-th percentile (0–100) by the nearest-rank method: always one of the samples.
 * @param {readonly number[]} samples
 * @param {number} p
 */
export function percentile(samples, p) {
  if (samples.length === 0) throw new RangeError('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return /** @type {number} */ (sorted[rank - 1]);
}

/** @param {readonly number[]} samples */
export const median = (samples) => percentile(samples, 50);

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, results in input order.
 * @template T, R
 * @param {readonly T[]} items
 * @param {number} limit
 * @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function mapLimit(items, limit, fn) {
  /** @type {R[]} */
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(/** @type {T} */ (items[i]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** @param {number} ms */
export function formatMs(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** @param {number} bytes */
export const formatMb = (bytes) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One line of the results table.
 * @typedef {object} Row
 * @property {string} scenario
 * @property {string} measured
 * @property {string} baseline
 * @property {string} target
 * @property {boolean | undefined} pass  undefined: informational, no target
 */
