import pino, { type Logger } from 'pino';
import type { CertificateAuthority } from '../../cluster/ca-contract';
import { Hooks } from '../../hooks';
import type { Labels } from '../../model/types';
import { runPool } from './pool';
import { sharedKeyCA } from './shared-key-ca';
import { SimNode, type SimNodeOptions } from './sim-node';

/** How to start a {@link SimFleet}. */
export interface SimFleetOptions {
  /** How many nodes. */
  readonly count: number;
  /** A worker join token. */
  readonly token: string;
  /** The manager every node joins through (they find the leader and the other managers from there). */
  readonly managerAddr: string;
  /** The cluster's CA provider (e.g. ca-forge's); its key is made once and shared, see `sharedKeyCA`. */
  readonly ca: CertificateAuthority;
  /** The runtime of node `i` (0-based), e.g. `new SimRuntime({ hostname, resources })`. */
  runtime(i: number): SimNodeOptions['runtime'];
  /** The hostname of node `i`. Default `sim-<i>`. */
  hostname?(i: number): string;
  /** The engine labels node `i` joins with. Default none. */
  engineLabels?(i: number): Labels;
  /** How many nodes join at once. Default 16. */
  readonly concurrency?: number;
  /** Where the nodes log. Default: nowhere. */
  readonly log?: Logger;
}

/**
 * Many {@link SimNode}s in this process: they join in parallel (`concurrency` at a time) and share one
 * logger, one set of hooks and one key, each with its own certificate, node id, connection and runtime.
 */
export class SimFleet {
  private constructor(readonly nodes: readonly SimNode[]) {}

  /** Joins `count` nodes; if one fails to join, those that joined are killed and the error is thrown. */
  static async start(o: SimFleetOptions): Promise<SimFleet> {
    const ca = sharedKeyCA(o.ca);
    const hooks = new Hooks();
    const log = o.log ?? pino({ enabled: false });
    const nodes: SimNode[] = new Array(o.count);
    const join = async (i: number) => {
      const hostname = o.hostname?.(i) ?? `sim-${i}`;
      nodes[i] = await SimNode.join({ token: o.token, managerAddr: o.managerAddr, hostname, engineLabels: o.engineLabels?.(i), runtime: o.runtime(i), ca, hooks, log });
    };
    try {
      await runPool(o.count, o.concurrency ?? 16, join);
    } catch (err) {
      for (const n of nodes) n?.kill();
      throw err;
    }
    return new SimFleet(nodes);
  }

  /** The nodes still alive. */
  get alive(): SimNode[] {
    return this.nodes.filter((n) => n.alive);
  }

  /** Kills every node (see `SimNode.kill`). */
  close(): void {
    for (const n of this.nodes) n.kill();
  }
}
