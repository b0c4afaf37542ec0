import { ValidationError } from '../errors';
import { arr, obj, oneOf, opt, str, strMap, type Json } from '../model/check';
import type { Node } from '../model/types';
import type { ClusterStore, StoreReader } from '../store/contract';
import { updateRetrying } from '../store/update-retrying';
import type { LogStatus } from '../store/replicated-log';
import type { ControlApi, ManagerStatus } from './contract';
import { resolveRef } from './resolve';

function findNode(r: StoreReader, ref: string): Node {
  return resolveRef('node', ref, r.nodes.all(), (n) => n.description.hostname);
}

/** Each consensus member's status by node id, from a member's view (complete on the leader). */
export function managerStatuses(status: LogStatus): Record<string, ManagerStatus> {
  const out: Record<string, ManagerStatus> = {};
  for (const m of status.members) {
    const reachability = m.reachable ? 'reachable' : status.isLeader ? 'unreachable' : 'unknown';
    out[m.id] = { addr: m.addr, leader: m.id === status.leaderId, reachability };
  }
  return out;
}

/**
 * Handlers of the node methods of the control API. `selfId` is the node serving the API; `consensus`
 * gives its view of the managers.
 */
export function nodeHandlers(store: ClusterStore, selfId: string, consensus: () => LogStatus) {
  const NodeList = async (): Promise<ControlApi['NodeList']['res']> => {
    const nodes = store.view((r) => [...r.nodes.all()]);
    nodes.sort((a, b) => a.description.hostname.localeCompare(b.description.hostname) || a.id.localeCompare(b.id));
    return { nodes, self: selfId, managers: managerStatuses(consensus()) };
  };

  const NodeInspect = async (req: Json): Promise<ControlApi['NodeInspect']['res']> => {
    const ref = str(obj(req, 'request').ref, 'ref', { nonEmpty: true });
    const node = store.view((r) => findNode(r, ref === 'self' ? selfId : ref));
    const managerStatus = managerStatuses(consensus())[node.id];
    return managerStatus ? { node, managerStatus } : { node };
  };

  const NodeUpdate = async (req: Json): Promise<ControlApi['NodeUpdate']['res']> => {
    const o = obj(req, 'request');
    const ref = str(o.ref, 'ref', { nonEmpty: true });
    const availability = opt(o.availability, 'availability', (x, f) => oneOf(x, f, ['active', 'pause', 'drain'] as const));
    const labelAdd = opt(o.labelAdd, 'label-add', strMap) ?? {};
    const labelRm = opt(o.labelRm, 'label-rm', (x, f) => arr(x, f, (s, fi) => str(s, fi, { nonEmpty: true }))) ?? [];
    const result = await updateRetrying(store, (tx) => {
      const n = findNode(tx, ref === 'self' ? selfId : ref);
      const labels: Record<string, string> = { ...n.spec.labels, ...labelAdd };
      for (const k of labelRm) {
        if (!(k in labels)) throw new ValidationError('label-rm', `node ${n.description.hostname} has no label "${k}"`);
        delete labels[k];
      }
      tx.nodes.update({ ...n, spec: { ...n.spec, availability: availability ?? n.spec.availability, labels } });
      return n.id;
    });
    return { node: store.view((r) => r.nodes.get(result)!) };
  };

  return { NodeList, NodeInspect, NodeUpdate };
}
