/**
 * What a sink create sends beyond what the repository says. Twilio lists an empty `method` or
 * `batch_events` among the causes of error 91000 (invalid sink configuration), so a webhook create
 * always carries both (SPEC §12 "Webhook creates send `method` and `batch_events` explicitly"),
 * with the values the planner already reads as Twilio's defaults: `POST` and `false`.
 */

const WEBHOOK_DEFAULTS: Readonly<Record<string, unknown>> = { method: 'POST', batch_events: false };

/** `configuration` with the defaults of `sinkType` for every key it leaves out; given values are kept as given. */
export function withCreateDefaults(sinkType: string, configuration: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  if (sinkType !== 'webhook') return configuration;
  const missing = Object.entries(WEBHOOK_DEFAULTS).filter(([key]) => configuration[key] === undefined || configuration[key] === null);
  return missing.length === 0 ? configuration : { ...configuration, ...Object.fromEntries(missing) };
}
