/** Plain-text tables for the benchmarks' reports. */

/** One table row: the first cell padded on the right to its width, the others on the left (numbers line up). */
export function tableRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}
