import { describe, expect, it } from 'vitest';
import { OrderedTable } from '../../src/emulator/ordered-table.js';
import { call, createSink, createSubscription, emulator, WEBHOOK } from './helpers.js';

function seedSinks(n: number): { sinks: { description: string; sink_type: string; sink_configuration: Record<string, unknown> }[]; subscriptions: [] } {
  return {
    sinks: Array.from({ length: n }, (_, i) => ({ description: `sink ${i}`, sink_type: 'webhook', sink_configuration: WEBHOOK })),
    subscriptions: [],
  };
}

/** Follows next_page_url from `path` and returns the descriptions and the number of requests. */
async function listAll(emu: Awaited<ReturnType<typeof emulator>>, path: string, key = 'sinks'): Promise<{ items: string[]; pages: number }> {
  const items: string[] = [];
  let url: string | null = emu.url + path;
  let pages = 0;
  while (url !== null) {
    const res = await call(emu, 'GET', url);
    expect(res.status).toBe(200);
    pages++;
    items.push(...res.body[key].map((s: { description: string }) => s.description));
    url = res.body.meta.next_page_url;
  }
  return { items, pages };
}

describe('list pagination', () => {
  it('walks every page forward and back with absolute URLs', async () => {
    const emu = await emulator({ seed: seedSinks(7) });
    const first = await call(emu, 'GET', '/v1/Sinks?PageSize=3');
    expect(first.body.sinks.map((s: { description: string }) => s.description)).toEqual(['sink 0', 'sink 1', 'sink 2']);
    expect(first.body.meta).toMatchObject({
      page: 0,
      page_size: 3,
      key: 'sinks',
      first_page_url: `${emu.url}/v1/Sinks?PageSize=3&Page=0`,
      url: `${emu.url}/v1/Sinks?PageSize=3&Page=0`,
      previous_page_url: null,
    });
    expect(first.body.meta.next_page_url).toMatch(new RegExp(`^${emu.url}/v1/Sinks\\?PageSize=3&Page=1&PageToken=PA[0-9a-f]+$`));

    const second = await call(emu, 'GET', first.body.meta.next_page_url);
    expect(second.body.meta.page).toBe(1);
    expect(second.body.meta.url).toBe(first.body.meta.next_page_url);
    const third = await call(emu, 'GET', second.body.meta.next_page_url);
    expect(third.body.sinks.map((s: { description: string }) => s.description)).toEqual(['sink 6']);
    expect(third.body.meta.next_page_url).toBeNull();

    const back = await call(emu, 'GET', third.body.meta.previous_page_url);
    expect(back.body.sinks.map((s: { description: string }) => s.description)).toEqual(['sink 3', 'sink 4', 'sink 5']);
    expect(back.body.meta.page).toBe(1);
    const start = await call(emu, 'GET', back.body.meta.previous_page_url);
    expect(start.body.sinks.map((s: { description: string }) => s.description)).toEqual(['sink 0', 'sink 1', 'sink 2']);
    expect(start.body.meta.previous_page_url).toBeNull();
  });

  it('has no next page when the last page is exactly full, and an empty list has none either', async () => {
    const emu = await emulator({ seed: seedSinks(4) });
    expect((await listAll(emu, '/v1/Sinks?PageSize=2')).pages).toBe(2);
    const empty = await emulator();
    const res = await call(empty, 'GET', '/v1/Sinks');
    expect(res.body).toEqual({
      sinks: [],
      meta: expect.objectContaining({ page: 0, page_size: 50, next_page_url: null, previous_page_url: null, key: 'sinks' }),
    });
  });

  it('keeps tokens valid across deletes and creates', async () => {
    const emu = await emulator({ seed: seedSinks(4) });
    const first = await call(emu, 'GET', '/v1/Sinks?PageSize=2');
    const [, second] = first.body.sinks;
    await call(emu, 'DELETE', `/v1/Sinks/${second.sid}`); // the token's anchor is gone
    await createSink(emu, 'sink 4');
    const next = await call(emu, 'GET', first.body.meta.next_page_url);
    expect(next.body.sinks.map((s: { description: string }) => s.description)).toEqual(['sink 2', 'sink 3']);
    const last = await call(emu, 'GET', next.body.meta.next_page_url);
    expect(last.body.sinks.map((s: { description: string }) => s.description)).toEqual(['sink 4']);
  });

  it('clamps PageSize above 1000 and refuses nonsense paging parameters', async () => {
    const emu = await emulator({ seed: seedSinks(2) });
    expect((await call(emu, 'GET', '/v1/Sinks?PageSize=5000')).body.meta.page_size).toBe(1000);
    for (const query of ['PageSize=0', 'PageSize=-1', 'PageSize=ten', 'Page=-1', 'Page=x', 'PageToken=bogus', 'PageToken=PAzz', 'InUse=maybe', 'Status=sleeping']) {
      const res = await call(emu, 'GET', `/v1/Sinks?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body, query).toMatchObject({ code: 20001, status: 400 });
    }
    expect((await call(emu, 'GET', '/v1/Subscriptions?PageToken=nope')).status).toBe(400);
  });

  it('filters by InUse and Status and keeps the filter in page URLs', async () => {
    // Legacy activation: a kinesis sink starts initialized, which gives the Status filter something to tell apart.
    const emu = await emulator({ seed: seedSinks(6), activation: 'legacy' });
    const all = (await call(emu, 'GET', '/v1/Sinks')).body.sinks;
    for (const i of [1, 3, 4]) expect((await createSubscription(emu, all[i].sid)).status).toBe(201);
    await createSubscription(emu, all[3].sid); // two subscriptions on one sink: listed once

    const inUse = await listAll(emu, '/v1/Sinks?InUse=true&PageSize=2');
    expect(inUse.items).toEqual(['sink 1', 'sink 3', 'sink 4']);
    expect(inUse.pages).toBe(2);
    const page = await call(emu, 'GET', '/v1/Sinks?InUse=true&PageSize=2');
    expect(page.body.meta.next_page_url).toContain('/v1/Sinks?InUse=true&PageSize=2&Page=1&PageToken=');
    expect((await listAll(emu, '/v1/Sinks?InUse=false&PageSize=2')).items).toEqual(['sink 0', 'sink 2', 'sink 5']);

    await createSink(emu, 'kinesis', 'kinesis', { arn: 'arn:aws:kinesis:x', role_arn: 'arn:aws:iam::1:role/R', external_id: 'e' });
    expect((await listAll(emu, '/v1/Sinks?Status=initialized')).items).toEqual(['kinesis']);
    expect((await listAll(emu, '/v1/Sinks?Status=active&InUse=true')).items).toEqual(['sink 1', 'sink 3', 'sink 4']);
    expect((await call(emu, 'GET', '/v1/Sinks?Status=active&InUse=true')).body.meta.url).toBe(`${emu.url}/v1/Sinks?InUse=true&Status=active&PageSize=50&Page=0`);
  });

  it('lists 10,000 sinks in 10 pages of 1000, quickly', async () => {
    const emu = await emulator({ seed: seedSinks(10_000) });
    const started = performance.now();
    const { items, pages } = await listAll(emu, '/v1/Sinks?PageSize=1000');
    const elapsed = performance.now() - started;
    expect(items).toHaveLength(10_000);
    expect(new Set(items).size).toBe(10_000);
    expect(pages).toBe(10);
    // Generous bound for a slow CI machine; an O(n²) page walk takes far longer.
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('OrderedTable', () => {
  const fill = (n: number): OrderedTable<number> => {
    const t = new OrderedTable<number>();
    for (let i = 0; i < n; i++) t.add(`s${i}`, i);
    return t;
  };

  it('pages forward with filters and look-ahead', () => {
    const t = fill(10);
    const even = (v: number): boolean => v % 2 === 0;
    const p1 = t.page(even, 2, undefined);
    expect(p1).toMatchObject({ items: [0, 2], hasNext: true, hasPrevious: false });
    const p2 = t.page(even, 2, { after: p1.lastSeq! });
    expect(p2).toMatchObject({ items: [4, 6], hasNext: true, hasPrevious: true });
    const p3 = t.page(even, 2, { after: p2.lastSeq! });
    expect(p3).toMatchObject({ items: [8], hasNext: false, hasPrevious: true });
    expect(t.page(even, 2, { before: p3.firstSeq! })).toMatchObject({ items: [4, 6], hasNext: true, hasPrevious: true });
  });

  it('compacts tombstones without changing order or cursors', () => {
    const t = fill(300);
    for (let i = 0; i < 250; i++) t.delete(`s${i}`);
    expect(t.size).toBe(50);
    expect([...t.values()]).toEqual(Array.from({ length: 50 }, (_, i) => 250 + i));
    const p = t.page(() => true, 10, { after: 255 }); // value v has seq v + 1
    expect(p.items).toEqual([255, 256, 257, 258, 259, 260, 261, 262, 263, 264]);
    expect(t.page(() => true, 10, { before: 252 }).items).toEqual([250]);
    expect(t.delete('s0')).toBe(false);
    expect(() => t.add('s299', 1)).toThrow(/duplicate/);
  });

  it('returns an empty page past the end with a way back', () => {
    const t = fill(3);
    expect(t.page(() => true, 5, { after: 99 })).toMatchObject({ items: [], hasNext: false, hasPrevious: true });
    expect(t.page(() => true, 5, { before: 1 })).toMatchObject({ items: [], hasNext: true, hasPrevious: false });
  });
});
