/** One API request as the request log records it (`GET /__emulator/requests`). */
export interface LoggedRequest {
  readonly method: string;
  /** Path with the query string, as requested. */
  readonly path: string;
  /** The status answered; 0 when the connection was dropped without an answer. */
  readonly status: number;
}

/**
 * The API requests the emulator answered, oldest first. Bounded so a long-running emulator does
 * not grow without limit; when full, the oldest half is discarded in one step (amortised O(1)).
 */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private readonly capacity = 200_000) {}

  add(entry: LoggedRequest): void {
    if (this.entries.length >= this.capacity) this.entries = this.entries.slice(this.entries.length >> 1);
    this.entries.push(entry);
  }

  list(): readonly LoggedRequest[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}
