import { UsageError } from '../errors';
import { renderTable } from './table';

/** How a list command prints: a table, or one JSON object per line (`--format json`). */
export type ListFormat = 'table' | 'json';

/** Reads a `--format` value: only `json` is known (absent means a table). */
export function parseFormat(value: string | undefined): ListFormat {
  if (value === undefined) return 'table';
  if (value === 'json') return 'json';
  throw new UsageError('--format', `expected "json", got "${value}"`);
}

/** One column of a list: its header and how a row shows in it. */
export interface Column<R> {
  readonly header: string;
  readonly value: (row: R) => string;
}

/** Prints rows as a table of `columns`, or as the row objects themselves, one JSON line each. */
export function renderList<R extends object>(format: ListFormat, columns: readonly Column<R>[], rows: readonly R[]): string {
  if (format === 'json') return rows.map((r) => JSON.stringify(r) + '\n').join('');
  return renderTable(
    columns.map((c) => c.header),
    rows.map((r) => columns.map((c) => c.value(r))),
  );
}

/** Objects as `inspect` prints them: a pretty JSON array, or with `--format json` one compact object per line. */
export function renderInspect(format: ListFormat, objects: readonly unknown[]): string {
  return format === 'json' ? objects.map((o) => JSON.stringify(o) + '\n').join('') : JSON.stringify(objects, null, 4) + '\n';
}
