import type { EventRef, ScopedEvent } from './cluster-events';

/** The filters `orch events --filter` knows, as docker names them (`event` is the action). */
export const EVENT_FILTER_KEYS = ['type', 'event', 'service', 'node', 'network'] as const;
/** A filter key of `orch events`. */
export type EventFilterKey = (typeof EVENT_FILTER_KEYS)[number];

/**
 * Event filters: an event passes when, for every key given, it matches one of the key's values.
 * `service`, `node` and `network` take ids, id prefixes or names.
 */
export type EventFilters = { readonly [K in EventFilterKey]?: readonly string[] };

/**
 * True when `e` passes `filters`. `type` and `event` match the event's type and action; `service` matches
 * service events and the events of the service's tasks; `node` node events and the events of tasks on the
 * node; `network` network events and the events of tasks attached to the network. Pure.
 */
export function matchesFilters(e: ScopedEvent, filters: EventFilters): boolean {
  const { event, scope } = e;
  return (
    anyOf(filters.type, (v) => v === event.type) &&
    anyOf(filters.event, (v) => v === event.action) &&
    anyOf(filters.service, (v) => refMatches(scope.service, v)) &&
    anyOf(filters.node, (v) => refMatches(scope.node, v)) &&
    anyOf(filters.network, (v) => scope.networks.some((n) => refMatches(n, v)))
  );
}

/** True when no values are given, or one of them matches. */
function anyOf(values: readonly string[] | undefined, match: (v: string) => boolean): boolean {
  return values === undefined || values.length === 0 || values.some(match);
}

/** True when `v` is the object's name, its id or a prefix of its id, as docker's event filters match. */
function refMatches(ref: EventRef | undefined, v: string): boolean {
  return ref !== undefined && v !== '' && (ref.id.startsWith(v) || ref.name === v);
}
