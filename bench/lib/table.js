// @ts-check
/** Renders the results as one aligned Markdown table (readable in a terminal, pasteable into a README). */

const COLUMNS = /** @type {const} */ (['scenario', 'measured', 'baseline', 'target', 'result']);

/**
 * @param {readonly import('./measure.js').Row[]} rows
 * @returns {string}
 */
export function renderTable(rows) {
  const cells = rows.map((r) => ({ ...r, result: r.pass === undefined ? '-' : r.pass ? 'pass' : 'FAIL' }));
  const widths = COLUMNS.map((c) => Math.max(c.length, ...cells.map((r) => r[c].length)));
  /** @param {readonly string[]} values */
  const line = (values) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(COLUMNS),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map((r) => line(COLUMNS.map((c) => r[c]))),
  ].join('\n');
}
