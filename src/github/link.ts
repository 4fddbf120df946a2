/**
 * GitHub paginates lists with an RFC 8288 `Link` header:
 * `<https://api.github.com/…?page=2>; rel="next", <https://api.github.com/…?page=5>; rel="last"`.
 * https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */

/** The `rel="next"` target, or undefined on the last page. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (text === undefined) return undefined;
  for (const m of text.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const params = m[2] ?? '';
    const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(params)?.[1];
    if (rel !== undefined && rel.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}
