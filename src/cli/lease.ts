/**
 * The apply lease as the CLI takes it (src/apply/lease.ts says what it guarantees): held by this host
 * and process for the deadline and a minute more, and given back even after the deadline passed.
 */
import { hostname } from 'node:os';
import type { Lease, LeaseOptions } from '../apply/lease.js';
import type { Io } from '../io.js';
import { isRunning } from '../local/lock.js';
import type { Logger } from '../log/logger.js';
import { flag, type OptionValues } from './command.js';
import { connect, type Connection } from './connect.js';

/**
 * Who holds the lease and for how long: this host and process, for the deadline and a minute more
 * (an apply never outlives its deadline). A lease of a process on this host that is gone (killed)
 * is stale and taken over.
 */
export function leaseOptions(values: OptionValues, stack: string | undefined, deadlineSeconds: number): LeaseOptions {
  return {
    ...(stack === undefined ? {} : { stack }),
    host: hostname(),
    pid: process.pid,
    ttlMs: (deadlineSeconds + 60) * 1000,
    now: () => new Date(),
    isRunning,
    breakOthers: flag(values, 'break-lease'),
  };
}

/** How long releasing the lease may take once the apply's own deadline has passed. */
const RELEASE_TIMEOUT_MS = 15_000;

/**
 * Gives the lease back. Past the deadline the apply's client cancels every request, so a client of
 * its own, with a short limit, deletes the lease; if that fails too, it expires by itself.
 */
export async function releaseLease(lease: Lease, connection: Connection, deadline: AbortSignal, io: Io, logger: Logger): Promise<void> {
  try {
    if (!deadline.aborted) {
      await lease.release();
      return;
    }
    const spare = await connect(io, { local: false, logger, signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS) });
    try {
      await lease.release(spare.api);
    } finally {
      await spare.close();
    }
  } catch (e) {
    logger.warn({ sid: lease.sid, target: connection.target, error: String(e) }, 'the apply lease could not be released; it expires by itself');
  }
}
