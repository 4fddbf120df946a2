/**
 * Ownership markers (SPEC §3). Twilio sinks carry no labels, so the description sinkops sends ends
 * with `[sinkops:<name>]` (or `[sinkops:<stack>/<name>]` with `--stack`). A sink is managed by a
 * stack exactly when its description ends with that stack's marker; a marker of another stack (or
 * none, or a marker without a stack while we run with one) makes the sink unmanaged for us.
 */

/** The name rule of SPEC §2; a marker whose name breaks it was not written by sinkops. */
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** The last bracketed token, anchored at the end of the description. */
const TRAILING_MARKER = /\[sinkops:([^\]\s]+)\]$/;

export function markerFor(name: string, stack?: string): string {
  return stack === undefined ? `[sinkops:${name}]` : `[sinkops:${stack}/${name}]`;
}

/** The description sinkops sends: the repository's description, one space, the marker. */
export function withMarker(description: string, name: string, stack?: string): string {
  const marker = markerFor(name, stack);
  return description === '' ? marker : `${description} ${marker}`;
}

/** The name in this stack's marker at the end of `description`, or undefined when it has none. */
export function parseMarker(description: string, stack?: string): string | undefined {
  const match = TRAILING_MARKER.exec(description);
  const body = match?.[1];
  if (body === undefined) return undefined;
  let name: string;
  if (stack === undefined) {
    if (body.includes('/')) return undefined; // another stack's sink
    name = body;
  } else {
    const prefix = `${stack}/`;
    if (!body.startsWith(prefix)) return undefined;
    name = body.slice(prefix.length);
  }
  return NAME.test(name) ? name : undefined;
}

/**
 * A subscription's marker (SPEC §13): `[sinkops:<sink>#<subscription>]`, or with a stack
 * `[sinkops:S/<sink>#<subscription>]`. The `#` keeps it apart from a sink's marker, which
 * parseMarker never reads it as.
 */
export function subscriptionMarkerFor(sink: string, name: string, stack?: string): string {
  return markerFor(`${sink}#${name}`, stack);
}

/** The description sinkops sends for a subscription: the repository's description, one space, the marker. */
export function withSubscriptionMarker(description: string, sink: string, name: string, stack?: string): string {
  const marker = subscriptionMarkerFor(sink, name, stack);
  return description === '' ? marker : `${description} ${marker}`;
}

/** The sink and subscription names in this stack's subscription marker, or undefined when it has none. */
export function parseSubscriptionMarker(description: string, stack?: string): { readonly sink: string; readonly name: string } | undefined {
  const body = TRAILING_MARKER.exec(description)?.[1];
  if (body === undefined) return undefined;
  let rest: string;
  if (stack === undefined) {
    if (body.includes('/')) return undefined;
    rest = body;
  } else {
    if (!body.startsWith(`${stack}/`)) return undefined;
    rest = body.slice(stack.length + 1);
  }
  const [sink, name, ...extra] = rest.split('#');
  if (sink === undefined || name === undefined || extra.length > 0 || !NAME.test(sink) || !NAME.test(name)) return undefined;
  return { sink, name };
}

/** The sinkops marker (of any stack) that `description` ends with, brackets included. */
export function trailingMarker(description: string): string | undefined {
  return TRAILING_MARKER.exec(description)?.[0];
}

/** Whether the description ends with any sinkops marker, of this stack or another. */
export function hasAnyMarker(description: string): boolean {
  return TRAILING_MARKER.test(description);
}

/**
 * The lease an apply holds on an account (src/apply/lease.ts) is a sink of its own, told apart by
 * this marker: `[sinkops-lease:<stack>]`, or `[sinkops-lease:-]` without a stack. It is no sink of
 * any stack's (parseMarker never reads it), and `import` leaves it alone.
 */
export function leaseMarker(stack?: string): string {
  return `[sinkops-lease:${stack ?? '-'}]`;
}

/** Where a lease sink points: a name that can never resolve (`.invalid`, RFC 2606). */
export const LEASE_DESTINATION = 'https://lease.sinkops.invalid/';

/**
 * Whether a sink is an apply's lease, of any stack: the lease marker on a webhook to the lease's own
 * destination. A real sink whose description someone gave the marker is not one, so it is never
 * hidden from a plan, skipped by import, or deleted as an expired lease.
 */
export function isLeaseSink(sink: { readonly description: string; readonly sinkType: string; readonly sinkConfiguration: Readonly<Record<string, unknown>> }): boolean {
  return /\[sinkops-lease:[^\]\s]+\]$/.test(sink.description) && sink.sinkType === 'webhook' && sink.sinkConfiguration['destination'] === LEASE_DESTINATION;
}

/** Whether a sink is a lease of this stack's applies (see isLeaseSink). */
export function isLeaseOf(sink: Parameters<typeof isLeaseSink>[0], stack?: string): boolean {
  return isLeaseSink(sink) && sink.description.endsWith(leaseMarker(stack));
}
