/**
 * `map` with at most `limit` calls in flight; results in the input's order. The reads of one
 * account (a subscription's events) and the accounts of a fleet both go through it: a fixed window
 * of workers keeps the number of open requests, and the memory they hold, bounded.
 */
export async function boundedMap<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await map(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
