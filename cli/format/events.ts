import type { ClusterEvent } from '../../core/events/cluster-events';
import type { ListFormat } from './output';

/**
 * One event as `orch events` prints it, newline included. By default as docker does:
 * `TIME TYPE ACTION ID (name=NAME, key=value, …)`, the time in UTC with nanoseconds and the attributes
 * (the name among them) sorted by key; with `--format json`, the event as one JSON object.
 */
export function renderEvent(e: ClusterEvent, format: ListFormat): string {
  if (format === 'json') return `${JSON.stringify(e)}\n`;
  const attributes = Object.entries({ ...e.attributes, name: e.name })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${nanoTime(e.time)} ${e.type} ${e.action} ${e.id} (${attributes})\n`;
}

/** An ISO time in UTC with nine fraction digits, as docker prints event times (`2026-11-24T10:00:00.000000000Z`). */
function nanoTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
