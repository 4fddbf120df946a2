/** One API request as the request log records it (`GET /__emulator/requests`). */
export interface LoggedRequest {
  readonly method: string;
  /** Path with the query string, as requested. */
  readonly path: string;
  /** The status answered; 0 when the connection was dropped without an answer. */
  readonly status: number;
  /** The account whose credentials the request carried; absent when it was not authenticated (never the token). */
  readonly account?: string;
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

  /** Every request, or only those made with `account`'s credentials. */
  list(account?: string): readonly LoggedRequest[] {
    return account === undefined ? this.entries : this.entries.filter((e) => e.account === account);
  }

  clear(): void {
    this.entries = [];
  }
}
