import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { fromServiceError, InvalidPayload, jsonServiceDefinition, toServiceError } from '../../core/api/grpc-json';
import type { ClusterDialer, ClusterServer } from '../../core/cluster/contract';
import { splitHostPort } from '../../core/cluster/join';
import { OrchError } from '../../core/errors';
import { obj, str, type Json } from '../../core/model/check';
import type { ConsensusMember } from '../../core/store/replicated-log';
import type { RaftNode } from './raft-node';

const SERVICE = 'orch.RaftMembership';
const definition = () => jsonServiceDefinition(SERVICE, ['Join', 'Members']);

/** Answer to Join: the members once the caller is one, or where the leader is. */
export interface JoinResponse {
  readonly members?: readonly ConsensusMember[];
  readonly leaderAddr?: string;
}

type Unary = (call: grpc.ServerUnaryCall<Json | InvalidPayload, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

/**
 * `orch.RaftMembership`: a manager that has a certificate but no place in consensus yet first asks any
 * member for the member list (Members: it must know where to answer the leader before the leader's
 * change can commit), then calls Join. A follower answers Join with the leader's address; the leader
 * first checks it can reach the caller's address (a member nobody can reach would cost the group its
 * quorum), then adds it and answers once the change commits. Only managers of this cluster may call; a
 * member joins as the node its certificate names.
 */
export function serveMembership(server: ClusterServer, node: RaftNode, dialer: ClusterDialer, log: Logger): void {
  const unary =
    (fn: (nodeId: string, req: Json) => Promise<unknown>): Unary =>
    (call, callback) => {
      (async () => {
        const peer = server.authorize(call, ['manager']);
        if (call.request instanceof InvalidPayload) throw new OrchError('invalid', `request is not JSON: ${call.request.reason}`);
        return fn(peer.nodeId, call.request);
      })().then(
        (res) => callback(null, res),
        (err) => callback(toServiceError(err)),
      );
    };
  server.addService(definition(), {
    Members: unary(async (): Promise<JoinResponse> => {
      const status = node.status();
      return { members: status.members.map(({ id, addr }) => ({ id, addr })), leaderAddr: status.leaderAddr };
    }),
    Join: unary(async (nodeId, req): Promise<JoinResponse> => {
      const addr = str(obj(req, 'request').addr, 'addr', { nonEmpty: true });
      splitHostPort(addr);
      const status = node.status();
      if (!status.isLeader) {
        if (!status.leaderAddr) throw new OrchError('unavailable', 'this manager knows no leader right now; try again');
        return { leaderAddr: status.leaderAddr };
      }
      if (!status.members.some((m) => m.id === nodeId && m.addr === addr)) {
        await ping(addr, dialer).catch((err: Error) => {
          throw new OrchError('unavailable', `cannot reach the new manager at ${addr}: ${err.message}`);
        });
        await node.addMember({ id: nodeId, addr });
        log.info({ member: nodeId, addr }, 'raft member added');
      }
      return { members: node.status().members.map(({ id, addr }) => ({ id, addr })) };
    }),
  });
}

const MembershipClient = grpc.makeGenericClientConstructor(definition(), SERVICE);

/** Calls one method of `orch.RaftMembership` at `target`. */
async function call<R>(target: string, dialer: ClusterDialer, method: 'Join' | 'Members', req: object, timeoutMs = 10_000): Promise<R> {
  const client = new MembershipClient(target, dialer.managerCredentials());
  try {
    return await new Promise<R>((resolve, reject) =>
      (client as unknown as Record<string, Function>)[method].call(client, req, { deadline: new Date(Date.now() + timeoutMs) }, (err: grpc.ServiceError | null, res: R) =>
        err ? reject(fromServiceError(err)) : resolve(res),
      ),
    );
  } finally {
    client.close();
  }
}

const ping = (addr: string, dialer: ClusterDialer) => call(addr, dialer, 'Members', {}, 3000);

/**
 * Asks to be let into consensus, starting at `via` and following redirects to the leader, until this
 * member is in the member list or `stopped()`. Failures are retried after a pause.
 */
export async function joinConsensus(opts: {
  readonly node: RaftNode;
  readonly via: string;
  readonly addr: string;
  readonly dialer: ClusterDialer;
  readonly log: Logger;
  stopped(): boolean;
}): Promise<void> {
  let target = opts.via;
  while (!opts.node.isMember && !opts.stopped()) {
    try {
      const known = await call<JoinResponse>(target, opts.dialer, 'Members', {});
      opts.node.learnAddresses(known.members ?? []);
      const res = await call<JoinResponse>(target, opts.dialer, 'Join', { addr: opts.addr });
      if (res.members) {
        opts.node.learnAddresses(res.members);
        opts.log.info({ members: res.members }, 'joined consensus');
        return;
      }
      target = res.leaderAddr ?? opts.via;
    } catch (err) {
      opts.log.warn({ via: target, err: (err as Error).message }, 'could not join consensus yet; retrying');
      target = opts.via;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
