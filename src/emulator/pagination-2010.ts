import type { TablePage } from './ordered-table.js';
import { adjacentTokens, pageLink, type PageRequest } from './pagination.js';

/**
 * The paging fields of a 2010 API list (`GET /2010-04-01/Accounts.json`), beside the records'
 * own key: `uri`, `first_page_uri`, `next_page_uri` and `previous_page_uri` are paths with their
 * query (the twilio library resolves them on the origin it called), `start`/`end` the indexes of
 * the page's first and last record. Parameters and tokens are the v1 ones (pagination.ts).
 */
export interface Page2010 {
  readonly end: number;
  readonly first_page_uri: string;
  readonly next_page_uri: string | null;
  readonly page: number;
  readonly page_size: number;
  readonly previous_page_uri: string | null;
  readonly start: number;
  readonly uri: string;
}

export function buildPage2010<T>(path: string, filters: ReadonlyArray<readonly [string, string]>, request: PageRequest, result: TablePage<T>): Page2010 {
  const link = (page: number, token: string | undefined): string => pageLink(path, filters, request.pageSize, page, token);
  const { next, previous } = adjacentTokens(request, result);
  const start = request.page * request.pageSize;
  return {
    end: Math.max(start, start + result.items.length - 1),
    first_page_uri: link(0, undefined),
    next_page_uri: next === undefined ? null : link(request.page + 1, next),
    page: request.page,
    page_size: request.pageSize,
    previous_page_uri: previous === undefined ? null : link(Math.max(request.page - 1, 0), previous),
    start,
    uri: link(request.page, request.token),
  };
}
