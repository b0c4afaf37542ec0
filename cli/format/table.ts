/** Columns are at least this wide, and padded by at least `GAP` spaces (docker's tabwriter settings). */
const MIN_WIDTH = 10;
const GAP = 3;

/**
 * Lays out a table as docker does: a header row, then one line per row, each column as wide as its
 * widest cell plus three spaces (at least ten); the last column is not padded. Ends with a newline.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(MIN_WIDTH, ...all.map((r) => (r[i] ?? '').length + GAP)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('')
      .trimEnd();
  return all.map(line).join('\n') + '\n';
}
