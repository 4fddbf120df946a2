// @ts-check
/**
 * Reading the emulator's request log of a run over many accounts: each request names the account
 * whose credentials it carried (`account`), so the log says how many requests each account cost,
 * and which reads were made once for the whole run (the Accounts list, the event-type catalogue).
 */

/** @typedef {{ method: string, path: string, status: number, account?: string }} LoggedRequest */

/** The Accounts API list (the parent's; not an account's own cost). @param {LoggedRequest} r */
export const isAccountsList = (r) => r.path.startsWith('/2010-04-01/Accounts');
/** The event-type catalogue and schema versions: the same for every account (SPEC §10: read once per plan). @param {LoggedRequest} r */
export const isCatalogue = (r) => r.path.startsWith('/v1/Types') || r.path.startsWith('/v1/Schemas/');

/**
 * Requests per account of `accounts`, leaving out those `shared` says were made once for all.
 * @param {readonly LoggedRequest[]} log
 * @param {ReadonlySet<string>} accounts  SIDs
 * @param {(r: LoggedRequest) => boolean} shared
 */
export function perAccount(log, accounts, shared) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const r of log) {
    if (r.account === undefined || !accounts.has(r.account) || shared(r)) continue;
    counts.set(r.account, (counts.get(r.account) ?? 0) + 1);
  }
  const values = [...counts.values()];
  return {
    /** Accounts that made at least one request. */
    reached: counts.size,
    max: values.length === 0 ? 0 : Math.max(...values),
    min: values.length === 0 ? 0 : Math.min(...values),
    total: values.reduce((a, b) => a + b, 0),
  };
}
