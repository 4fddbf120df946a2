/**
 * Records keyed by SID, kept in insertion order, with cursor paging that never rescans from the
 * start. Each record gets an increasing sequence number; a page token names the sequence number
 * to continue after (or before), and a binary search over the sequence-sorted array finds it.
 * Deletion leaves a tombstone that is compacted away once tombstones outnumber live records, so
 * delete is O(1) amortised and a full listing stays O(n) whatever the page size.
 */

interface Slot<T> {
  readonly seq: number;
  readonly sid: string;
  value: T;
  alive: boolean;
}

/** Where a page starts: after a sequence number (forward) or before one (backward). */
export type Cursor = { readonly after: number } | { readonly before: number };

export interface TablePage<T> {
  readonly items: readonly T[];
  /** Sequence numbers of the first and last item (undefined when the page is empty). */
  readonly firstSeq: number | undefined;
  readonly lastSeq: number | undefined;
  /** Whether a matching record exists after the page / before it. */
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
}

export class OrderedTable<T> {
  private readonly bySid = new Map<string, Slot<T>>();
  private order: Slot<T>[] = [];
  private tombstones = 0;
  private nextSeq = 1;

  get size(): number {
    return this.bySid.size;
  }

  get(sid: string): T | undefined {
    return this.bySid.get(sid)?.value;
  }

  has(sid: string): boolean {
    return this.bySid.has(sid);
  }

  add(sid: string, value: T): void {
    if (this.bySid.has(sid)) throw new Error(`duplicate SID ${sid}`);
    const slot: Slot<T> = { seq: this.nextSeq++, sid, value, alive: true };
    this.bySid.set(sid, slot);
    this.order.push(slot);
  }

  replace(sid: string, value: T): void {
    const slot = this.bySid.get(sid);
    if (!slot) throw new Error(`unknown SID ${sid}`);
    slot.value = value;
  }

  delete(sid: string): boolean {
    const slot = this.bySid.get(sid);
    if (!slot) return false;
    slot.alive = false;
    this.bySid.delete(sid);
    this.tombstones++;
    if (this.tombstones > 64 && this.tombstones * 2 > this.order.length) {
      this.order = this.order.filter((s) => s.alive);
      this.tombstones = 0;
    }
    return true;
  }

  /** Live values in insertion order. */
  *values(): IterableIterator<T> {
    for (const slot of this.bySid.values()) yield slot.value;
  }

  /**
   * One page of the records that match `filter`. Cost is proportional to the records scanned
   * between the cursor and the end of the page, plus the look-ahead that decides hasNext.
   */
  page(filter: (value: T) => boolean, pageSize: number, cursor: Cursor | undefined): TablePage<T> {
    const matches = (s: Slot<T>): boolean => s.alive && filter(s.value);
    const slots: Slot<T>[] = [];
    let start: number; // index of the first slot on the page side of the cursor
    if (cursor === undefined || 'after' in cursor) {
      start = this.firstIndexAbove(cursor === undefined ? 0 : cursor.after);
      let i = start;
      for (; i < this.order.length && slots.length < pageSize; i++) {
        const s = this.order[i]!;
        if (matches(s)) slots.push(s);
      }
      const first = slots[0];
      return this.result(slots, this.findForward(i, matches), this.findBackward((first ? this.indexOf(first.seq) : start) - 1, matches));
    }
    const end = this.firstIndexAbove(cursor.before - 1); // first slot at or after `before`
    let i = end - 1;
    for (; i >= 0 && slots.length < pageSize; i--) {
      const s = this.order[i]!;
      if (matches(s)) slots.push(s);
    }
    slots.reverse();
    const last = slots[slots.length - 1];
    return this.result(slots, this.findForward(last ? this.indexOf(last.seq) + 1 : end, matches), this.findBackward(i, matches));
  }

  private result(slots: Slot<T>[], hasNext: boolean, hasPrevious: boolean): TablePage<T> {
    return {
      items: slots.map((s) => s.value),
      firstSeq: slots[0]?.seq,
      lastSeq: slots[slots.length - 1]?.seq,
      hasNext,
      hasPrevious,
    };
  }

  private findForward(from: number, matches: (s: Slot<T>) => boolean): boolean {
    for (let i = from; i < this.order.length; i++) if (matches(this.order[i]!)) return true;
    return false;
  }

  private findBackward(from: number, matches: (s: Slot<T>) => boolean): boolean {
    for (let i = from; i >= 0; i--) if (matches(this.order[i]!)) return true;
    return false;
  }

  /** Index of the first slot whose seq is greater than `seq` (binary search; `order` is sorted by seq). */
  private firstIndexAbove(seq: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(seq: number): number {
    return this.firstIndexAbove(seq - 1);
  }
}
