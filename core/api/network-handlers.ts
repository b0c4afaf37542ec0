import { createHash } from 'node:crypto';
import { allocateSubnet } from '../allocator/subnets';
import { NotFoundError, OrchError, ValidationError } from '../errors';
import { arr, obj, opt, str, type Json } from '../model/check';
import { newId } from '../model/ids';
import { parseNetworkSpec } from '../model/network-spec';
import { refuseRepeatedNetworks } from '../model/service-spec';
import type { Network, NetworkAttachmentConfig, Service } from '../model/types';
import type { ClusterStore, StoreReader } from '../store/contract';
import { resolveRef } from './resolve';
import type { Handler } from './service-handlers';

/** Finds a network by id, name or unique id prefix. @throws NotFoundError, or OrchError(invalid) when ambiguous. */
export function findNetwork(r: StoreReader, ref: string): Network {
  return resolveRef('network', ref, r.networks.all(), (n) => n.spec.name);
}

/**
 * A service's network attachments with each target resolved (name, id or unique id prefix) to the
 * network's id, as the store keeps them.
 * @throws ValidationError naming `networks[i].target` when a network is unknown, ambiguous or attached twice.
 */
export function resolveAttachments(r: StoreReader, networks: readonly NetworkAttachmentConfig[]): NetworkAttachmentConfig[] {
  const resolved = networks.map((n, i) => {
    try {
      return { ...n, target: findNetwork(r, n.target).id };
    } catch (err) {
      if (err instanceof NotFoundError) throw new ValidationError(`networks[${i}].target`, `network "${n.target}" not found`);
      if (err instanceof OrchError) throw new ValidationError(`networks[${i}].target`, err.message);
      throw err;
    }
  });
  refuseRepeatedNetworks(
    resolved.map((n) => n.target),
    networks.map((n) => n.target),
  );
  return resolved;
}

/** The services whose spec attaches them to network `id`. */
export function servicesOn(r: StoreReader, id: string): Service[] {
  return r.services.all().filter((s) => s.spec.networks?.some((n) => n.target === id));
}

/**
 * Where this cluster starts looking for free subnets: a number derived from its id, so that clusters
 * sharing one Docker engine rarely pick the same subnet.
 */
export function subnetOffset(clusterId: string | undefined): number {
  return clusterId === undefined ? 0 : createHash('sha256').update(clusterId).digest().readUInt32BE(0);
}

function listFilters(v: Json) {
  const o = obj(v ?? {}, 'filters');
  const strings = (x: Json, f: string) => arr(x, f, (s, fi) => str(s, fi));
  return { name: opt(o.name, 'filters.name', strings), id: opt(o.id, 'filters.id', strings), driver: opt(o.driver, 'filters.driver', strings) };
}

/** Handlers of the network methods of the control API. */
export function networkHandlers(store: ClusterStore) {
  const NetworkCreate: Handler<'NetworkCreate'> = async (req) => {
    const spec = parseNetworkSpec(obj(req, 'request').spec);
    const { result } = await store.update((tx) => {
      if (tx.networks.byName(spec.name)) throw new OrchError('conflict', `a network named "${spec.name}" already exists`, 'name');
      const offset = subnetOffset(tx.clusters.all()[0]?.id);
      const network = { id: newId(), spec, ...allocateSubnet(spec.subnet, tx.networks.all(), offset) };
      tx.networks.create(network);
      return network.id;
    });
    return { network: store.view((r) => r.networks.get(result)!) };
  };

  const NetworkList: Handler<'NetworkList'> = async (req) => {
    const filters = listFilters(obj(req, 'request').filters);
    const networks = store.view((r) =>
      r.networks
        .all()
        .filter((n) => !filters.name || filters.name.some((name) => n.spec.name.includes(name)))
        .filter((n) => !filters.id || filters.id.some((id) => n.id.startsWith(id)))
        .filter((n) => !filters.driver || filters.driver.includes(n.spec.driver)),
    );
    return { networks: [...networks].sort((a, b) => a.spec.name.localeCompare(b.spec.name)) };
  };

  const NetworkInspect: Handler<'NetworkInspect'> = async (req) => {
    const ref = str(obj(req, 'request').ref, 'ref', { nonEmpty: true });
    return store.view((r) => {
      const network = findNetwork(r, ref);
      return { network, services: servicesOn(r, network.id).map((s) => s.id) };
    });
  };

  const NetworkRemove: Handler<'NetworkRemove'> = async (req) => {
    const ref = str(obj(req, 'request').ref, 'ref', { nonEmpty: true });
    const { result } = await store.update((tx) => {
      const network = findNetwork(tx, ref);
      const users = servicesOn(tx, network.id).map((s) => s.spec.name);
      if (users.length > 0) throw new OrchError('conflict', `network ${network.spec.name} is in use by service(s) ${users.sort().join(', ')}`);
      tx.networks.delete(network.id);
      return network.id;
    });
    return { id: result };
  };

  return { NetworkCreate, NetworkList, NetworkInspect, NetworkRemove };
}
