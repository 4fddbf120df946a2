/**
 * An adaptive concurrency window for apply (AIMD, as TCP does): it halves when the API reports
 * rate limiting and grows back by one per success, never above `max`.
 *
 * The client retries a 429 itself and only tells us through `onRateLimited()`. When many requests
 * are in flight, each of them can report a 429 for the same overload; halving on every report would
 * collapse the window to 1. So a report that arrives while more requests are in flight than the
 * window allows is treated as an echo of an overload already answered (it came from a request
 * started under the wider window), and ignored.
 */
export interface Permit {
  /** Gives the slot back; `succeeded` grows the window by one. Calling it twice is a no-op. */
  release(succeeded: boolean): void;
}

export class AdaptiveLimiter {
  readonly max: number;
  #window: number;
  #inFlight = 0;
  #rateLimited = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`parallelism must be a positive integer, got ${max}`);
    this.max = max;
    this.#window = max;
  }

  /** How many permits may be held at once right now. */
  get window(): number {
    return this.#window;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** How many rate-limit reports narrowed the window (echoes not counted). */
  get rateLimitedCount(): number {
    return this.#rateLimited;
  }

  /** Wire this to the client's option of the same name. */
  onRateLimited(): void {
    if (this.#inFlight > this.#window) return;
    this.#window = Math.max(1, Math.floor(this.#window / 2));
    this.#rateLimited += 1;
  }

  /** Resolves when a slot is free; FIFO, so actions start in plan order. */
  acquire(): Promise<Permit> {
    return new Promise((resolve) => {
      this.#waiting.push(() => resolve(this.#permit()));
      this.#drain();
    });
  }

  #permit(): Permit {
    this.#inFlight += 1;
    let released = false;
    return {
      release: (succeeded: boolean) => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        if (succeeded) this.#window = Math.min(this.max, this.#window + 1);
        this.#drain();
      },
    };
  }

  #drain(): void {
    while (this.#inFlight < this.#window) {
      const next = this.#waiting.shift();
      if (next === undefined) return;
      next();
    }
  }
}
