import type { RemoteSink, SinkStatus, Subscription } from './model.js';

export interface ListSinksOptions {
  readonly inUse?: boolean;
  readonly status?: SinkStatus;
}

export interface CreateSinkInput {
  readonly description: string;
  readonly sinkType: string;
  readonly sinkConfiguration: Readonly<Record<string, unknown>>;
  /**
   * The SID of the sink this create replaces: it carries the same marker, so it is never taken
   * for the created sink.
   */
  readonly replacing?: string;
}

/**
 * The operations sinkops needs from the Events API. The undici client implements it against
 * Twilio (or the emulator); tests may substitute an in-memory fake.
 */
export interface SinksApi {
  /** Every page, following `meta.next_page_url`. */
  listSinks(options?: ListSinksOptions): Promise<RemoteSink[]>;
  fetchSink(sid: string): Promise<RemoteSink>;
  /**
   * Creates a sink. When the outcome is unknown (timeout, reset, 5xx) it is never blindly re-sent:
   * the sinks are listed again and a sink with the same description (which carries the unique
   * ownership marker), type and configuration — compared as the planner compares, with Twilio's
   * read-back defaults and masked secrets — other than `replacing` is returned instead.
   */
  createSink(input: CreateSinkInput): Promise<RemoteSink>;
  updateSink(sid: string, update: { readonly description: string }): Promise<RemoteSink>;
  deleteSink(sid: string): Promise<void>;
  /** Sink Test: returns Twilio's `result` (for example `submitted`). */
  testSink(sid: string): Promise<string>;
  /** Sink Validate: returns Twilio's `result` (for example `valid`). */
  validateSink(sid: string, testId: string): Promise<string>;
  listSubscriptions(options?: { readonly sinkSid?: string }): Promise<Subscription[]>;
}
