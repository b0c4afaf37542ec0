import type { ClusterDialer } from '../cluster/contract';
import { ControlClient } from './client';

/** Clients of other managers' control API over mutual TLS: one per address, kept until `close`. */
export class ControlClients {
  private readonly clients = new Map<string, ControlClient>();

  constructor(private readonly dialer: ClusterDialer) {}

  /** The client of the manager at `addr`. */
  get(addr: string): ControlClient {
    let c = this.clients.get(addr);
    if (!c) {
      c = new ControlClient(addr, this.dialer.managerCredentials());
      this.clients.set(addr, c);
    }
    return c;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
