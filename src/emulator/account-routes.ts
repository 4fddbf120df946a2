import { accountFieldProblem, isAccountStatus, type AccountFilter } from './accounts.js';
import { forbidden, invalidParameter, notFound } from './errors.js';
import { ACCOUNT_STATUSES } from './options.js';
import { parsePageRequest } from './pagination.js';
import { buildPage2010 } from './pagination-2010.js';
import { accountResource } from './resources.js';
import type { Handler } from './route-types.js';
import { isoNow } from './sids.js';

/**
 * Handlers for the 2010 API's Accounts (the part of it that fleets use): a caller sees itself
 * and, when it is a main account, its subaccounts; anything else is a 404, as if it did not
 * exist. Only a main account creates subaccounts.
 */

const ACCOUNTS_PATH = '/2010-04-01/Accounts.json';

export const listAccounts: Handler = async (ctx) => {
  const request = parsePageRequest(ctx.query);
  const filters: [string, string][] = [];
  let filter: AccountFilter = {};
  const friendlyName = ctx.query.get('FriendlyName');
  if (friendlyName !== null) {
    filter = { ...filter, friendlyName };
    filters.push(['FriendlyName', friendlyName]);
  }
  const status = ctx.query.get('Status');
  if (status !== null) {
    if (!isAccountStatus(status)) throw invalidParameter(`Invalid Status ${JSON.stringify(status)}: must be one of ${ACCOUNT_STATUSES.join(', ')}`);
    filter = { ...filter, status };
    filters.push(['Status', status]);
  }
  const page = ctx.accounts.list(ctx.account, filter, request.pageSize, request.cursor);
  return { status: 200, mutated: false, body: { accounts: page.items.map(accountResource), ...buildPage2010(ACCOUNTS_PATH, filters, request, page) } };
};

export const fetchAccount: Handler = async (ctx, [sid]) => {
  const account = ctx.accounts.visibleTo(ctx.account, sid!);
  if (!account) throw notFound(ctx.path);
  return { status: 200, mutated: false, body: accountResource(account) };
};

/** A new subaccount of the caller: active, with a random SID and auth token. */
export const createAccount: Handler = async (ctx) => {
  if (ctx.account.ownerAccountSid !== undefined) {
    throw forbidden(`Account ${ctx.account.sid} is a subaccount, and subaccounts cannot create subaccounts: use the main account's credentials`);
  }
  const given = (await ctx.form()).get('FriendlyName');
  // Twilio names a subaccount created without a name after the time it was created.
  const friendlyName = given === null || given === '' ? `SubAccount Created at ${isoNow().slice(0, 16).replace('T', ' ')}` : given;
  const problem = accountFieldProblem.friendlyName(friendlyName);
  if (problem !== undefined) throw invalidParameter(`Invalid FriendlyName: ${problem}`);
  const account = ctx.accounts.add({ friendlyName, ownerAccountSid: ctx.account.sid });
  return { status: 201, mutated: true, created: true, body: accountResource(account) };
};
