import { invalidParameter } from './errors.js';
import type { Cursor, TablePage } from './ordered-table.js';

/**
 * Twilio's list paging (v1 here; the 2010 API's shape is in pagination-2010.ts): `PageSize` (default 50, at most 1000), `Page` (an index the server only
 * echoes) and `PageToken` (an opaque cursor the server hands out in `meta.next_page_url` and
 * `meta.previous_page_url`). Tokens here are `PA<hex seq>` (after) and `PB<hex seq>` (before): a
 * position in the table, so a token stays valid when records are added or deleted.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  readonly pageSize: number;
  readonly page: number;
  readonly token: string | undefined;
  readonly cursor: Cursor | undefined;
}

export interface ListMeta {
  readonly page: number;
  readonly page_size: number;
  readonly first_page_url: string;
  readonly previous_page_url: string | null;
  readonly url: string;
  readonly next_page_url: string | null;
  readonly key: string;
}

const TOKEN = /^P([AB])([0-9a-f]{1,12})$/;

export function encodeToken(cursor: Cursor): string {
  return 'after' in cursor ? `PA${cursor.after.toString(16)}` : `PB${cursor.before.toString(16)}`;
}

export function decodeToken(token: string): Cursor | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const seq = parseInt(m[2]!, 16);
  return m[1] === 'A' ? { after: seq } : { before: seq };
}

/** Reads the paging parameters; nonsense is a 400, a PageSize above the maximum is clamped as Twilio does. */
export function parsePageRequest(query: URLSearchParams): PageRequest {
  const sizeParam = query.get('PageSize');
  let pageSize = DEFAULT_PAGE_SIZE;
  if (sizeParam !== null) {
    if (!/^\d{1,9}$/.test(sizeParam) || Number(sizeParam) < 1) {
      throw invalidParameter(`Invalid PageSize ${JSON.stringify(sizeParam)}: must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    pageSize = Math.min(Number(sizeParam), MAX_PAGE_SIZE);
  }
  const pageParam = query.get('Page');
  let page = 0;
  if (pageParam !== null) {
    if (!/^\d{1,9}$/.test(pageParam)) throw invalidParameter(`Invalid Page ${JSON.stringify(pageParam)}: must be a whole number of at least 0`);
    page = Number(pageParam);
  }
  const token = query.get('PageToken') ?? undefined;
  let cursor: Cursor | undefined;
  if (token !== undefined) {
    cursor = decodeToken(token);
    if (!cursor) throw invalidParameter(`Invalid PageToken ${JSON.stringify(token)}: use the page links the API returns`);
  }
  return { pageSize, page, token, cursor };
}

/**
 * The `meta` object of a list response. URLs are absolute on `origin`, keep the filters in
 * `filters` (in that order), then PageSize, Page and PageToken, like Twilio's.
 */
export function buildMeta<T>(
  origin: string,
  path: string,
  filters: ReadonlyArray<readonly [string, string]>,
  request: PageRequest,
  result: TablePage<T>,
  key: string,
): ListMeta {
  const link = (page: number, token: string | undefined): string => `${origin}${pageLink(path, filters, request.pageSize, page, token)}`;
  const { next, previous } = adjacentTokens(request, result);
  return {
    page: request.page,
    page_size: request.pageSize,
    first_page_url: link(0, undefined),
    previous_page_url: previous === undefined ? null : link(Math.max(request.page - 1, 0), previous),
    url: link(request.page, request.token),
    next_page_url: next === undefined ? null : link(request.page + 1, next),
    key,
  };
}

/** A page's path with its query: the filters (in order), then PageSize, Page and PageToken. */
export function pageLink(path: string, filters: ReadonlyArray<readonly [string, string]>, pageSize: number, page: number, token: string | undefined): string {
  const params = new URLSearchParams([...filters.map(([k, v]) => [k, v] as [string, string]), ['PageSize', String(pageSize)], ['Page', String(page)]]);
  if (token !== undefined) params.set('PageToken', token);
  return `${path}?${params.toString()}`;
}

/** The tokens of the pages after and before `result`; undefined where there is none. */
export function adjacentTokens<T>(request: PageRequest, result: TablePage<T>): { next: string | undefined; previous: string | undefined } {
  const cursor = request.cursor;
  // An empty page has no items to anchor on; the cursor itself marks the position then.
  const nextAnchor = result.lastSeq ?? (cursor !== undefined && 'before' in cursor ? cursor.before - 1 : undefined);
  const previousAnchor = result.firstSeq ?? (cursor !== undefined && 'after' in cursor ? cursor.after + 1 : undefined);
  return {
    next: result.hasNext && nextAnchor !== undefined ? encodeToken({ after: nextAnchor }) : undefined,
    previous: result.hasPrevious && previousAnchor !== undefined ? encodeToken({ before: previousAnchor }) : undefined,
  };
}
