import { ValidationError } from '../errors';
import { EVENT_ACTIONS, EVENT_TYPES } from '../events/cluster-events';
import { EVENT_FILTER_KEYS, type EventFilterKey, type EventFilters } from '../events/event-filters';
import { arr, noExtraKeys, obj, oneOf, opt, str, type Json } from '../model/check';

/** An `Events` request once checked: its window in epoch milliseconds, and its filters. */
export interface EventsQuery {
  readonly since?: number;
  readonly until?: number;
  readonly filters: EventFilters;
}

/** An ISO 8601 time with a date, hours and minutes, optional seconds and fraction, and a zone. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks an `Events` request (see EventsRequest). Pure.
 * @throws ValidationError naming the field: `since`/`until` (not an ISO time, or `until` before `since`),
 * `filters.KEY` for an unknown filter, `filters.type[i]` / `filters.event[i]` for an unknown value.
 */
export function parseEventsRequest(req: Json): EventsQuery {
  const o = obj(req ?? {}, 'request');
  noExtraKeys(o, '', ['since', 'until', 'filters']);
  const since = opt(o.since, 'since', isoTime);
  const until = opt(o.until, 'until', isoTime);
  if (since !== undefined && until !== undefined && until < since) throw new ValidationError('until', `${o.until} is before since (${o.since})`);
  return { since, until, filters: opt(o.filters, 'filters', filters) ?? {} };
}

/** Reads an ISO time as epoch milliseconds. */
function isoTime(v: Json, field: string): number {
  const text = str(v, field);
  const ms = Date.parse(text);
  if (!ISO_TIME.test(text) || Number.isNaN(ms)) throw new ValidationError(field, `${JSON.stringify(text)} is not an ISO 8601 time such as 2026-11-24T10:00:00Z`);
  return ms;
}

/** Reads event filters: known keys only, each with an array of values. */
function filters(v: Json, field: string): EventFilters {
  const o = obj(v, field);
  for (const key of Object.keys(o)) {
    if (!(EVENT_FILTER_KEYS as readonly string[]).includes(key)) throw new ValidationError(`${field}.${key}`, `unknown filter "${key}" (expected one of ${EVENT_FILTER_KEYS.join(', ')})`);
  }
  const values = <T extends string>(key: EventFilterKey, read: (x: Json, f: string) => T) => (o[key] === undefined ? {} : { [key]: arr(o[key], `${field}.${key}`, read) });
  const ref = (x: Json, f: string) => str(x, f, { nonEmpty: true });
  return {
    ...values('type', (x, f) => oneOf(x, f, EVENT_TYPES)),
    ...values('event', (x, f) => oneOf(x, f, EVENT_ACTIONS)),
    ...values('service', ref),
    ...values('node', ref),
    ...values('network', ref),
  };
}
