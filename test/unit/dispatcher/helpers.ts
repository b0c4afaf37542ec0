import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import type { ClusterDialer, ClusterServer, ServerCall } from '../../../core/cluster/contract';
import type { PeerIdentity, PeerRole } from '../../../core/cluster/identity';
import { OrchError } from '../../../core/errors';
import { Dispatcher } from '../../../core/dispatcher/dispatcher';
import type { NodeDescription, Service } from '../../../core/model/types';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { unstored } from '../orchestrator/fixtures';

const NODE_KEY = 'test-node-id';
const ROLE_KEY = 'test-role';

/**
 * A ClusterServer without TLS on 127.0.0.1: the caller's node id and role come from call metadata
 * that TestDialer puts on every call (TLS identities are tested with the cluster listener).
 */
export class TestClusterServer implements ClusterServer {
  private readonly server = new grpc.Server();

  addService(definition: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
    this.server.addService(definition, implementation);
  }

  authorize(call: ServerCall, roles: readonly PeerRole[]): PeerIdentity {
    const nodeId = call.metadata.get(NODE_KEY)[0] as string | undefined;
    const role = call.metadata.get(ROLE_KEY)[0] as PeerRole | undefined;
    if (!nodeId || !role) throw new OrchError('unauthenticated', 'this call needs a node identity');
    if (!roles.includes(role)) throw new OrchError('permission-denied', `a ${role} node may not make this call`);
    return { nodeId, role, clusterId: 'test-cluster' };
  }

  /** Binds an ephemeral port; resolves with it. */
  start(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  stop(): void {
    this.server.forceShutdown();
  }
}

/** Insecure channel credentials that still carry call credentials (gRPC refuses to compose those). */
class InsecureWithCallCredentials extends grpc.ChannelCredentials {
  private readonly insecure = grpc.credentials.createInsecure();

  constructor(private readonly callCredentials: grpc.CallCredentials) {
    super();
  }
  _isSecure(): boolean {
    return false;
  }
  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }
  _createSecureConnector(...[target, options, extra]: Parameters<grpc.ChannelCredentials['_createSecureConnector']>) {
    return this.insecure._createSecureConnector(target, options, extra ? this.callCredentials.compose(extra) : this.callCredentials);
  }
}

/** A ClusterDialer whose calls name `nodeId` and `role` for TestClusterServer; `anonymous` names nobody. */
export class TestDialer implements ClusterDialer {
  constructor(
    private readonly nodeId?: string,
    private readonly role: PeerRole = 'worker',
  ) {}

  managerCredentials(): grpc.ChannelCredentials {
    if (!this.nodeId) return grpc.credentials.createInsecure();
    const { nodeId, role } = this;
    return new InsecureWithCallCredentials(
      grpc.credentials.createFromMetadataGenerator((_params, callback) => {
        const md = new grpc.Metadata();
        md.set(NODE_KEY, nodeId);
        md.set(ROLE_KEY, role);
        callback(null, md);
      }),
    );
  }
}

/** What test workers report about themselves. */
export function description(hostname: string): NodeDescription {
  return {
    hostname,
    platform: { os: 'linux', arch: 'amd64' },
    resources: { nanoCpus: 1e9, memoryBytes: 1e9 },
    engine: { version: '1', labels: {} },
    runtimes: ['fake'],
  };
}

/** Polls `check` every few ms until it holds; fails after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A started dispatcher on 127.0.0.1 (at `target`) over a store holding the cluster object (heartbeat `periodMs`) and `service`. */
export async function serveDispatcher(service: Service, periodMs: number) {
  const store = new ReplicatedStore(new MemoryLog());
  await store.start();
  await store.update((tx) => {
    tx.clusters.create({ id: 'c', name: 'default', settings: { taskHistoryLimit: 5, dispatcherHeartbeatMs: periodMs } });
    tx.services.create(unstored(service));
  });
  const server = new TestClusterServer();
  const dispatcher = new Dispatcher({ store, server, log: pino({ level: 'silent' }), selfNodeId: 'm1' });
  const target = `127.0.0.1:${await server.start()}`;
  dispatcher.start();
  return {
    store,
    dispatcher,
    target,
    async stop() {
      await dispatcher.stop();
      server.stop();
    },
  };
}
