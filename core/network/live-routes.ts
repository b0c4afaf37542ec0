import type { Network } from '../model/types';
import type { ClusterStore } from '../store/contract';
import type { Endpoint, RouteChange, ServiceRoute } from './contract';
import { fullRoutes, routeChange } from './routes';

/**
 * The complete routing state of a store, kept in step with its changes from `start` to `stop`: every node
 * session that opens gets it without a scan of every task (a thousand sessions open after each election).
 * Serves one term of leadership: the leader's store changes only by its own commits, never by a snapshot
 * installed over it.
 */
export class LiveRoutes {
  private readonly services = new Map<string, ServiceRoute>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly networks = new Map<string, Network>();
  /** The complete state as last read, until the next change. */
  private complete: RouteChange | undefined;
  private unwatch: (() => void) | undefined;

  constructor(private readonly store: ClusterStore) {}

  /** Reads the complete state and follows every change after it. */
  start(): void {
    this.stop();
    this.store.view((r) => {
      this.merge(fullRoutes(r));
      this.unwatch = this.store.watch((events) => {
        const change = routeChange(events);
        if (change) this.merge(change);
      }, r.version);
    });
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.services.clear();
    this.endpoints.clear();
    this.networks.clear();
    this.complete = undefined;
  }

  /** The complete routing state now, as a `full` change. */
  full(): RouteChange {
    return (this.complete ??= {
      full: true,
      services: [...this.services.values()],
      removedServices: [],
      endpoints: [...this.endpoints.values()],
      removedEndpoints: [],
      networks: [...this.networks.values()],
      removedNetworks: [],
    });
  }

  private merge(change: RouteChange): void {
    for (const id of change.removedServices) this.services.delete(id);
    for (const s of change.services) this.services.set(s.id, s);
    for (const id of change.removedEndpoints) this.endpoints.delete(id);
    for (const e of change.endpoints) this.endpoints.set(e.taskId, e);
    for (const id of change.removedNetworks) this.networks.delete(id);
    for (const n of change.networks) this.networks.set(n.id, n);
    this.complete = undefined;
  }
}
