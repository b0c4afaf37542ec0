import type { Logger } from 'pino';
import { OrchError } from '../errors';
import type { Service, Task, TaskNetworkAttachment, VirtualIp } from '../model/types';
import { isTerminal } from '../model/task-state';
import type { ChangeEvent, ClusterStore, StoreReader, WriteTx } from '../store/contract';
import { ControlLoop } from '../util/control-loop';
import { AddressPools } from './ipam';

const BATCH = 200;
const SERVICE = 'service:';
const TASK = 'task:';

/** Address pools with every address the store holds taken: services' virtual IPs and live tasks' addresses. */
function poolsOf(r: StoreReader): AddressPools {
  const pools = new AddressPools();
  if (r.networks.size === 0) return pools;
  for (const n of r.networks.all()) pools.add(n);
  for (const s of r.services.all()) for (const v of s.endpoint.virtualIps ?? []) pools.reserve(v.networkId, v.addr);
  for (const t of r.tasks.all()) {
    if (!t.networks || isTerminal(t.status.state)) continue;
    for (const a of t.networks) pools.reserve(a.networkId, a.addr);
  }
  return pools;
}

/**
 * The virtual IPs a service should have: one per network it is on in vip mode, keeping those it has.
 * Undefined when they are already right.
 */
function virtualIpsFor(s: Service, pools: AddressPools): VirtualIp[] | undefined {
  const have = s.endpoint.virtualIps ?? [];
  const vip = (s.spec.endpoint.mode ?? 'vip') === 'vip';
  const want = vip ? (s.spec.networks ?? []).map((n) => n.target).filter((id) => pools.has(id)) : [];
  const next = want.map((networkId) => have.find((v) => v.networkId === networkId) ?? { networkId, addr: pools.allocate(networkId) });
  return JSON.stringify(next) === JSON.stringify(have) ? undefined : next;
}

/**
 * Allocator loop: gives services their virtual IPs on their networks, and new tasks their addresses on
 * their service's networks, then moves the tasks to PENDING. Published ports are allocated per service
 * when it is written. A task whose network is gone is rejected with the reason.
 *
 * Addresses are taken from what the store holds at the start of each pass, so an address is free again
 * once its task has ended or its service is gone. Only the leader runs it: it is the only writer of addresses.
 */
export class Allocator extends ControlLoop {
  constructor(store: ClusterStore, log: Logger, private readonly clock: () => Date = () => new Date()) {
    super(store, log, { name: 'allocator' });
  }

  protected *keysFor(e: ChangeEvent): Iterable<string> {
    if (e.table === 'tasks' && e.kind !== 'delete' && (e.object as Task).status.state === 'new') yield TASK + e.object.id;
    else if (e.table === 'services' && e.kind !== 'delete') yield SERVICE + e.object.id;
  }

  protected async reconcile(keys: ReadonlySet<string> | undefined): Promise<void> {
    const { services, tasks } = this.store.view((r) => {
      const wanted = (prefix: string) => (keys ? [...keys].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)) : undefined);
      const serviceIds = (wanted(SERVICE) ?? r.services.all().map((s) => s.id)).filter((id) => r.services.get(id)?.spec.networks?.length || r.services.get(id)?.endpoint.virtualIps?.length);
      const taskIds = (wanted(TASK)?.map((id) => r.tasks.get(id)) ?? r.tasks.all()).filter((t): t is Task => t?.status.state === 'new').map((t) => t.id);
      return { services: serviceIds, tasks: taskIds };
    });
    if (services.length === 0 && tasks.length === 0) return;
    // One scan per pass: this loop is the only writer of addresses, so what its own batches take is
    // reserved in the same pools as it goes (an address taken by a batch that failed stays reserved
    // until the next pass, which starts from the store again).
    const pools = this.store.view(poolsOf);
    if (services.length > 0) await this.store.update((tx) => this.allocateServices(tx, services, pools));
    for (let i = 0; i < tasks.length; i += BATCH) {
      const batch = tasks.slice(i, i + BATCH);
      await this.store.update((tx) => this.allocateTasks(tx, batch, pools));
    }
  }

  private allocateServices(tx: WriteTx, ids: readonly string[], pools: AddressPools): void {
    for (const id of ids) {
      const s = tx.services.get(id);
      if (!s) continue;
      try {
        const virtualIps = virtualIpsFor(s, pools);
        if (virtualIps) tx.services.update({ ...s, endpoint: { ...s.endpoint, virtualIps } });
      } catch (err) {
        // One service whose network is full must not hold up everyone else's allocation.
        this.log.warn({ service: s.spec.name, err: (err as Error).message }, 'allocator: no virtual IP for service');
      }
    }
  }

  private allocateTasks(tx: WriteTx, ids: readonly string[], pools: AddressPools): void {
    const now = this.clock().toISOString();
    for (const id of ids) {
      const t = tx.tasks.get(id);
      if (!t || t.status.state !== 'new') continue;
      try {
        const networks = this.addresses(t, tx.services.get(t.serviceId), pools);
        tx.tasks.update({ ...t, ...(networks.length > 0 && { networks }), status: { state: 'pending', timestamp: now, message: 'pending task scheduling' } });
      } catch (err) {
        const reason = err instanceof OrchError ? err.message : String(err);
        tx.tasks.update({ ...t, status: { state: 'rejected', timestamp: now, message: 'allocating', err: reason } });
      }
    }
  }

  /** A task's addresses on its service's networks (kept when it has them). */
  private addresses(t: Task, service: Service | undefined, pools: AddressPools): TaskNetworkAttachment[] {
    if (t.networks) return [...t.networks];
    return (service?.spec.networks ?? []).map((n) => {
      if (!pools.has(n.target)) throw new OrchError('not-found', `network ${n.target} of service ${t.serviceName} no longer exists`);
      return { networkId: n.target, addr: pools.allocate(n.target) };
    });
  }
}
