import type * as grpc from '@grpc/grpc-js';
import { OrchError } from '../errors';
import type { ScopedEvent } from '../events/cluster-events';
import { matchesFilters } from '../events/event-filters';
import type { EventRing } from '../events/event-ring';
import { recordClusterEvents, type EventStore } from '../events/store-events';
import type { Json } from '../model/check';
import type { DaemonInfo, EventsMessage } from './contract';
import { parseEventsRequest } from './events-request';
import { requestJson, toServiceError } from './grpc-json';
import type { CallGate, ControlHandlers } from './server';

/** A server-side `Events` call. */
export type EventsCall = grpc.ServerWritableStream<Json, EventsMessage>;

/** Longest delay a timer takes (about 24.8 days); a later `until` is reached in several waits. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The ring each store's events are recorded in: a manager serves its socket and its cluster port from one. */
const rings = new WeakMap<EventStore, EventRing<ScopedEvent>>();

/** The ring of `store`'s events, recording from the first time it is asked for (see recordClusterEvents). */
export function eventRingOf(store: EventStore): EventRing<ScopedEvent> {
  let ring = rings.get(store);
  if (!ring) {
    ring = recordClusterEvents(store);
    rings.set(store, ring);
  }
  return ring;
}

/**
 * The `Events` method of `orch.Control`. Every manager serves it from its own store (a follower holds the
 * whole replicated state), so it is not forwarded to the leader; a worker holds no state and refuses it.
 * Recording starts when the method is made (at daemon start), so `since` reaches back that far at most,
 * or to the oldest of the last RETAINED_EVENTS events.
 */
export function eventsMethod(store: EventStore, handlers: Pick<ControlHandlers, 'Info'>, gate: CallGate): (call: EventsCall) => void {
  const ring = eventRingOf(store);
  return (call) => {
    const start = async () => {
      gate(call);
      if (((await handlers.Info({})) as DaemonInfo).role !== 'manager') {
        throw new OrchError('unavailable', 'this node is not a swarm manager: worker nodes hold no cluster state to stream events from; run this on a manager');
      }
      streamEvents(call, ring);
    };
    start().catch((err) => call.emit('error', toServiceError(err)));
  };
}

/**
 * Serves one `Events` call from `ring` (see EventsRequest): replays the retained events in the window
 * when `since` or `until` is given, then streams new ones, and ends the call once `until` passes. Only
 * events whose time lies in the window and that pass the filters are sent.
 * @throws ValidationError for a bad request, before anything is sent
 */
export function streamEvents(call: EventsCall, ring: EventRing<ScopedEvent>, now: () => number = Date.now): void {
  const { since, until, filters } = parseEventsRequest(requestJson(call.request));
  const send = (e: ScopedEvent) => {
    const t = Date.parse(e.event.time);
    if ((since === undefined || t >= since) && (until === undefined || t <= until) && matchesFilters(e, filters)) call.write(e.event);
  };
  const replay = since !== undefined || until !== undefined;
  if (until !== undefined && until <= now()) {
    for (const e of ring.recent()) send(e);
    call.end();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = ring.subscribe(send, replay);
  const stop = () => {
    clearTimeout(timer);
    unsubscribe();
  };
  if (until !== undefined) {
    const wait = () => {
      const left = until - now();
      if (left > 0) {
        timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS));
        return;
      }
      stop();
      call.end();
    };
    wait();
  }
  call.on('cancelled', stop);
  call.on('close', stop);
}
