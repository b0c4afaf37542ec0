import type { ClusterDialer } from '../cluster/contract';
import { NotLeaderError, OrchError } from '../errors';
import type { Json } from '../model/check';
import type { ReplicatedLog } from '../store/replicated-log';
import type { ControlMethod } from './contract';
import { ControlClients } from './control-clients';
import type { ControlHandlers } from './server';

/** Methods about the node that serves them, never forwarded. */
const NODE_LOCAL: ReadonlySet<ControlMethod> = new Set(['Info', 'Shutdown', 'VolumeCreate', 'VolumeList', 'VolumeInspect', 'VolumeRemove']);

/** Read-only methods: the leader confirms it still leads (ReadIndex) before answering, so no read is stale. */
const READS: ReadonlySet<ControlMethod> = new Set(['ServiceList', 'ServiceInspect', 'TaskList', 'NodeList', 'NodeInspect', 'CARoot']);

export interface ForwardingDeps {
  readonly consensus: Pick<ReplicatedLog, 'status' | 'readBarrier'>;
  readonly dialer: ClusterDialer;
  /** The node serving the API: what `self` means in a forwarded request. */
  readonly selfId: string;
}

/**
 * Control handlers that run on the leader: a follower forwards each call over mutual TLS to the leader
 * as it knows it, as swarm managers do, so every call sees the leader's state and its view of the
 * managers; reads are linearizable (the leader confirms its leadership first). Info and Shutdown stay
 * on this node; a node reference `self` keeps meaning this node.
 * Without a known leader a call fails with NotLeaderError.
 */
export function forwardToLeader(handlers: ControlHandlers, deps: ForwardingDeps): ControlHandlers & { close(): void } {
  const clients = new ControlClients(deps.dialer);
  const wrapped = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => {
      const method = name as ControlMethod;
      if (NODE_LOCAL.has(method)) return [method, handler];
      return [
        method,
        async (req: Json) => {
          const deadline = Date.now() + LEADER_WAIT_MS;
          let unreachable: string | undefined;
          for (;;) {
            const status = await knownLeader(deps.consensus, unreachable);
            if (status.isLeader) {
              if (READS.has(method)) await deps.consensus.readBarrier();
              return handler(req);
            }
            if (!status.leaderAddr) throw new NotLeaderError(undefined);
            if (status.leaderAddr === unreachable) throw new OrchError('unavailable', `cannot reach the leader at ${unreachable}`);
            try {
              const res = await clients.get(status.leaderAddr).call(method, localize(req, deps.selfId) as never);
              return method === 'NodeList' ? { ...(res as object), self: deps.selfId } : res;
            } catch (err) {
              // A call that never reached a dead leader is safe to send again, to its successor.
              if (!neverSent(err) || Date.now() > deadline) throw err;
              unreachable = status.leaderAddr;
            }
          }
        },
      ];
    }),
  ) as ControlHandlers;
  return {
    ...wrapped,
    close: () => clients.close(),
  };
}

/** How long a call waits for an election to end before failing for want of a leader. */
const LEADER_WAIT_MS = 5000;

/** True for a call that failed before any connection to the server was made (so it never ran there). */
function neverSent(err: unknown): boolean {
  return err instanceof OrchError && err.code === 'unavailable' && !(err instanceof NotLeaderError) && /No connection established/.test(err.message);
}

/**
 * Consensus status once a leader is known (other than at `unreachable`, a leader found dead), or after
 * LEADER_WAIT_MS without one.
 */
export async function knownLeader(consensus: ForwardingDeps['consensus'], unreachable?: string): Promise<ReturnType<ForwardingDeps['consensus']['status']>> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  const known = (s: ReturnType<ForwardingDeps['consensus']['status']>) => s.isLeader || (s.leaderAddr !== undefined && s.leaderAddr !== unreachable);
  let status = consensus.status();
  while (!known(status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    status = consensus.status();
  }
  return status;
}

/** `req` with a node reference `self` replaced by this node's id, so that the leader acts on this node. */
function localize(req: Json, selfId: string): Json {
  if (typeof req !== 'object' || req === null || Array.isArray(req)) return req;
  const o = req as Record<string, Json>;
  return o.ref === 'self' ? { ...o, ref: selfId } : req;
}
