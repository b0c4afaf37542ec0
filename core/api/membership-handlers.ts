import { OrchError, ValidationError } from '../errors';
import { obj, oneOf, str, type Json } from '../model/check';
import type { Node } from '../model/types';
import type { ClusterStore } from '../store/contract';
import { updateRetrying } from '../store/update-retrying';
import type { LogStatus, ReplicatedLog } from '../store/replicated-log';
import type { ControlApi } from './contract';
import { resolveRef } from './resolve';

/** What taking manager `id` out of consensus would leave. */
export interface QuorumAfterRemoval {
  readonly remaining: number;
  /** Remaining managers the leader has heard from lately. */
  readonly reachable: number;
  readonly quorum: number;
  readonly ok: boolean;
}

/** Whether the managers left after removing `id` could still elect a leader and commit. */
export function quorumAfterRemoval(status: LogStatus, id: string): QuorumAfterRemoval {
  const rest = status.members.filter((m) => m.id !== id);
  const quorum = Math.floor(rest.length / 2) + 1;
  const reachable = rest.filter((m) => m.reachable).length;
  return { remaining: rest.length, reachable, quorum, ok: rest.length > 0 && reachable >= quorum };
}

/** Refuses taking `node` out of consensus when that would lose quorum, unless forced. */
function checkQuorum(status: LogStatus, node: Node, force: boolean, what: string): void {
  if (force || !status.members.some((m) => m.id === node.id)) return;
  const q = quorumAfterRemoval(status, node.id);
  if (q.ok) return;
  throw new OrchError(
    'conflict',
    `${what} ${node.description.hostname} (${node.id}) would leave ${q.reachable} reachable of ${q.remaining} managers, fewer than the quorum of ${q.quorum}: the swarm could no longer change. Bring managers back first, or use --force`,
  );
}

/**
 * Handlers that change which nodes are managers: promote, demote (NodeRole) and remove (NodeRemove).
 * A manager leaves consensus after its node is marked a worker, so that it can see its new role.
 */
export function membershipHandlers(store: ClusterStore, consensus: Pick<ReplicatedLog, 'status' | 'removeMember'>, selfId: string) {
  const find = (ref: string) => store.view((r) => resolveRef('node', ref === 'self' ? selfId : ref, r.nodes.all(), (n) => n.description.hostname));

  const NodeRole = async (req: Json): Promise<ControlApi['NodeRole']['res']> => {
    const o = obj(req, 'request');
    const ref = str(o.ref, 'ref', { nonEmpty: true });
    const role = oneOf(o.role, 'role', ['manager', 'worker'] as const);
    const force = o.force === true;
    const node = find(ref);
    if (node.spec.role === role) return { node, changed: false };
    if (role === 'worker') {
      const managers = store.view((r) => r.nodes.all().filter((n) => n.spec.role === 'manager'));
      if (managers.length === 1) throw new OrchError('conflict', `${node.description.hostname} is the last manager of the swarm: promote another node first`);
      checkQuorum(consensus.status(), node, force, 'demoting');
    }
    await updateRetrying(store, (tx) => {
      const n = tx.nodes.get(node.id);
      if (!n) throw new OrchError('not-found', `node ${node.id} not found`);
      tx.nodes.update({ ...n, spec: { ...n.spec, role } });
    });
    if (role === 'worker' && consensus.status().members.some((m) => m.id === node.id)) await consensus.removeMember(node.id);
    return { node: find(node.id), changed: true };
  };

  const NodeRemove = async (req: Json): Promise<ControlApi['NodeRemove']['res']> => {
    const o = obj(req, 'request');
    const ref = str(o.ref, 'ref', { nonEmpty: true });
    const force = o.force === true;
    const node = find(ref);
    if (node.id === selfId) throw new ValidationError('node', 'a manager cannot remove itself: use "orch swarm leave --force" on it');
    if (node.spec.role === 'manager' && !force) throw new OrchError('invalid', `node ${node.description.hostname} is a manager: demote it first, or use --force`);
    if (node.status.state !== 'down' && !force) {
      throw new OrchError('invalid', `node ${node.id} is not down and can't be removed: stop its daemon first, or use --force`);
    }
    if (consensus.status().members.some((m) => m.id === node.id)) await consensus.removeMember(node.id);
    await updateRetrying(store, (tx) => {
      if (tx.nodes.get(node.id)) tx.nodes.delete(node.id);
    });
    return { id: node.id };
  };

  return { NodeRole, NodeRemove };
}
