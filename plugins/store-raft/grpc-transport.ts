import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { toServiceError } from '../../core/api/grpc-json';
import type { ClusterDialer, ClusterServer } from '../../core/cluster/contract';
import { widenFlowControl } from '../../core/cluster/flow-control';
import { OrchError } from '../../core/errors';
import { decodeMessage, encodeMessage } from './message-codec';
import type { Message } from './messages';
import type { MessageReceiver, Transport } from './transport';

const SERVICE = 'orch.Raft';

/** A decoding failure, handed to the server handler instead of failing the transport opaquely. */
class Undecodable {
  constructor(readonly reason: string) {}
}

const decode = (b: Buffer): Message | Undecodable => {
  try {
    return decodeMessage(b);
  } catch (err) {
    return new Undecodable((err as Error).message);
  }
};

/**
 * `orch.Raft/Send`: a client stream of Raft messages from one member to another. Each member opens one
 * to every other; answers come back on the answering member's own stream.
 */
function raftServiceDefinition(): grpc.ServiceDefinition {
  return {
    Send: {
      path: `/${SERVICE}/Send`,
      requestStream: true,
      responseStream: false,
      requestSerialize: encodeMessage,
      requestDeserialize: decode,
      responseSerialize: () => Buffer.alloc(0),
      responseDeserialize: () => ({}),
    },
  };
}

/**
 * Serves `orch.Raft` on the cluster listener: only managers of this cluster may send, and only
 * messages that name themselves as the sender; their connections get wide flow-control windows. A malformed message ends the stream with
 * INVALID_ARGUMENT (the sender re-opens it).
 */
export function serveRaft(server: ClusterServer, receiver: MessageReceiver, log: Logger): void {
  server.addService(raftServiceDefinition(), {
    Send: (call: grpc.ServerReadableStream<Message | Undecodable, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      let peer: string;
      try {
        peer = server.authorize(call, ['manager']).nodeId;
      } catch (err) {
        callback(toServiceError(err));
        return;
      }
      // Entries come in megabytes: do not make the sending leader wait for a window update every 64 KiB.
      widenFlowControl(call);
      let failed = false;
      const refuse = (reason: string) => {
        if (failed) return;
        failed = true;
        log.warn({ peer, reason }, 'refused a raft message');
        callback(toServiceError(new OrchError('invalid', reason)));
      };
      call.on('data', (m: Message | Undecodable) => {
        if (failed) return;
        if (m instanceof Undecodable) refuse(m.reason);
        else if (m.from !== peer) refuse(`node ${peer} sent a raft message as ${m.from}`);
        else receiver.receive(m);
      });
      call.on('end', () => {
        if (!failed) callback(null, {});
      });
      call.on('error', () => undefined);
    },
  });
}

const RaftClient = grpc.makeGenericClientConstructor(raftServiceDefinition(), SERVICE);

/** Channel options between members: snapshots can be large; keep the connection warm. */
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_send_message_length': -1,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
};

/** Messages buffered towards one member beyond which more are dropped (it is slow or frozen; Raft resends). */
const MAX_BUFFERED_MESSAGES = 4096;

/** Messages that carry entries or state: they go on a member's bulk stream. */
const BULK: ReadonlySet<Message['type']> = new Set(['append', 'snapshot', 'propose']);

/**
 * One stream to a member, opened on first use and re-opened after it fails. With `ownConnection`, its
 * channel shares no connection with other channels to the member (HTTP/2 flow control is per connection
 * as well as per stream).
 */
class PeerStream {
  private client?: grpc.Client;
  private stream?: grpc.ClientWritableStream<Message>;
  private retryAt = 0;

  constructor(
    private readonly addr: string,
    private readonly dialer: ClusterDialer,
    private readonly ownConnection: boolean,
  ) {}

  /** Writes `m`, or drops it while the stream is down or backed up. */
  write(m: Message): void {
    const stream = this.open();
    if (stream && stream.writableLength < MAX_BUFFERED_MESSAGES) stream.write(m);
  }

  close(): void {
    this.stream?.end();
    this.client?.close();
    this.stream = undefined;
    this.client = undefined;
  }

  private open(): grpc.ClientWritableStream<Message> | undefined {
    if (this.stream) return this.stream;
    if (Date.now() < this.retryAt) return undefined;
    this.client ??= new RaftClient(this.addr, this.dialer.managerCredentials(), this.ownConnection ? { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 } : CHANNEL_OPTIONS);
    const method = (this.client as unknown as Record<string, Function>).Send;
    const stream = method.call(this.client, (err: grpc.ServiceError | null) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      if (err) {
        // Dial again with fresh credentials after a short pause (they may have been renewed).
        this.retryAt = Date.now() + 200;
        this.client?.close();
        this.client = undefined;
      }
    }) as grpc.ClientWritableStream<Message>;
    stream.on('error', () => undefined);
    this.stream = stream;
    return stream;
  }
}

/**
 * The streams to one member: entries go on the bulk stream; heartbeats, votes, acknowledgements and read
 * confirmations on a control stream over a connection of its own, so that they never queue behind
 * megabytes of entries a busy member takes slowly (that would delay its answers past the leader's read
 * lease, or past an election timeout). Raft does not need the two kept in order.
 */
class PeerLink {
  private readonly bulk: PeerStream;
  private readonly control: PeerStream;

  constructor(
    readonly addr: string,
    dialer: ClusterDialer,
  ) {
    this.bulk = new PeerStream(addr, dialer, false);
    this.control = new PeerStream(addr, dialer, true);
  }

  write(m: Message): void {
    (BULK.has(m.type) ? this.bulk : this.control).write(m);
  }

  close(): void {
    this.bulk.close();
    this.control.close();
  }
}

/**
 * Sends Raft messages to other members over the cluster's mutual-TLS gRPC, one stream per member,
 * looked up by id in the current member list. Messages to members with no known address, or whose link
 * is down or backed up, are dropped: Raft retries what matters.
 */
export class GrpcTransport implements Transport {
  private readonly links = new Map<string, PeerLink>();

  constructor(
    private readonly dialer: ClusterDialer,
    /** The address of member `id`, from the member list in force. */
    private readonly addressOf: (id: string) => string | undefined,
  ) {}

  send(messages: readonly Message[]): void {
    for (const m of messages) this.link(m.to)?.write(m);
  }

  /** Closes every stream. */
  close(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }

  private link(id: string): PeerLink | undefined {
    const addr = this.addressOf(id);
    let link = this.links.get(id);
    if (link && link.addr !== addr) {
      link.close();
      this.links.delete(id);
      link = undefined;
    }
    if (!addr) return undefined;
    if (!link) {
      link = new PeerLink(addr, this.dialer);
      this.links.set(id, link);
    }
    return link;
  }
}
