import { internalError, tooManyRequests, type ApiError } from './errors.js';
import { assertValidFaults, type EmulatorFaults } from './options.js';

/** What to do with a request before handling it. */
export type FaultDecision = { readonly kind: 'handle' } | { readonly kind: 'drop' } | { readonly kind: 'fail'; readonly error: ApiError };

const HANDLE: FaultDecision = { kind: 'handle' };

/**
 * Decides, per API request, which fault (if any) it meets. Each rate is drawn separately from the
 * injected `random`, in a fixed order (drop, 429, 500), and only when that rate is set, so a test
 * that sets one fault controls exactly which draws happen.
 */
export class FaultInjector {
  private faults: EmulatorFaults;
  private inFlight = 0;

  constructor(
    faults: EmulatorFaults,
    private readonly random: () => number,
  ) {
    assertValidFaults(faults);
    this.faults = { ...faults };
  }

  set(faults: EmulatorFaults): void {
    assertValidFaults(faults);
    this.faults = { ...faults };
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** Undefined unless set: Twilio sends no documented `Retry-After` with 20429. */
  private get retryAfter(): number | undefined {
    return this.faults.retryAfterSeconds;
  }

  /**
   * Takes a concurrency slot. Returns false (and takes none) when the limit is reached; otherwise
   * the caller must call `release()` once the answer is written.
   */
  acquire(): boolean {
    const limit = this.faults.concurrencyLimit;
    if (limit !== undefined && this.inFlight >= limit) return false;
    this.inFlight++;
    return true;
  }

  release(): void {
    this.inFlight--;
  }

  rejectBusy(): ApiError {
    return tooManyRequests(this.retryAfter);
  }

  decide(): FaultDecision {
    const { dropRate, rateLimitRate, errorRate } = this.faults;
    if (this.hits(dropRate)) return { kind: 'drop' };
    if (this.hits(rateLimitRate)) return { kind: 'fail', error: tooManyRequests(this.retryAfter) };
    if (this.hits(errorRate)) return { kind: 'fail', error: internalError() };
    return HANDLE;
  }

  /** After a create is stored: whether to drop the answer. */
  dropAfterCommit(): boolean {
    return this.hits(this.faults.dropAfterCommitRate);
  }

  private hits(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }
}
