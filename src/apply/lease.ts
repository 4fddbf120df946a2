/**
 * The apply lease: at most one apply per account and stack at a time, across machines and CI
 * systems. Twilio offers no lock, so the lease is a sink of its own — a webhook to an address that
 * can never resolve (`.invalid`, RFC 2606), with no subscription, so nothing is ever delivered —
 * whose description names the holder and the expiry and ends with `[sinkops-lease:<stack>]`.
 *
 * Taking it: list the sinks; refuse if another live lease exists; create ours; list again and back
 * off (delete ours, refuse) if any other live lease is there now. Two applies racing may both back
 * off; they never both go on, as long as a list shows every sink created before it began.
 *
 * What it does not do: stop anyone editing sinks in the Console, or an apply of another stack
 * (whose sinks are disjoint); a lease left by an apply that died blocks others until it expires
 * (`ttlMs`), unless its process on this host is gone (`isRunning`) or `--break-lease` removes it. The
 * lease takes one of the account's sink slots while the apply runs; when the plan's peak leaves no
 * slot under Twilio's limit, the CLI applies without one (src/cli/commands/apply.ts says why).
 */
import { SinkopsError } from '../errors.js';
import { compareText } from '../plan/order.js';
import { isLeaseOf, LEASE_DESTINATION, leaseMarker } from '../plan/marker.js';
import type { SinksApi } from '../remote/api.js';
import type { RemoteSink } from '../remote/model.js';

export interface LeaseOptions {
  readonly stack?: string;
  /** Who takes it, shown to an apply that finds it as `host:pid`. */
  readonly host: string;
  readonly pid: number;
  /** How long a lease lasts; longer than any apply may run (its deadline). */
  readonly ttlMs: number;
  readonly now: () => Date;
  /** Whether a process of this host runs: the lease of one that is gone (killed) is removed. */
  readonly isRunning: (pid: number) => boolean;
  /** `--break-lease`: remove other leases of this stack, live or not. */
  readonly breakOthers?: boolean;
}

export interface Lease {
  readonly sid: string;
  /** The account's sinks as listed once the lease was held (lease sinks included). */
  readonly sinks: readonly RemoteSink[];
  /**
   * Deletes the lease sink, through `api` when given (the apply's own client may be cancelled by
   * its deadline); a lease that cannot be deleted expires by itself.
   */
  release(api?: SinksApi): Promise<void>;
}

interface HeldLease {
  readonly sink: RemoteSink;
  readonly holder: string;
  readonly until: Date;
}

const DESCRIPTION = /^sinkops apply in progress by (\S+) until (\S+) \[sinkops-lease:[^\]\s]+\]$/;

function readLease(sink: RemoteSink, stack: string | undefined): HeldLease | undefined {
  if (!isLeaseOf(sink, stack)) return undefined;
  const match = DESCRIPTION.exec(sink.description);
  const until = new Date(match?.[2] ?? '');
  // A lease sink whose description cannot be read never expires (an invalid date): it is never
  // ignored, only removed by --break-lease.
  return { sink, holder: match?.[1] ?? 'unknown', until };
}

/** The host as a lease names it: reduced to characters a description and DESCRIPTION both keep. */
function safeHost(host: string): string {
  return host.replace(/[^A-Za-z0-9._-]/g, '_');
}

function lockedError(held: HeldLease, stack: string | undefined): SinkopsError {
  const until = Number.isNaN(held.until.getTime()) ? 'an unreadable time' : held.until.toISOString();
  return new SinkopsError('LOCKED', `another sinkops apply holds the lease on this account${stack === undefined ? '' : ` for stack ${stack}`}; nothing was applied`, {
    details: [
      `lease sink ${held.sink.sid}, held by ${held.holder}, until ${until}`,
      'Wait for that apply to finish. If it is gone, its lease expires by itself; or re-run with --break-lease to remove it.',
    ],
  });
}

/**
 * Whether the lease has a slot: it is a sink, so it needs one of its own all through the apply.
 * When the plan's peak leaves none, taking it would make Twilio refuse a create halfway (91003):
 * the caller applies without it, says so, and still checks that the account is as planned.
 */
export function leaseFits(count: { readonly peak: number; readonly limit: number }): boolean {
  return count.peak + 1 <= count.limit;
}

/** Takes the lease, or throws LOCKED naming who holds it. */
export async function acquireLease(api: SinksApi, options: LeaseOptions): Promise<Lease> {
  const marker = leaseMarker(options.stack);
  const now = options.now();
  const leases = (sinks: readonly RemoteSink[]): HeldLease[] => sinks.flatMap((s) => readLease(s, options.stack) ?? []);
  const host = safeHost(options.host);
  // A holder on this host whose process is gone left its lease behind when it was killed.
  const gone = (holder: string): boolean => {
    const [holderHost, pid] = holder.split(':');
    return holderHost === host && /^\d+$/.test(pid ?? '') && !options.isRunning(Number(pid));
  };
  const live = (held: HeldLease): boolean => !(held.until.getTime() <= now.getTime()) && !gone(held.holder);

  const found = leases(await api.listSinks());
  const blocking = options.breakOthers === true ? [] : found.filter(live);
  if (blocking[0] !== undefined) throw lockedError(blocking[0], options.stack);
  // Expired, stale or broken leases go first; a failure here only leaves them to the next apply.
  await Promise.all(found.map((held) => api.deleteSink(held.sink.sid).catch(() => undefined)));

  const until = new Date(now.getTime() + options.ttlMs);
  const mine = await api.createSink({
    description: `sinkops apply in progress by ${host}:${options.pid} until ${until.toISOString()} ${marker}`,
    sinkType: 'webhook',
    sinkConfiguration: { destination: LEASE_DESTINATION, method: 'POST', batch_events: false },
  });
  const release = (through: SinksApi = api): Promise<void> => through.deleteSink(mine.sid);
  const listed = await api.listSinks();
  const others = leases(listed)
    .filter((held) => held.sink.sid !== mine.sid && live(held))
    .sort((a, b) => compareText(a.sink.sid, b.sink.sid));
  if (others[0] !== undefined) {
    await release().catch(() => undefined);
    throw lockedError(others[0], options.stack);
  }
  return { sid: mine.sid, sinks: listed, release };
}
