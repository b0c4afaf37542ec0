import type { PeerIdentity } from '../cluster/identity';
import type { WriteTx } from '../store/contract';
import type { SessionRequest } from './contract';

/**
 * Records a node that opened a session: its description and address, state READY. A node the store
 * does not have yet is added, active, with the role its certificate states. Its spec is kept.
 */
export function recordSession(tx: WriteTx, peer: Pick<PeerIdentity, 'nodeId' | 'role'>, session: SessionRequest, now: Date): void {
  const status = { state: 'ready' as const, message: '', addr: session.addr, heartbeatAt: now.toISOString() };
  const node = tx.nodes.get(peer.nodeId);
  if (node) tx.nodes.update({ ...node, description: session.description, status });
  else tx.nodes.create({ id: peer.nodeId, spec: { role: peer.role, availability: 'active', labels: {} }, description: session.description, status });
}

/** Marks a DOWN node READY again (it was heard from). Returns true when it wrote. */
export function markReady(tx: WriteTx, nodeId: string, now: Date): boolean {
  const node = tx.nodes.get(nodeId);
  if (node?.status.state !== 'down') return false;
  tx.nodes.update({ ...node, status: { ...node.status, state: 'ready', message: '', heartbeatAt: now.toISOString() } });
  return true;
}

/**
 * Marks the given nodes DOWN for missing their heartbeats, skipping nodes the store no longer has,
 * nodes already DOWN, and nodes `stillSilent` says were heard from meanwhile. Returns those it marked.
 */
export function markDown(tx: WriteTx, nodeIds: readonly string[], stillSilent: (nodeId: string) => boolean): string[] {
  const marked: string[] = [];
  for (const id of nodeIds) {
    const node = tx.nodes.get(id);
    if (!node || node.status.state === 'down' || !stillSilent(id)) continue;
    tx.nodes.update({ ...node, status: { ...node.status, state: 'down', message: 'heartbeat failure' } });
    marked.push(id);
  }
  return marked;
}
